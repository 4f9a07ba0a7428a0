package dev.algotrade.core.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmaTest {

  @ParameterizedTest
  @CsvSource({"1,1", "2,2", "14,3", "50,4", "200,5", "1000,6"})
  void agreesWithFullRecomputationAtEveryStep(int period, long seed) {
    double[] xs = Series.walk(seed, 20_000, 10_000, 0.001);
    Sma sma = new Sma(period);
    for (int i = 0; i < xs.length; i++) {
      double got = sma.update(xs[i]);
      if (i + 1 < period) {
        assertThat(sma.isReady()).isFalse();
        assertThat(got).isNaN();
        continue;
      }
      double sum = 0;
      for (int j = i - period + 1; j <= i; j++) {
        sum += xs[j];
      }
      Series.assertClose(sum / period, got, 1e-9, "Sma(" + period + ") at " + i);
      assertThat(sma.value()).isEqualTo(got);
    }
    assertThat(sma.count()).isEqualTo(xs.length);
  }

  @Test
  void notReadyBeforePeriodAndResetForgets() {
    Sma sma = new Sma(3);
    sma.update(1);
    sma.update(2);
    assertThat(sma.isReady()).isFalse();
    assertThat(sma.value()).isNaN();
    assertThat(sma.update(6)).isEqualTo(3.0);
    assertThat(sma.update(10)).isEqualTo(6.0);
    sma.reset();
    assertThat(sma.count()).isZero();
    assertThat(sma.isReady()).isFalse();
    sma.update(4);
    sma.update(4);
    assertThat(sma.update(4)).isEqualTo(4.0);
  }

  @Test
  void periodOneIsTheLatestValue() {
    Sma sma = new Sma(1);
    assertThat(sma.update(7.5)).isEqualTo(7.5);
    assertThat(sma.update(-2)).isEqualTo(-2.0);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new Sma(0)).hasMessage("Sma.period must be > 0, was 0");
    assertThatThrownBy(() -> new Sma(2).update(Double.NaN))
        .hasMessage("Sma.update value must be a finite number, was NaN");
  }
}
