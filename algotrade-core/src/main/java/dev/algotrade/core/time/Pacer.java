package dev.algotrade.core.time;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces a producer thread (a live simulated market, a timed file replay) against the wall
 * clock: it remembers when it started and lets the thread wait until a given time has passed
 * since then. Deadlines are measured from the start, not from the previous wait, so pacing does
 * not drift; when the thread falls behind, waits return at once and it catches up.
 *
 * <p>Waiting parks the thread, so another thread can end a wait early with
 * {@link LockSupport#unpark(Thread)} (a feed's {@code stop()} does). Reads
 * {@link System#nanoTime()}; this is why it lives in the time package. Confined to the one
 * thread that waits on it.
 */
public final class Pacer {

  private final long origin;

  private Pacer(long origin) {
    this.origin = origin;
  }

  /** A pacer whose zero is now. */
  public static Pacer startingNow() {
    return new Pacer(System.nanoTime());
  }

  /** Nanoseconds since this pacer started. */
  public long elapsedNanos() {
    return System.nanoTime() - origin;
  }

  /**
   * Parks once, until {@code elapsedNanos} have passed since the start or the thread is woken
   * earlier (unparked, interrupted, or spuriously). Returns whether the time has been reached;
   * callers loop on {@code false} after checking their own stop flag.
   */
  public boolean awaitElapsed(long elapsedNanos) {
    long remaining = origin + elapsedNanos - System.nanoTime();
    if (remaining <= 0) {
      return true;
    }
    LockSupport.parkNanos(this, remaining);
    return origin + elapsedNanos - System.nanoTime() <= 0;
  }

  /**
   * Parks the calling thread for up to {@code nanos}, returning early when unparked: for a
   * producer that has nothing to do (e.g. no subscriptions yet).
   */
  public static void idle(long nanos) {
    LockSupport.parkNanos(nanos);
  }
}
