package dev.algotrade.core.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MacdTest {

  /** A plain EMA series over an array (NaN until seeded), seeded with the SMA. */
  static double[] emaSeries(double[] xs, int period) {
    double[] out = new double[xs.length];
    Arrays.fill(out, Double.NaN);
    if (xs.length < period) {
      return out;
    }
    double alpha = 2.0 / (period + 1);
    double e = 0;
    for (int j = 0; j < period; j++) {
      e += xs[j];
    }
    e /= period;
    out[period - 1] = e;
    for (int j = period; j < xs.length; j++) {
      e = e + alpha * (xs[j] - e);
      out[j] = e;
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"12,26,9,41", "1,2,1,42", "5,35,5,43"})
  void agreesWithFullRecomputationAtEveryStep(int fast, int slow, int signal, long seed) {
    double[] xs = Series.walk(seed, 10_000, 10_000, 0.001);
    double[] f = emaSeries(xs, fast);
    double[] s = emaSeries(xs, slow);
    double[] line = new double[xs.length - (slow - 1)];
    for (int i = slow - 1; i < xs.length; i++) {
      line[i - (slow - 1)] = f[i] - s[i];
    }
    double[] sig = emaSeries(line, signal);
    Macd macd = new Macd(fast, slow, signal);
    for (int i = 0; i < xs.length; i++) {
      macd.update(xs[i]);
      if (i + 1 < slow) {
        assertThat(macd.line()).isNaN();
        assertThat(macd.isReady()).isFalse();
        continue;
      }
      Series.assertClose(f[i] - s[i], macd.line(), 1e-9, "line at " + i);
      int li = i - (slow - 1);
      if (li + 1 < signal) {
        assertThat(macd.isReady()).isFalse();
        assertThat(macd.signal()).isNaN();
        continue;
      }
      assertThat(macd.isReady()).isTrue();
      Series.assertClose(sig[li], macd.signal(), 1e-9, "signal at " + i);
      Series.assertClose(line[li] - sig[li], macd.histogram(), 1e-9, "histogram at " + i);
    }
  }

  @Test
  void readyAfterSlowPlusSignalMinusOneValues() {
    Macd macd = new Macd(2, 4, 3);
    for (int i = 0; i < 5; i++) {
      macd.update(100 + i * i);
      assertThat(macd.isReady()).isFalse();
    }
    macd.update(200);
    assertThat(macd.isReady()).isTrue();
    assertThat(macd.count()).isEqualTo(6);
    macd.reset();
    assertThat(macd.isReady()).isFalse();
    assertThat(macd.line()).isNaN();
  }

  @Test
  void rejectsBadArgumentsNamingEach() {
    assertThatThrownBy(() -> new Macd(26, 12, 9))
        .hasMessage("Macd.fast must be < Macd.slow, was fast=26 slow=12");
    assertThatThrownBy(() -> new Macd(0, 12, -1))
        .hasMessage("Macd.fast must be > 0, was 0; Macd.signal must be > 0, was -1");
  }
}
