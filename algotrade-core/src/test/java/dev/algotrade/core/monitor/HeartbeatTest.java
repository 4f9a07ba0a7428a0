package dev.algotrade.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatTest {

  @TempDir
  Path dir;

  private final List<Instant> rows = new ArrayList<>();
  private final Store store = new Store() {
    @Override
    public void recordHeartbeat(Instant time) {
      rows.add(time);
    }
  };

  @Test
  void writesALineAndAStoreRowEachBeat() throws Exception {
    Path file = dir.resolve("data").resolve("heartbeat");
    Heartbeat hb = new Heartbeat(file, store, Runnable::run);
    Instant t = Instant.parse("2024-01-02T15:00:00Z");
    hb.beat(t, "ACTIVE", 1_000_123.456);
    hb.beat(t.plusSeconds(5), "HALTED", 999_000);
    String line = Files.readString(file);
    assertThat(line).isEqualTo("pid=" + ProcessHandle.current().pid() + " time=2024-01-02T15:00:05Z state=HALTED equity=999000.00\n");
    assertThat(rows).containsExactly(t, t.plusSeconds(5));
    assertThat(hb.written()).isEqualTo(2);
    assertThat(Files.exists(dir.resolve("data").resolve("heartbeat.tmp"))).isFalse();
    assertThat(HeartbeatCheck.check(file, Duration.ofSeconds(60), t.plusSeconds(30)).isFresh()).isTrue();
  }

  @Test
  void aBeatWhileTheLastWriteIsPendingReplacesItsLine() throws Exception {
    Path file = dir.resolve("heartbeat");
    List<Runnable> pending = new ArrayList<>();
    Executor held = pending::add;
    Heartbeat hb = new Heartbeat(file, store, held);
    Instant t = Instant.parse("2024-01-02T15:00:00Z");
    hb.beat(t, "ACTIVE", 1);
    hb.beat(t.plusSeconds(5), "ACTIVE", 1);
    assertThat(pending).hasSize(1); // one write task, not a queue of them
    assertThat(hb.superseded()).isEqualTo(1);
    assertThat(rows).hasSize(2); // the store row does not wait for the file
    pending.get(0).run();
    assertThat(Files.readString(file)).contains("time=2024-01-02T15:00:05Z");
    assertThat(hb.written()).isEqualTo(1);
    hb.beat(t.plusSeconds(10), "ACTIVE", 1);
    assertThat(pending).hasSize(2); // the writer is free again: a new task
    pending.get(1).run();
    assertThat(Files.readString(file)).contains("time=2024-01-02T15:00:10Z");
  }

  @Test
  void theFinalStoppedLineIsNotOverwrittenByALateBeat() throws Exception {
    Path file = dir.resolve("heartbeat");
    List<Runnable> pending = new ArrayList<>();
    Heartbeat hb = new Heartbeat(file, store, pending::add);
    Instant t = Instant.parse("2024-01-02T15:00:00Z");
    hb.beat(t, "ACTIVE", 1);
    hb.stopped(t.plusSeconds(1), 2);
    pending.get(0).run(); // the older write finishes late
    assertThat(Files.readString(file)).contains("time=2024-01-02T15:00:01Z state=STOPPED equity=2.00");
  }

  @Test
  void noFileMeansStoreRowOnly() {
    Heartbeat hb = new Heartbeat(null, store, r -> {
      throw new AssertionError("no file I/O expected");
    });
    hb.beat(Instant.EPOCH, "ACTIVE", 1);
    assertThat(rows).containsExactly(Instant.EPOCH);
  }
}
