package dev.algotrade.core.internal;

import dev.algotrade.core.time.SystemClock;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's inbox. Other threads post into a bounded queue (a full queue makes the poster
 * wait: back-pressure, never loss); the engine thread's own posts (e.g. a paper broker's
 * synchronous fills) go to an unbounded local queue that is drained first, so the engine
 * never blocks on itself. Thread-safe for posting; polling is for the owner thread only.
 *
 * <p>Waiting: with a spin set ({@code TradingSystem.Builder.engineSpin}, or
 * {@code -Dalgotrade.inbox.spinMicros=N}; default {@value #DEFAULT_SPIN_MICROS}: off) an empty
 * inbox is watched for up to that long, yielding the core between looks, before the engine thread
 * parks. A message that follows closely (a burst of order
 * events, the next tick) is then taken without a park / unpark pair, which costs the poster a
 * system call and the engine a wake-up of several to tens of microseconds. The watch is bounded,
 * so an idle engine still parks. It pays only with a core to spare: on the 2-core reference
 * machine, shared with other work, it made tick-to-order latency worse (docs/performance.md), so
 * it is off by default. The external queue is a two-lock linked queue, so a watching owner checks
 * emptiness without taking the posters' lock.
 */
public final class Inbox {
  private static final Logger log = LoggerFactory.getLogger(Inbox.class);

  private final ArrayDeque<Object> local = new ArrayDeque<>();
  private final BlockingQueue<Object> external;
  private final int capacity;
  private final AtomicLong blockedPosts = new AtomicLong();
  private volatile long spinNanos;
  private volatile Thread owner;

  /** Default watch of an empty inbox before parking, in microseconds (0: park at once). */
  public static final int DEFAULT_SPIN_MICROS = 0;

  public Inbox(int capacity) {
    this(capacity, TimeUnit.MICROSECONDS.toNanos(configuredSpinMicros()));
  }

  /** An inbox that spins up to {@code spinNanos} (0: never) before parking on an empty queue. */
  public Inbox(int capacity, long spinNanos) {
    if (capacity < 16) {
      throw new IllegalArgumentException("inbox capacity must be >= 16, was " + capacity);
    }
    if (spinNanos < 0) {
      throw new IllegalArgumentException("inbox spinNanos must be >= 0, was " + spinNanos);
    }
    this.capacity = capacity;
    this.spinNanos = spinNanos;
    this.external = new LinkedBlockingQueue<>(capacity);
  }

  private static int configuredSpinMicros() {
    String v = System.getProperty("algotrade.inbox.spinMicros");
    if (v == null || v.isBlank()) {
      return DEFAULT_SPIN_MICROS;
    }
    try {
      int micros = Integer.parseInt(v.trim());
      if (micros >= 0 && micros <= 10_000) {
        return micros;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    log.warn("algotrade.inbox.spinMicros must be an integer in [0, 10000], was '{}'; using {}", v,
        DEFAULT_SPIN_MICROS);
    return DEFAULT_SPIN_MICROS;
  }

  /** Binds the inbox to the thread that will poll it. */
  public void bindOwner(Thread thread) {
    this.owner = thread;
  }

  public boolean isOwnerThread() {
    return Thread.currentThread() == owner;
  }

  public void post(Object message) {
    if (Thread.currentThread() == owner) {
      local.add(message);
      return;
    }
    if (external.offer(message)) {
      return;
    }
    blockedPosts.incrementAndGet();
    try {
      while (!external.offer(message, 1, TimeUnit.SECONDS)) {
        log.warn("engine inbox full, poster waiting capacity={} thread={}", capacity, Thread.currentThread().getName());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.error("interrupted while posting to a full engine inbox; message lost type={}",
          message.getClass().getSimpleName());
    }
  }

  /** Next message from the engine thread's own posts, or null. Owner thread only. */
  public Object pollLocal() {
    return local.poll();
  }

  public boolean hasLocal() {
    return !local.isEmpty();
  }

  /** Next message from other threads, waiting up to {@code timeoutNanos}. Owner thread only. */
  public Object pollExternal(long timeoutNanos) throws InterruptedException {
    Object m = external.poll();
    if (m != null || timeoutNanos <= 0) {
      return m;
    }
    long spin = Math.min(spinNanos, timeoutNanos);
    if (spin > 0) {
      SystemClock c = SystemClock.instance();
      long start = c.nanoTime();
      long spun;
      do {
        // yield, not a busy spin: on a machine with fewer free cores than runnable threads the
        // poster may need this very core; on an idle one yield returns at once
        Thread.yield();
        m = external.poll(); // a lock-free emptiness check while empty
        if (m != null) {
          return m;
        }
        spun = c.nanoTime() - start;
      } while (spun < spin);
      timeoutNanos -= spun;
      if (timeoutNanos <= 0) {
        return null;
      }
    }
    return external.poll(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  /** Longest settable watch: one second. */
  public static final long MAX_SPIN_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Sets how long an empty inbox is watched before the owner parks (0..1 s); takes effect at the next wait. */
  public void spinNanos(long nanos) {
    if (nanos < 0 || nanos > MAX_SPIN_NANOS) {
      throw new IllegalArgumentException("inbox spinNanos must be in [0, " + MAX_SPIN_NANOS + "], was " + nanos);
    }
    this.spinNanos = nanos;
  }

  /** How long an empty inbox is watched before the owner parks, in nanoseconds. */
  public long spinNanos() {
    return spinNanos;
  }

  public int depth() {
    return external.size() + local.size();
  }

  public int capacity() {
    return capacity;
  }

  /** How many posts found the queue full and had to wait. */
  public long blockedPosts() {
    return blockedPosts.get();
  }
}
