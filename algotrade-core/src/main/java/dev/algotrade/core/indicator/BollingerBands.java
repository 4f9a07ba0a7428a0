package dev.algotrade.core.indicator;

import java.util.Arrays;

/**
 * Bollinger Bands: the middle band is the simple mean of the last {@code period} values, the
 * upper and lower bands are {@code middle ± k * sd}, where {@code sd} is the population standard
 * deviation of the window (divisor {@code period}). {@link #value()} is the middle band.
 *
 * <p>Numerics: the window sits in a ring buffer; the sums of {@code x - shift} and
 * {@code (x - shift)^2} are kept with Neumaier compensation, where {@code shift} is the window
 * mean at the last exact recompute. Working with deviations from a nearby shift avoids the
 * catastrophic cancellation of {@code E[x^2] - E[x]^2} at high price levels. The sums are
 * recomputed exactly (two passes over the window) each time the ring buffer wraps, i.e. once
 * every {@code period} updates, so drift cannot build up: O(1) amortised per update, no
 * allocation.
 *
 * <p>Not thread-safe: confined to one thread (the engine thread).
 */
public final class BollingerBands implements SeriesIndicator {

  private final int period;
  private final double k;
  private final double[] window;
  private int next;
  private long count;
  private double shift;
  private double sum;
  private double sumComp;
  private double sumSq;
  private double sumSqComp;

  /**
   * @param period number of values in the window (> 0); 20 is customary
   * @param k band width in standard deviations (finite, >= 0); 2 is customary
   * @throws IllegalArgumentException if {@code period <= 0} or {@code k} is negative or not
   *     finite
   */
  public BollingerBands(int period, double k) {
    String error = null;
    if (period <= 0) {
      error = "BollingerBands.period must be > 0, was " + period;
    }
    if (!(k >= 0) || k == Double.POSITIVE_INFINITY) {
      String kError = "BollingerBands.k must be finite and >= 0, was " + k;
      error = error == null ? kError : error + "; " + kError;
    }
    if (error != null) {
      throw new IllegalArgumentException(error);
    }
    this.period = period;
    this.k = k;
    this.window = new double[period];
  }

  public int period() {
    return period;
  }

  public double k() {
    return k;
  }

  @Override
  public double update(double value) {
    IndicatorChecks.finite(value, "BollingerBands.update value");
    if (count == 0) {
      shift = value;
    }
    if (count >= period) {
      double old = window[next] - shift;
      addSum(-old);
      addSumSq(-old * old);
    }
    window[next] = value;
    double d = value - shift;
    addSum(d);
    addSumSq(d * d);
    count++;
    if (++next == period) {
      next = 0;
      if (count >= period) {
        recompute();
      }
    }
    return middle();
  }

  private void addSum(double x) {
    double t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) {
      sumComp += (sum - t) + x;
    } else {
      sumComp += (x - t) + sum;
    }
    sum = t;
  }

  private void addSumSq(double x) {
    double t = sumSq + x;
    if (Math.abs(sumSq) >= Math.abs(x)) {
      sumSqComp += (sumSq - t) + x;
    } else {
      sumSqComp += (x - t) + sumSq;
    }
    sumSq = t;
  }

  /** Exact two-pass recompute, re-centring the shift on the window mean. */
  private void recompute() {
    double s = 0;
    for (double v : window) {
      s += v;
    }
    double mean = s / period;
    double d1 = 0;
    double d2 = 0;
    for (double v : window) {
      double d = v - mean;
      d1 += d;
      d2 += d * d;
    }
    shift = mean;
    sum = d1;
    sumComp = 0;
    sumSq = d2;
    sumSqComp = 0;
  }

  /** The middle band: the mean of the window (NaN while not ready). */
  public double middle() {
    return count >= period ? shift + (sum + sumComp) / period : Double.NaN;
  }

  /** Population standard deviation of the window (NaN while not ready). */
  public double standardDeviation() {
    if (count < period) {
      return Double.NaN;
    }
    double m = (sum + sumComp) / period;
    double variance = (sumSq + sumSqComp) / period - m * m;
    return variance > 0 ? Math.sqrt(variance) : 0;
  }

  /** {@code middle + k * sd} (NaN while not ready). */
  public double upper() {
    return middle() + k * standardDeviation();
  }

  /** {@code middle - k * sd} (NaN while not ready). */
  public double lower() {
    return middle() - k * standardDeviation();
  }

  /** The middle band. */
  @Override
  public double value() {
    return middle();
  }

  @Override
  public boolean isReady() {
    return count >= period;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public void reset() {
    Arrays.fill(window, 0);
    next = 0;
    count = 0;
    shift = 0;
    sum = 0;
    sumComp = 0;
    sumSq = 0;
    sumSqComp = 0;
  }

  @Override
  public String toString() {
    return "BollingerBands(" + period + "," + k + ")=" + lower() + "/" + middle() + "/" + upper();
  }
}
