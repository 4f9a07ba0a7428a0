package dev.algotrade.core.time;

import dev.algotrade.api.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A clock that moves only when told to: replays advance it to each event's time, tests advance
 * it by hand. Never moves backwards. {@link #nanoTime()} is the epoch-nanosecond reading, so
 * elapsed times measured with it are simulated too. Thread-safe for readers; one writer at a
 * time.
 */
public final class SimulatedClock implements Clock {

  private volatile Instant now;

  public SimulatedClock(Instant start) {
    if (start == null) {
      throw new IllegalArgumentException("SimulatedClock start must not be null");
    }
    this.now = start;
  }

  /** A clock at 2024-01-02T14:30:00Z (09:30 in New York on a Tuesday). */
  public static SimulatedClock atDefaultStart() {
    return new SimulatedClock(Instant.parse("2024-01-02T14:30:00Z"));
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public long millis() {
    return now.toEpochMilli();
  }

  @Override
  public long nanoTime() {
    Instant n = now;
    return n.getEpochSecond() * 1_000_000_000L + n.getNano();
  }

  /**
   * Moves to {@code time}; a time before now is ignored (the clock never goes back). Meant for
   * one writer at a time (the replay loop, or a test thread); readers on other threads see the
   * new time at once (volatile).
   */
  public void advanceTo(Instant time) {
    Instant n = now;
    if (time != n && time.isAfter(n)) {
      now = time;
    }
  }

  /** Moves forward by {@code amount} (>= 0). One writer at a time, as {@link #advanceTo}. */
  public void advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("SimulatedClock.advance amount must be >= 0, was " + amount);
    }
    now = now.plus(amount);
  }

  @Override
  public String toString() {
    return "SimulatedClock[" + now + "]";
  }
}
