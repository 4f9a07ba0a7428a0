package dev.algotrade.core.indicator;

import dev.algotrade.api.market.Bar;

/**
 * Average true range with Wilder's smoothing.
 *
 * <p>The true range of a bar is the largest of {@code high - low}, {@code |high - prevClose|}
 * and {@code |low - prevClose|}; the first bar, having no previous close, uses
 * {@code high - low}. The first ATR is the simple mean of the first {@code period} true ranges;
 * after that {@code atr = (atr * (period - 1) + tr) / period}. Ready after {@code period} bars.
 * Update is O(1) and allocation-free.
 *
 * <p>Not thread-safe: confined to one thread (the engine thread).
 */
public final class Atr implements Indicator {

  private final int period;
  private long count;
  private double previousClose;
  private double trSum;
  private double trueRange = Double.NaN;
  private double atr = Double.NaN;

  /**
   * @param period number of bars in the smoothing (> 0); 14 is customary
   * @throws IllegalArgumentException if {@code period <= 0}
   */
  public Atr(int period) {
    this.period = IndicatorChecks.period(period, "Atr.period");
  }

  public int period() {
    return period;
  }

  /**
   * Adds one bar and returns the new {@link #value()} (NaN while not ready).
   *
   * @throws IllegalArgumentException if a price is not finite or {@code high < low}
   */
  public double update(double high, double low, double close) {
    if (!(Double.isFinite(high) && Double.isFinite(low) && Double.isFinite(close) && high >= low)) {
      IndicatorChecks.finite(high, "Atr.update high");
      IndicatorChecks.finite(low, "Atr.update low");
      IndicatorChecks.finite(close, "Atr.update close");
      throw new IllegalArgumentException(
          "Atr.update high must be >= low, was high=" + high + " low=" + low);
    }
    double tr = high - low;
    if (count > 0) {
      tr = Math.max(tr, Math.max(Math.abs(high - previousClose), Math.abs(low - previousClose)));
    }
    trueRange = tr;
    previousClose = close;
    count++;
    if (count < period) {
      trSum += tr;
    } else if (count == period) {
      trSum += tr;
      atr = trSum / period;
    } else {
      atr = (atr * (period - 1) + tr) / period;
    }
    return atr;
  }

  /** Adds one bar: {@code update(bar.high(), bar.low(), bar.close())}. */
  public double update(Bar bar) {
    return update(bar.high(), bar.low(), bar.close());
  }

  /** The true range of the latest bar (NaN before the first). */
  public double trueRange() {
    return trueRange;
  }

  @Override
  public double value() {
    return atr;
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
    count = 0;
    previousClose = 0;
    trSum = 0;
    trueRange = Double.NaN;
    atr = Double.NaN;
  }

  @Override
  public String toString() {
    return "Atr(" + period + ")=" + atr;
  }
}
