package dev.algotrade.sqlite;

import static dev.algotrade.sqlite.SqliteStoreTest.count;
import static dev.algotrade.sqlite.SqliteStoreTest.fill;
import static dev.algotrade.sqlite.SqliteStoreTest.quote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.time.Clock;
import dev.algotrade.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idle writer sleeps on its own timer: recording threads do not wake it (no system call on
 * the engine thread per record), and records queued while it sleeps still commit within their
 * windows, counted from when they were queued.
 */
class StoreWriterIdleTest {

  @TempDir
  Path dir;

  /** A clock the test moves by hand; the writer's deadlines follow it, its naps are real time. */
  static final class HandClock implements Clock {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public Instant now() {
      return Instant.ofEpochSecond(0, nanos.get());
    }

    @Override
    public long nanoTime() {
      return nanos.get();
    }

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }
  }

  @Test
  void recordsDoNotWakeASleepingWriterWithTheDefaultWindows() {
    try (SqliteStore store = SqliteStore.builder().path(dir.resolve("s.db")).build()) {
      StoreWriter w = store.writer();
      for (int i = 0; i < 20; i++) {
        Await.until("writer asleep", Duration.ofSeconds(10), w::sleeping);
        store.recordFill(fill("O-" + i, "E" + i, 1, 100, i), 0, SqliteStoreTest.DAY);
      }
      // picked up by the writer's own timer and committed within the 50 ms window
      Await.until("all fills committed", Duration.ofSeconds(10),
          () -> count(store, "SELECT COUNT(*) FROM fills") == 20);
      assertThat(w.recordWakeups()).as("wake-ups given by the recording thread").isZero();
    }
  }

  @Test
  void aWindowUnderTwoMillisecondsWakesTheWriterOnEveryRecord() {
    try (SqliteStore store = SqliteStore.builder().path(dir.resolve("s.db"))
        .orderCommitWindow(Duration.ofMillis(1)).build()) {
      StoreWriter w = store.writer();
      Await.until("writer asleep", Duration.ofSeconds(10), w::sleeping);
      store.recordFill(fill("O-1", "E1", 1, 100, 0), 0, SqliteStoreTest.DAY);
      assertThat(w.recordWakeups()).isEqualTo(1);
      Await.until("fill committed", Duration.ofSeconds(10), () -> count(store, "SELECT COUNT(*) FROM fills") == 1);
    }
  }

  @Test
  void aTickFoundAfterASleepCommitsWithinItsWindowCountedFromTheSleep() {
    HandClock clock = new HandClock();
    try (SqliteStore store = SqliteStore.builder().path(dir.resolve("s.db")).clock(clock)
        .tickBatchWindow(Duration.ofSeconds(1)).orderCommitWindow(Duration.ofSeconds(1)).build()) {
      StoreWriter w = store.writer();
      Await.until("writer asleep", Duration.ofSeconds(10), w::sleeping);
      // the writer fell asleep at t; the tick arrives at t + 0.9 s, the writer sees it up to
      // 100 ms (real time) later, and its window ends at t + 1 s at the latest
      clock.advance(Duration.ofMillis(900));
      store.recordMarketData(quote(1));
      Await.until("tick taken by the writer", Duration.ofSeconds(10), () -> store.stats().queueDepth() == 0);
      clock.advance(Duration.ofMillis(150));
      // t + 1.05 s: past the window counted from the sleep (a window counted from when the
      // writer noticed the tick would end at t + 1.9 s, and this would time out)
      Await.until("tick committed", Duration.ofSeconds(10), () -> count(store, "SELECT COUNT(*) FROM quotes") == 1);
    }
  }
}
