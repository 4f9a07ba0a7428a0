package dev.algotrade.ib.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client's outgoing queue: a {@link LinkedBlockingQueue} whose {@link #take()} can watch an
 * empty queue for a brief, bounded while before it parks ({@code -Dalgotrade.ib.writerSpinMicros=N},
 * 0..10000 µs; default {@value #DEFAULT_SPIN_MICROS}: off), yielding the core between looks. A frame
 * queued during the watch (an order right after the tick that caused it, the rest of a burst) is
 * taken without a park / unpark pair: the sender skips the wake-up system call and the writer the
 * wake-up delay. After the watch the writer parks, so an idle connection burns no CPU. It pays
 * only with a core to spare; on the shared 2-core reference machine it made latency worse
 * (docs/performance.md), hence off by default.
 *
 * <p>Thread-safe; one taker (the writer thread) is assumed for the watch to make sense.
 */
public final class SpinThenParkQueue<E> extends LinkedBlockingQueue<E> {

  private static final long serialVersionUID = 1L;
  /** Default watch before parking, in microseconds (0: park at once). */
  public static final int DEFAULT_SPIN_MICROS = 0;

  private final long spinNanos;

  /** A queue spinning {@link #configuredSpinNanos()}. */
  public SpinThenParkQueue() {
    this(configuredSpinNanos());
  }

  public SpinThenParkQueue(long spinNanos) {
    if (spinNanos < 0) {
      throw new IllegalArgumentException("SpinThenParkQueue.spinNanos must be >= 0, was " + spinNanos);
    }
    this.spinNanos = spinNanos;
  }

  /** The spin from {@code algotrade.ib.writerSpinMicros} (0..10000), else the default. */
  public static long configuredSpinNanos() {
    String v = System.getProperty("algotrade.ib.writerSpinMicros");
    int micros = DEFAULT_SPIN_MICROS;
    if (v != null && !v.isBlank()) {
      try {
        int parsed = Integer.parseInt(v.trim());
        if (parsed >= 0 && parsed <= 10_000) {
          micros = parsed;
        }
      } catch (NumberFormatException e) {
        // keep the default
      }
    }
    return TimeUnit.MICROSECONDS.toNanos(micros);
  }

  public long spinNanos() {
    return spinNanos;
  }

  @Override
  public E take() throws InterruptedException {
    E e = poll();
    if (e != null || spinNanos == 0) {
      return e != null ? e : super.take();
    }
    long start = System.nanoTime();
    do {
      Thread.yield(); // lets a sender on this core run; returns at once when a core is free
      e = poll(); // reads the count without a lock while the queue is empty
      if (e != null) {
        return e;
      }
    } while (System.nanoTime() - start < spinNanos);
    return super.take();
  }
}
