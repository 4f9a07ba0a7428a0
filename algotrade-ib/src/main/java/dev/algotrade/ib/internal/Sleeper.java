package dev.algotrade.ib.internal;

/**
 * Waits for a number of nanoseconds; tests substitute one that advances a fake ticker. The system
 * sleeper is stateless and thread-safe.
 */
@FunctionalInterface
public interface Sleeper {
  void sleepNanos(long nanos) throws InterruptedException;

  /** The real sleeper (wire code may read the wall clock). */
  static Sleeper system() {
    return nanos -> {
      long ms = nanos / 1_000_000;
      int ns = (int) (nanos % 1_000_000);
      Thread.sleep(ms, ns);
    };
  }
}
