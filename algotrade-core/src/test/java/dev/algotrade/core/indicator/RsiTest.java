package dev.algotrade.core.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RsiTest {

  /** RSI over the prefix xs[0..i], computed from scratch. */
  static double fromScratch(double[] xs, int i, int period) {
    if (i < period) {
      return Double.NaN;
    }
    double g = 0;
    double l = 0;
    for (int j = 1; j <= period; j++) {
      double c = xs[j] - xs[j - 1];
      g += Math.max(c, 0);
      l += Math.max(-c, 0);
    }
    g /= period;
    l /= period;
    for (int j = period + 1; j <= i; j++) {
      double c = xs[j] - xs[j - 1];
      g = (g * (period - 1) + Math.max(c, 0)) / period;
      l = (l * (period - 1) + Math.max(-c, 0)) / period;
    }
    if (l == 0) {
      return g == 0 ? 50 : 100;
    }
    return 100 - 100 / (1 + g / l);
  }

  @ParameterizedTest
  @CsvSource({"1,21", "2,22", "14,23", "100,24"})
  void agreesWithFullRecomputationAtEveryStep(int period, long seed) {
    double[] xs = Series.walk(seed, 3_000, 10_000, 0.002);
    Rsi rsi = new Rsi(period);
    for (int i = 0; i < xs.length; i++) {
      double got = rsi.update(xs[i]);
      if (i < period) {
        assertThat(rsi.isReady()).isFalse();
        assertThat(got).isNaN();
        continue;
      }
      assertThat(got).isBetween(0.0, 100.0);
      Series.assertClose(fromScratch(xs, i, period), got, 1e-9, "Rsi(" + period + ") at " + i);
    }
  }

  @Test
  void constantSeriesIsFiftyAndMonotoneSeriesAreTheExtremes() {
    Rsi flat = new Rsi(5);
    Rsi up = new Rsi(5);
    Rsi down = new Rsi(5);
    for (int i = 0; i < 20; i++) {
      flat.update(100);
      up.update(100 + i);
      down.update(100 - i);
    }
    assertThat(flat.value()).isEqualTo(50.0);
    assertThat(up.value()).isEqualTo(100.0);
    assertThat(down.value()).isEqualTo(0.0);
  }

  @Test
  void readyAfterPeriodPlusOneValues() {
    Rsi rsi = new Rsi(2);
    rsi.update(10);
    rsi.update(11);
    assertThat(rsi.isReady()).isFalse();
    // changes +1, -1: average gain 0.5, loss 0.5 -> 50; then +2: gain 1.25, loss 0.25 -> 83.33
    assertThat(rsi.update(10)).isEqualTo(50.0);
    assertThat(rsi.update(12)).isCloseTo(100 - 100 / (1 + 1.25 / 0.25), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(rsi.averageGain()).isEqualTo(1.25);
    assertThat(rsi.averageLoss()).isEqualTo(0.25);
    rsi.reset();
    assertThat(rsi.value()).isNaN();
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new Rsi(0)).hasMessage("Rsi.period must be > 0, was 0");
  }
}
