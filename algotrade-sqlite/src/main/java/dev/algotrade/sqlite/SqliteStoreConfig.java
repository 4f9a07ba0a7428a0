package dev.algotrade.sqlite;

import dev.algotrade.api.time.Clock;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of a {@link SqliteStore}; made by {@link SqliteStore#builder()}, which validates
 * each value. Immutable.
 *
 * @param path the database file (parent directories are created)
 * @param orderCommitWindow longest time an order event, fill or other non-tick record waits in
 *     the writer before its transaction commits (default 50 ms)
 * @param tickBatchWindow longest time a quote, trade or bar waits before its transaction
 *     commits (default 1 s)
 * @param queueCapacity bound of the writer's queue (default 262,144 records)
 * @param maxBatchRows a transaction commits once it holds this many rows (default 50,000)
 * @param recordTicks whether quotes and trades are stored (bars always are)
 * @param backpressure when the queue is full, make the recording thread wait for room instead of
 *     dropping ticks and spilling other records (for replays and backtests, never for live trading)
 * @param clock time source for batch windows and latency figures
 */
public record SqliteStoreConfig(
    Path path,
    Duration orderCommitWindow,
    Duration tickBatchWindow,
    int queueCapacity,
    int maxBatchRows,
    boolean recordTicks,
    boolean backpressure,
    Clock clock) {

  public SqliteStoreConfig {
    SqliteStore.Builder.checkNotNull(path, "path");
    SqliteStore.Builder.checkWindow(orderCommitWindow, "orderCommitWindow");
    SqliteStore.Builder.checkWindow(tickBatchWindow, "tickBatchWindow");
    SqliteStore.Builder.checkPositive(queueCapacity, "queueCapacity");
    SqliteStore.Builder.checkPositive(maxBatchRows, "maxBatchRows");
    SqliteStore.Builder.checkNotNull(clock, "clock");
  }
}
