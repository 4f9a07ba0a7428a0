package dev.algotrade.core.indicator;

import java.util.Arrays;

/**
 * Simple moving average: the mean of the last {@code period} values.
 *
 * <p>Keeps the window in a ring buffer and a running sum with Neumaier compensation. To keep
 * rounding from drifting over a long series, the sum is recomputed exactly from the window each
 * time the ring buffer wraps (once every {@code period} updates), so an update costs O(1)
 * amortised (one extra addition per update on average) and never allocates.
 *
 * <p>Not thread-safe: confined to one thread (the engine thread).
 */
public final class Sma implements SeriesIndicator {

  private final int period;
  private final double[] window;
  private int next;
  private long count;
  private double sum;
  private double compensation;

  /**
   * @param period number of values averaged (> 0)
   * @throws IllegalArgumentException if {@code period <= 0}
   */
  public Sma(int period) {
    this.period = IndicatorChecks.period(period, "Sma.period");
    this.window = new double[period];
  }

  public int period() {
    return period;
  }

  @Override
  public double update(double value) {
    IndicatorChecks.finite(value, "Sma.update value");
    if (count >= period) {
      add(-window[next]);
    }
    window[next] = value;
    add(value);
    count++;
    if (++next == period) {
      next = 0;
      if (count >= period) {
        recompute();
      }
    }
    return value();
  }

  private void add(double x) {
    double t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) {
      compensation += (sum - t) + x;
    } else {
      compensation += (x - t) + sum;
    }
    sum = t;
  }

  /** Exact sum of the window, oldest first (called when the oldest value sits at index 0). */
  private void recompute() {
    double s = 0;
    for (double v : window) {
      s += v;
    }
    sum = s;
    compensation = 0;
  }

  @Override
  public double value() {
    return count >= period ? (sum + compensation) / period : Double.NaN;
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
    sum = 0;
    compensation = 0;
  }

  @Override
  public String toString() {
    return "Sma(" + period + ")=" + value();
  }
}
