package dev.algotrade.core.indicator;

/**
 * Exponential moving average with smoothing factor {@code alpha = 2 / (period + 1)}.
 *
 * <p>Seeding: the first value is the simple average of the first {@code period} values, and the
 * EMA is ready from then on; each later value {@code x} moves it by {@code alpha * (x - ema)}.
 * Seeding with the SMA (rather than with the first value) keeps the early values from leaning on
 * one observation, and matches the usual charting packages; the price is that nothing is
 * reported before {@code period} values. Update is O(1) and allocation-free.
 *
 * <p>Not thread-safe: confined to one thread (the engine thread).
 */
public final class Ema implements SeriesIndicator {

  private final int period;
  private final double alpha;
  private long count;
  private double seedSum;
  private double ema = Double.NaN;

  /**
   * @param period the span (> 0); alpha is {@code 2 / (period + 1)}
   * @throws IllegalArgumentException if {@code period <= 0}
   */
  public Ema(int period) {
    this.period = IndicatorChecks.period(period, "Ema.period");
    this.alpha = 2.0 / (period + 1);
  }

  public int period() {
    return period;
  }

  /** The smoothing factor {@code 2 / (period + 1)}. */
  public double alpha() {
    return alpha;
  }

  @Override
  public double update(double value) {
    IndicatorChecks.finite(value, "Ema.update value");
    count++;
    if (count < period) {
      seedSum += value;
    } else if (count == period) {
      seedSum += value;
      ema = seedSum / period;
    } else {
      ema += alpha * (value - ema);
    }
    return ema;
  }

  @Override
  public double value() {
    return ema;
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
    seedSum = 0;
    ema = Double.NaN;
  }

  @Override
  public String toString() {
    return "Ema(" + period + ")=" + ema;
  }
}
