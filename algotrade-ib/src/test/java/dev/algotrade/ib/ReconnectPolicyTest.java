package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.ib.internal.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The backoff policy and its attempt counter, without sockets or clocks. */
class ReconnectPolicyTest {

  private static List<Long> seconds(Backoff b, int n) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(b.next().toSeconds());
    }
    return out;
  }

  @Test
  void defaultsDoubleFromOneSecondToTheSixtySecondCap() {
    ReconnectPolicy p = ReconnectPolicy.ofDefaults();
    assertThat(p.enabled()).isTrue();
    assertThat(p.jitter()).isEqualTo(0.2);
    assertThat(p.maxAttempts()).isZero();
    Backoff b = new Backoff(p.withJitter(0), new SplittableRandom(1));
    assertThat(seconds(b, 9)).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    assertThat(b.attempt()).isEqualTo(9);
    assertThat(b.exhausted()).isFalse();
  }

  @Test
  void resetStartsAgainFromTheFirstDelay() {
    Backoff b = new Backoff(ReconnectPolicy.ofDefaults().withJitter(0), new SplittableRandom(1));
    seconds(b, 4);
    b.reset();
    assertThat(b.attempt()).isZero();
    assertThat(seconds(b, 2)).containsExactly(1L, 2L);
  }

  @Test
  void jitterStaysWithinItsFractionAndUnderTheCap() {
    ReconnectPolicy p = ReconnectPolicy.ofDefaults(); // jitter 0.2
    SplittableRandom random = new SplittableRandom(42);
    Set<Long> distinct = new HashSet<>();
    for (int round = 0; round < 200; round++) {
      for (int attempt = 1; attempt <= 10; attempt++) {
        double base = Math.min(60.0, Math.pow(2, attempt - 1));
        long nanos = p.delay(attempt, random.nextDouble()).toNanos();
        assertThat(nanos).as("attempt %d", attempt)
            .isBetween((long) (base * 0.8e9) - 1, (long) (Math.min(60.0, base * 1.2) * 1e9));
        if (attempt == 3) {
          distinct.add(nanos);
        }
      }
    }
    assertThat(distinct).as("jitter spreads the delays").hasSizeGreaterThan(100);
    // the extremes of the draw map to the extremes of the band
    assertThat(p.delay(3, 0.0)).isEqualTo(Duration.ofMillis(3200));
    assertThat(p.delay(3, 0.999_999_999).toMillis()).isEqualTo(4799);
    assertThat(p.delay(20, 0.999_999_999)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void seededSequencesRepeat() {
    Backoff a = new Backoff(ReconnectPolicy.ofDefaults(), new SplittableRandom(7));
    Backoff b = new Backoff(ReconnectPolicy.ofDefaults(), new SplittableRandom(7));
    for (int i = 0; i < 10; i++) {
      assertThat(a.next()).isEqualTo(b.next());
    }
  }

  @Test
  void maxAttemptsExhaustsTheBackoff() {
    Backoff b = new Backoff(ReconnectPolicy.ofDefaults().withMaxAttempts(2), new SplittableRandom(1));
    b.next();
    assertThat(b.exhausted()).isFalse();
    b.next();
    assertThat(b.exhausted()).isTrue();
  }

  @Test
  void customMultiplierAndCap() {
    ReconnectPolicy p = ReconnectPolicy.ofDefaults().withJitter(0).withMultiplier(3)
        .withDelays(Duration.ofMillis(500), Duration.ofSeconds(10));
    assertThat(p.delay(1, 0.5)).isEqualTo(Duration.ofMillis(500));
    assertThat(p.delay(2, 0.5)).isEqualTo(Duration.ofMillis(1500));
    assertThat(p.delay(3, 0.5)).isEqualTo(Duration.ofMillis(4500));
    assertThat(p.delay(4, 0.5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.delay(Integer.MAX_VALUE, 0.5)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void invalidValuesAreNamed() {
    ReconnectPolicy d = ReconnectPolicy.ofDefaults();
    assertThatThrownBy(() -> d.withJitter(1.0)).isInstanceOf(ConfigurationException.class)
        .hasMessage("ReconnectPolicy.jitter must be in [0, 1), was 1.0");
    assertThatThrownBy(() -> d.withMultiplier(0.5)).hasMessageContaining("ReconnectPolicy.multiplier")
        .hasMessageContaining("was 0.5");
    assertThatThrownBy(() -> d.withDelays(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage("ReconnectPolicy.initialDelay must be > 0, was PT0S");
    assertThatThrownBy(() -> d.withDelays(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessage("ReconnectPolicy.maxDelay must be >= initialDelay PT5S, was PT1S");
    assertThatThrownBy(() -> d.withMaxAttempts(-1)).hasMessageContaining("maxAttempts").hasMessageContaining("-1");
    assertThatThrownBy(() -> d.delay(0, 0.5)).hasMessageContaining("attempt must be >= 1, was 0");
    assertThatThrownBy(() -> d.delay(1, 1.0)).hasMessageContaining("random01");
    assertThat(ReconnectPolicy.disabled().enabled()).isFalse();
  }
}
