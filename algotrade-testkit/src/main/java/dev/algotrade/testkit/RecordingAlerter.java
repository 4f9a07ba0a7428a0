package dev.algotrade.testkit;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.AlertDeliveryException;
import dev.algotrade.api.alert.Alerter;
import dev.algotrade.api.alert.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An {@link Alerter} that records what it is given, for tests. It can also fail its next
 * deliveries ({@link #failNext}) to exercise a composite's retries. Thread-safe: alerts may
 * arrive on any thread while the test reads and awaits.
 */
public final class RecordingAlerter implements Alerter {

  private final String name;
  private final List<Alert> alerts = new ArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile boolean failRetryable;
  private volatile boolean closed;

  public RecordingAlerter() {
    this("recording");
  }

  public RecordingAlerter(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("RecordingAlerter.name must not be blank, was " + (name == null ? "null" : "'" + name + "'"));
    }
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  /** Records the alert; never throws. */
  @Override
  public void send(Alert alert) {
    record(alert);
  }

  /** Records the alert, or throws while failures set by {@link #failNext} remain. */
  @Override
  public void deliver(Alert alert) {
    attempts.incrementAndGet();
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new AlertDeliveryException("RecordingAlerter scripted failure", failRetryable);
    }
    record(alert);
  }

  private void record(Alert alert) {
    synchronized (alerts) {
      alerts.add(alert);
    }
  }

  /** The next {@code n} calls of {@link #deliver} throw an {@link AlertDeliveryException}. */
  public RecordingAlerter failNext(int n, boolean retryable) {
    if (n < 0) {
      throw new IllegalArgumentException("RecordingAlerter.failNext n must be >= 0, was " + n);
    }
    this.failRetryable = retryable;
    failuresLeft.set(n);
    return this;
  }

  /** A copy of the alerts recorded so far, in arrival order. */
  public List<Alert> alerts() {
    synchronized (alerts) {
      return List.copyOf(alerts);
    }
  }

  public int count() {
    synchronized (alerts) {
      return alerts.size();
    }
  }

  /** Alerts of at least {@code severity}. */
  public List<Alert> atLeast(Severity severity) {
    return matching(a -> a.severity().compareTo(severity) >= 0);
  }

  public List<Alert> matching(Predicate<Alert> filter) {
    List<Alert> out = new ArrayList<>();
    for (Alert a : alerts()) {
      if (filter.test(a)) {
        out.add(a);
      }
    }
    return out;
  }

  /** Calls of {@link #deliver}, failed ones included. */
  public int attempts() {
    return attempts.get();
  }

  public void clear() {
    synchronized (alerts) {
      alerts.clear();
    }
  }

  /** Waits until at least {@code n} alerts were recorded; returns them. */
  public List<Alert> awaitCount(int n, Duration timeout) {
    Await.until(n + " alerts recorded by " + name + " (have " + count() + ")", timeout, () -> count() >= n);
    return alerts();
  }

  public List<Alert> awaitCount(int n) {
    return awaitCount(n, Duration.ofSeconds(10));
  }

  /** Waits until an alert matching {@code filter} was recorded; returns the first such. */
  public Alert await(String what, Duration timeout, Predicate<Alert> filter) {
    return Await.value(what, timeout, () -> {
      List<Alert> m = matching(filter);
      return m.isEmpty() ? null : m.get(0);
    });
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "RecordingAlerter[" + name + ", alerts=" + count() + "]";
  }
}
