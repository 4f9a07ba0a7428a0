package dev.algotrade.core.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BollingerBandsTest {

  @ParameterizedTest
  @CsvSource({
    "1,2.0,51,10000,0.001",
    "2,2.0,52,10000,0.001",
    "20,2.0,53,10000,0.001",
    "20,2.5,54,10000,0.00001", // tiny moves at a high level: sd ~ 0.2 on 10_000
    "200,1.0,55,10000,0.0005",
    "1000,2.0,56,100000,0.0001"
  })
  void agreesWithTwoPassRecomputationAtEveryStep(int period, double k, long seed, double level, double vol) {
    double[] xs = Series.walk(seed, 50_000, level, vol);
    BollingerBands bb = new BollingerBands(period, k);
    for (int i = 0; i < xs.length; i++) {
      bb.update(xs[i]);
      if (i + 1 < period) {
        assertThat(bb.isReady()).isFalse();
        assertThat(bb.middle()).isNaN();
        assertThat(bb.upper()).isNaN();
        continue;
      }
      double sum = 0;
      for (int j = i - period + 1; j <= i; j++) {
        sum += xs[j];
      }
      double mean = sum / period;
      double sq = 0;
      for (int j = i - period + 1; j <= i; j++) {
        sq += (xs[j] - mean) * (xs[j] - mean);
      }
      double sd = Math.sqrt(sq / period);
      Series.assertClose(mean, bb.middle(), 1e-9, "middle at " + i);
      Series.assertClose(sd, bb.standardDeviation(), 1e-9, "sd at " + i);
      Series.assertClose(mean + k * sd, bb.upper(), 1e-9, "upper at " + i);
      Series.assertClose(mean - k * sd, bb.lower(), 1e-9, "lower at " + i);
    }
  }

  @Test
  void constantSeriesHasZeroWidth() {
    BollingerBands bb = new BollingerBands(5, 2);
    for (int i = 0; i < 12; i++) {
      bb.update(10_000.37);
    }
    assertThat(bb.standardDeviation()).isEqualTo(0.0);
    assertThat(bb.upper()).isEqualTo(bb.lower()).isEqualTo(bb.middle());
    assertThat(bb.middle()).isEqualTo(10_000.37, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void knownSmallWindow() {
    BollingerBands bb = new BollingerBands(4, 2);
    for (double x : new double[] {2, 4, 4, 4, 5, 5, 7, 9}) {
      bb.update(x);
    }
    // last four: 5,5,7,9 -> mean 6.5, population variance (2.25+2.25+0.25+6.25)/4 = 2.75
    assertThat(bb.middle()).isEqualTo(6.5);
    assertThat(bb.standardDeviation()).isEqualTo(Math.sqrt(2.75), org.assertj.core.data.Offset.offset(1e-12));
    bb.reset();
    assertThat(bb.isReady()).isFalse();
  }

  @Test
  void rejectsBadArgumentsNamingEach() {
    assertThatThrownBy(() -> new BollingerBands(0, -1))
        .hasMessage("BollingerBands.period must be > 0, was 0; BollingerBands.k must be finite and >= 0, was -1.0");
    assertThatThrownBy(() -> new BollingerBands(20, Double.NaN))
        .hasMessage("BollingerBands.k must be finite and >= 0, was NaN");
  }
}
