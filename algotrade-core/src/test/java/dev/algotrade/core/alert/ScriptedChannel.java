package dev.algotrade.core.alert;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.AlertDeliveryException;
import dev.algotrade.api.alert.Alerter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A test channel: records delivered alerts, can fail its next deliveries or block until
 * released. Thread-safe.
 */
final class ScriptedChannel implements Alerter {

  private final String name;
  private final List<Alert> delivered = new ArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile boolean retryable;
  private volatile RuntimeException otherFailure;
  private volatile CountDownLatch gate;

  ScriptedChannel(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void send(Alert alert) {
    throw new AssertionError("the composite must call deliver(), not send()");
  }

  @Override
  public void deliver(Alert alert) {
    attempts.incrementAndGet();
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      RuntimeException other = otherFailure;
      if (other != null) {
        throw other;
      }
      throw new AlertDeliveryException("scripted failure", retryable);
    }
    synchronized (delivered) {
      delivered.add(alert);
    }
  }

  ScriptedChannel failNext(int n, boolean retryable) {
    this.retryable = retryable;
    failuresLeft.set(n);
    return this;
  }

  ScriptedChannel failNextWith(int n, RuntimeException failure) {
    this.otherFailure = failure;
    failuresLeft.set(n);
    return this;
  }

  /** Deliveries block until {@link #release()}. */
  ScriptedChannel block() {
    gate = new CountDownLatch(1);
    return this;
  }

  void release() {
    CountDownLatch g = gate;
    if (g != null) {
      g.countDown();
    }
  }

  int attempts() {
    return attempts.get();
  }

  List<Alert> delivered() {
    synchronized (delivered) {
      return List.copyOf(delivered);
    }
  }

  int count() {
    synchronized (delivered) {
      return delivered.size();
    }
  }

  /** Polls until the condition holds; fails after 10 s. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
