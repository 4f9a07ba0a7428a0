package dev.algotrade.core.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AtrTest {

  static double fromScratch(double[][] bars, int i, int period) {
    if (i + 1 < period) {
      return Double.NaN;
    }
    double[] tr = new double[i + 1];
    for (int j = 0; j <= i; j++) {
      double h = bars[j][0];
      double l = bars[j][1];
      tr[j] = j == 0 ? h - l
          : Math.max(h - l, Math.max(Math.abs(h - bars[j - 1][2]), Math.abs(l - bars[j - 1][2])));
    }
    double atr = 0;
    for (int j = 0; j < period; j++) {
      atr += tr[j];
    }
    atr /= period;
    for (int j = period; j <= i; j++) {
      atr = (atr * (period - 1) + tr[j]) / period;
    }
    return atr;
  }

  @ParameterizedTest
  @CsvSource({"1,31", "2,32", "14,33", "100,34"})
  void agreesWithFullRecomputationAtEveryStep(int period, long seed) {
    double[][] bars = Series.bars(seed, 3_000, 10_000, 0.003);
    Atr atr = new Atr(period);
    for (int i = 0; i < bars.length; i++) {
      double got = atr.update(bars[i][0], bars[i][1], bars[i][2]);
      if (i + 1 < period) {
        assertThat(atr.isReady()).isFalse();
        assertThat(got).isNaN();
        continue;
      }
      Series.assertClose(fromScratch(bars, i, period), got, 1e-9, "Atr(" + period + ") at " + i);
    }
  }

  @Test
  void trueRangeUsesThePreviousClose() {
    Atr atr = new Atr(2);
    atr.update(10, 9, 9.5);
    assertThat(atr.trueRange()).isEqualTo(1.0);
    atr.update(12, 11, 11.5); // gap up: high - previous close = 2.5
    assertThat(atr.trueRange()).isEqualTo(2.5);
    assertThat(atr.value()).isEqualTo(1.75);
    atr.update(11.6, 11.4, 11.5);
    assertThat(atr.value()).isEqualTo((1.75 + 0.2) / 2, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new Atr(0)).hasMessage("Atr.period must be > 0, was 0");
    assertThatThrownBy(() -> new Atr(3).update(9, 10, 9.5))
        .hasMessage("Atr.update high must be >= low, was high=9.0 low=10.0");
    assertThatThrownBy(() -> new Atr(3).update(10, Double.NaN, 9.5))
        .hasMessage("Atr.update low must be a finite number, was NaN");
  }
}
