package dev.algotrade.core.internal;

import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's inbox. Other threads post into a bounded queue (a full queue makes the poster
 * wait: back-pressure, never loss); the engine thread's own posts (e.g. a paper broker's
 * synchronous fills) go to an unbounded local queue that is drained first, so the engine
 * never blocks on itself. Thread-safe for posting; polling is for the owner thread only.
 */
public final class Inbox {
  private static final Logger log = LoggerFactory.getLogger(Inbox.class);

  private final ArrayDeque<Object> local = new ArrayDeque<>();
  private final BlockingQueue<Object> external;
  private final int capacity;
  private final AtomicLong blockedPosts = new AtomicLong();
  private volatile Thread owner;

  public Inbox(int capacity) {
    if (capacity < 16) {
      throw new IllegalArgumentException("inbox capacity must be >= 16, was " + capacity);
    }
    this.capacity = capacity;
    this.external = new ArrayBlockingQueue<>(capacity);
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
    if (timeoutNanos <= 0) {
      return external.poll();
    }
    return external.poll(timeoutNanos, TimeUnit.NANOSECONDS);
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
