package dev.algotrade.sqlite;

/**
 * Monitoring figures of a {@link SqliteStore}, a consistent-enough snapshot of its counters
 * (each field is read atomically, the set is not). Immutable.
 *
 * @param queueDepth records waiting in the writer's queue now
 * @param queueCapacity the queue's bound
 * @param spillDepth orders, fills and other non-tick records waiting beyond the queue's capacity (the
 *     queue was full when they came); normally 0
 * @param written rows committed since the store opened
 * @param droppedTicks quotes and trades dropped because the queue was full (ticks only; other
 *     records are never dropped)
 * @param spilled non-tick records that found the queue full and were kept beyond its capacity
 * @param duplicateFills fills ignored because their execution id was already stored
 * @param failedWrites records the database refused even when written alone (or whose batch could
 *     not commit, e.g. disk full, or that came after the writer thread died); logged at ERROR
 * @param batches transactions committed
 * @param lastBatchLatencyNanos time the writer spent executing and committing the last batch
 * @param maxBatchLatencyNanos the largest such time since the store opened
 */
public record StoreStats(
    int queueDepth,
    int queueCapacity,
    int spillDepth,
    long written,
    long droppedTicks,
    long spilled,
    long duplicateFills,
    long failedWrites,
    long batches,
    long lastBatchLatencyNanos,
    long maxBatchLatencyNanos) {

  /** Fraction of the queue in use, 0..1. */
  public double queueFill() {
    return queueCapacity == 0 ? 0 : (double) queueDepth / queueCapacity;
  }
}
