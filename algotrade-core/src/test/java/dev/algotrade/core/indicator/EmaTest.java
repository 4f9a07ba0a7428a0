package dev.algotrade.core.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmaTest {

  /**
   * The EMA written out as a weighted sum: alpha * (1-alpha)^j on the j-th latest value, plus
   * (1-alpha)^(steps) on the SMA seed; weights below 1e-25 are dropped.
   */
  static double closedForm(double[] xs, int i, int period) {
    double alpha = 2.0 / (period + 1);
    double seed = 0;
    for (int j = 0; j < period; j++) {
      seed += xs[j];
    }
    seed /= period;
    double total = 0;
    double w = 1;
    int j = i;
    for (; j >= period; j--) {
      total += alpha * w * xs[j];
      w *= 1 - alpha;
      if (w < 1e-25) {
        return total;
      }
    }
    return total + w * seed;
  }

  @ParameterizedTest
  @CsvSource({"1,11", "2,12", "10,13", "26,14", "200,15"})
  void agreesWithClosedFormAtEveryStep(int period, long seed) {
    double[] xs = Series.walk(seed, 10_000, 10_000, 0.001);
    Ema ema = new Ema(period);
    for (int i = 0; i < xs.length; i++) {
      double got = ema.update(xs[i]);
      if (i + 1 < period) {
        assertThat(ema.isReady()).isFalse();
        assertThat(got).isNaN();
        continue;
      }
      Series.assertClose(closedForm(xs, i, period), got, 1e-9, "Ema(" + period + ") at " + i);
    }
  }

  @Test
  void seededWithTheSimpleMeanThenSmoothed() {
    Ema ema = new Ema(3); // alpha 0.5
    assertThat(ema.alpha()).isEqualTo(0.5);
    ema.update(1);
    ema.update(2);
    assertThat(ema.value()).isNaN();
    assertThat(ema.update(6)).isEqualTo(3.0);
    assertThat(ema.update(7)).isEqualTo(5.0);
    ema.reset();
    assertThat(ema.isReady()).isFalse();
    assertThat(ema.count()).isZero();
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new Ema(-3)).hasMessage("Ema.period must be > 0, was -3");
    assertThatThrownBy(() -> new Ema(2).update(Double.POSITIVE_INFINITY))
        .hasMessageContaining("Ema.update value").hasMessageContaining("Infinity");
  }
}
