package dev.algotrade.sqlite;

import static dev.algotrade.sqlite.SqliteStoreTest.count;
import static dev.algotrade.sqlite.SqliteStoreTest.fill;
import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.order.Fill;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine thread records in a lane of its own (see {@link RecordQueue}); a flush from any
 * other thread still covers everything it queued before the flush.
 */
class StoreLanesTest {
  /** Many of the writer's drains, built beforehand: queued far faster than the writer writes them. */
  private static final int FILLS = 100_000;

  private static final List<Fill> BUILT = IntStream.range(0, FILLS)
      .mapToObj(i -> fill("O-" + i, "E" + i, 1, 100, i)).toList();

  @TempDir
  Path dir;

  @Test
  void aFlushFromAnotherThreadCoversEverythingTheEngineThreadQueuedBeforeIt() throws Exception {
    try (SqliteStore store = SqliteStore.builder().path(dir.resolve("s.db")).build()) {
      recordAllOn("engine", store);
      assertThat(store.writer().queue.callerIsOwner()).as("this thread is not the owner").isFalse();
      store.flush();
      assertThat(count(store, "SELECT COUNT(*) FROM fills")).isEqualTo(FILLS);
    }
  }

  @Test
  void aFlushFromTheEngineThreadCoversOtherThreadsRecordsQueuedBeforeIt() throws Exception {
    try (SqliteStore store = SqliteStore.builder().path(dir.resolve("s.db")).build()) {
      // this thread becomes the owner; another thread then queues fills in the shared lane
      store.recordFill(fill("O-first", "E-first", 1, 100, 0), 0, SqliteStoreTest.DAY);
      recordAllOn("other", store);
      assertThat(store.writer().queue.callerIsOwner()).isTrue();
      store.flush();
      assertThat(count(store, "SELECT COUNT(*) FROM fills")).isEqualTo(FILLS + 1);
    }
  }

  /** Records every built fill on a new thread of that name and waits for it to finish. */
  private static void recordAllOn(String thread, SqliteStore store) throws InterruptedException {
    Thread t = new Thread(() -> {
      for (Fill f : BUILT) {
        store.recordFill(f, 0, SqliteStoreTest.DAY);
      }
    }, thread);
    t.start();
    t.join(60_000);
  }
}
