package dev.algotrade.api.time;

import java.time.Instant;

/**
 * What "now" is for the engine. Live systems use the system clock; replays and tests use a
 * simulated clock that only moves when told to. Implementations are thread-safe.
 */
public interface Clock {

  /** The current instant (UTC). */
  Instant now();

  /** Milliseconds since the epoch; same instant as {@link #now()}. */
  default long millis() {
    return now().toEpochMilli();
  }

  /**
   * A monotonic nanosecond counter for measuring elapsed time (latency, timeouts). Only
   * differences between two readings mean anything.
   */
  long nanoTime();
}
