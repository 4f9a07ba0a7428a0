package dev.algotrade.ib;

import dev.algotrade.api.ConfigurationException;
import java.time.Duration;

/**
 * How {@link IbClient} waits between connection attempts: exponential backoff with jitter. The
 * delay before attempt {@code n} (1-based, counted since the last session that became ready) is
 * {@code min(maxDelay, initialDelay * multiplier^(n-1))}, multiplied by a uniform factor in
 * {@code [1 - jitter, 1 + jitter]} and capped at {@code maxDelay} again. Defaults: 1 s doubling
 * to a 60 s cap, jitter 0.2, unlimited attempts. Delays are measured on the client's
 * {@link dev.algotrade.api.time.Clock}.
 *
 * <p>Immutable and thread-safe; the compact constructor validates every field and names the bad
 * value.
 *
 * @param enabled false: the client makes one connection and stays DISCONNECTED once it is lost
 * @param initialDelay delay before the first attempt after a loss (> 0)
 * @param multiplier growth per attempt (>= 1)
 * @param maxDelay cap on any delay (>= initialDelay)
 * @param jitter fraction of random spread around each delay, in [0, 1)
 * @param maxAttempts attempts per outage before giving up; 0 = unlimited
 */
public record ReconnectPolicy(
    boolean enabled,
    Duration initialDelay,
    double multiplier,
    Duration maxDelay,
    double jitter,
    int maxAttempts) {

  public ReconnectPolicy {
    if (initialDelay == null || initialDelay.isNegative() || initialDelay.isZero()) {
      throw new ConfigurationException("ReconnectPolicy.initialDelay must be > 0, was " + initialDelay);
    }
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new ConfigurationException("ReconnectPolicy.multiplier must be >= 1 and finite, was " + multiplier);
    }
    if (maxDelay == null || maxDelay.compareTo(initialDelay) < 0) {
      throw new ConfigurationException("ReconnectPolicy.maxDelay must be >= initialDelay " + initialDelay
          + ", was " + maxDelay);
    }
    if (!(jitter >= 0) || jitter >= 1) {
      throw new ConfigurationException("ReconnectPolicy.jitter must be in [0, 1), was " + jitter);
    }
    if (maxAttempts < 0) {
      throw new ConfigurationException("ReconnectPolicy.maxAttempts must be >= 0 (0 = unlimited), was "
          + maxAttempts);
    }
  }

  /** 1 s doubling to 60 s, jitter 0.2, unlimited attempts. */
  public static ReconnectPolicy ofDefaults() {
    return new ReconnectPolicy(true, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 0.2, 0);
  }

  /** No reconnecting: one connection, as a one-shot client. */
  public static ReconnectPolicy disabled() {
    return ofDefaults().withEnabled(false);
  }

  public ReconnectPolicy withEnabled(boolean value) {
    return new ReconnectPolicy(value, initialDelay, multiplier, maxDelay, jitter, maxAttempts);
  }

  /** Both ends of the backoff: the first delay and the cap. */
  public ReconnectPolicy withDelays(Duration initial, Duration max) {
    return new ReconnectPolicy(enabled, initial, multiplier, max, jitter, maxAttempts);
  }

  public ReconnectPolicy withMultiplier(double value) {
    return new ReconnectPolicy(enabled, initialDelay, value, maxDelay, jitter, maxAttempts);
  }

  public ReconnectPolicy withJitter(double value) {
    return new ReconnectPolicy(enabled, initialDelay, multiplier, maxDelay, value, maxAttempts);
  }

  public ReconnectPolicy withMaxAttempts(int value) {
    return new ReconnectPolicy(enabled, initialDelay, multiplier, maxDelay, jitter, value);
  }

  /**
   * The delay before attempt {@code attempt} (1-based). Pure: {@code random01} is a uniform
   * draw in [0, 1) supplied by the caller (a seeded generator in the client, a constant in tests).
   */
  public Duration delay(int attempt, double random01) {
    if (attempt < 1) {
      throw new IllegalArgumentException("ReconnectPolicy.delay attempt must be >= 1, was " + attempt);
    }
    if (!(random01 >= 0) || random01 >= 1) {
      throw new IllegalArgumentException("ReconnectPolicy.delay random01 must be in [0, 1), was " + random01);
    }
    double cap = maxDelay.toNanos();
    double base = initialDelay.toNanos() * Math.pow(multiplier, Math.min(attempt - 1, 1_000));
    base = Math.min(cap, base);
    double factor = 1 + jitter * (2 * random01 - 1);
    long nanos = (long) Math.min(cap, base * factor);
    return Duration.ofNanos(Math.max(1, nanos));
  }
}
