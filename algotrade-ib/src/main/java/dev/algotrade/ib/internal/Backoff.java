package dev.algotrade.ib.internal;

import dev.algotrade.ib.ReconnectPolicy;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The attempt counter of one reconnect loop: hands out the policy's delays one by one with a
 * seeded random jitter, and starts again from the first delay after {@link #reset()} (a session
 * that became ready). Confined to the client's connection thread (not thread-safe).
 */
public final class Backoff {

  private final ReconnectPolicy policy;
  private final RandomGenerator random;
  private int attempt;

  public Backoff(ReconnectPolicy policy, RandomGenerator random) {
    if (policy == null || random == null) {
      throw new IllegalArgumentException("Backoff needs a policy and a random generator, was " + policy + ", "
          + random);
    }
    this.policy = policy;
    this.random = random;
  }

  /** The delay before the next attempt; counts that attempt. */
  public Duration next() {
    attempt = attempt == Integer.MAX_VALUE ? attempt : attempt + 1;
    return policy.delay(attempt, random.nextDouble());
  }

  /** Attempts handed out since the last reset. */
  public int attempt() {
    return attempt;
  }

  /** True once {@link ReconnectPolicy#maxAttempts()} (if any) have been handed out. */
  public boolean exhausted() {
    return policy.maxAttempts() > 0 && attempt >= policy.maxAttempts();
  }

  public void reset() {
    attempt = 0;
  }
}
