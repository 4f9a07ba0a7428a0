package dev.algotrade.ib.internal;

import java.util.function.LongSupplier;

/**
 * Keeps outgoing messages under a limit per sliding window (IB: 50 messages per second, all types
 * together; ib-protocol.md §5.5). It remembers the send times of the last {@code limit}
 * messages; message {@code i} waits until at least one window has passed since message
 * {@code i - limit}. So any {@code limit + 1} consecutive messages span at least one window, and
 * no window ever carries more than {@code limit} messages, however large the burst.
 *
 * <p>Time comes from an injected ticker and waits from an injected {@link Sleeper}, so tests run
 * deterministically on a fake ticker. Not thread-safe: callers serialise {@link #acquire()} and
 * {@link #tryAcquire()} (the client's write lock), except {@link #switchOff()}.
 */
public final class Pacer {

  private final int limit;
  private final long windowNanos;
  private final LongSupplier ticker;
  private final Sleeper sleeper;
  private final long[] ring;
  private int head;
  private int count;
  private long waits;
  private volatile boolean off;

  public Pacer(int limit, long windowNanos, LongSupplier ticker, Sleeper sleeper) {
    if (limit < 1) {
      throw new IllegalArgumentException("Pacer.limit must be >= 1, was " + limit);
    }
    if (windowNanos <= 0) {
      throw new IllegalArgumentException("Pacer.windowNanos must be > 0, was " + windowNanos);
    }
    this.limit = limit;
    this.windowNanos = windowNanos;
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.ring = new long[limit];
  }

  /** Blocks until one more message may go, records it, and returns its send time. */
  public long acquire() throws InterruptedException {
    long now = ticker.getAsLong();
    if (off) {
      return now;
    }
    if (count == limit) {
      long oldest = ring[head];
      long waitUntil = oldest + windowNanos;
      while (now - waitUntil < 0) {
        waits++;
        sleeper.sleepNanos(waitUntil - now);
        now = ticker.getAsLong();
      }
    }
    record(now);
    return now;
  }

  /**
   * Records one message and returns true if it may go now without waiting; false (nothing
   * recorded) if it would have to wait.
   */
  public boolean tryAcquire() {
    long now = ticker.getAsLong();
    if (off) {
      return true;
    }
    if (count == limit && now - (ring[head] + windowNanos) < 0) {
      return false;
    }
    record(now);
    return true;
  }

  /** Remembers a message sent at {@code now}, dropping the oldest once {@code limit} are kept. */
  private void record(long now) {
    ring[head] = now;
    head = (head + 1) % limit;
    if (count < limit) {
      count++;
    }
  }

  /** The real ticker, {@link System#nanoTime()} (wire code may read the wall clock). */
  public static LongSupplier systemTicker() {
    return System::nanoTime;
  }

  /**
   * Stops pacing for good: every later {@link #acquire()} returns at once. For benchmarks against
   * a simulated gateway only; real IB disconnects a client that goes over its limit. Any thread.
   */
  public void switchOff() {
    off = true;
  }

  /** Whether {@link #switchOff()} was called. */
  public boolean isOff() {
    return off;
  }

  /** How many times a message had to wait. */
  public long waits() {
    return waits;
  }

  public int limit() {
    return limit;
  }
}
