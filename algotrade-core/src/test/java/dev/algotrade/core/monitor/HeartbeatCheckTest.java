package dev.algotrade.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatCheckTest {

  private static final Instant T = Instant.parse("2024-01-02T15:00:00Z");
  private static final Duration MAX = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private Path file(String content) throws Exception {
    Path f = dir.resolve("heartbeat");
    Files.writeString(f, content);
    return f;
  }

  @Test
  void freshHeartbeatIsFresh() throws Exception {
    Path f = file("pid=42 time=2024-01-02T15:00:00Z state=ACTIVE equity=100.00\n");
    HeartbeatCheck.Result r = HeartbeatCheck.check(f, MAX, T.plusSeconds(60));
    assertThat(r.status()).isEqualTo(HeartbeatCheck.Status.FRESH);
    assertThat(r.age()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void staleHeartbeatIsStaleAndItsAlertSaysHowOld() throws Exception {
    Path f = file("pid=42 time=2024-01-02T15:00:00Z state=ACTIVE equity=100.00\n");
    HeartbeatCheck.Result r = HeartbeatCheck.check(f, MAX, T.plusSeconds(61));
    assertThat(r.status()).isEqualTo(HeartbeatCheck.Status.STALE);
    Alert a = r.toAlert(T.plusSeconds(61));
    assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(a.title()).isEqualTo("Heartbeat stale");
    assertThat(a.text()).contains("age=61s", "maxAge=60s", "pid=42");
  }

  @Test
  void missingFileIsMissing() {
    HeartbeatCheck.Result r = HeartbeatCheck.check(dir.resolve("nope"), MAX, T);
    assertThat(r.status()).isEqualTo(HeartbeatCheck.Status.MISSING);
    assertThat(r.toAlert(T).title()).isEqualTo("Heartbeat missing");
  }

  @Test
  void gracefulStopIsReportedAsStoppedNotStale() throws Exception {
    Path f = file("pid=42 time=2024-01-02T15:00:00Z state=STOPPED equity=100.00\n");
    assertThat(HeartbeatCheck.check(f, MAX, T.plusSeconds(3600)).status()).isEqualTo(HeartbeatCheck.Status.STOPPED);
  }

  @Test
  void unreadableTimeFallsBackToTheModificationTime() throws Exception {
    Path f = file("garbage");
    Files.setLastModifiedTime(f, FileTime.from(T));
    assertThat(HeartbeatCheck.check(f, MAX, T.plusSeconds(10)).status()).isEqualTo(HeartbeatCheck.Status.FRESH);
    assertThat(HeartbeatCheck.check(f, MAX, T.plusSeconds(100)).status()).isEqualTo(HeartbeatCheck.Status.STALE);
  }
}
