package dev.algotrade.core.indicator;

/**
 * Relative strength index with Wilder's smoothing, on a 0..100 scale.
 *
 * <p>Each value after the first gives a change: a gain (the rise, else 0) and a loss (the fall,
 * else 0). The first average gain and loss are the simple means of the first {@code period}
 * changes; after that {@code avg = (avg * (period - 1) + latest) / period}. The RSI is
 * {@code 100 - 100 / (1 + avgGain / avgLoss)}; with no losses it is 100, and with neither gains
 * nor losses (a flat series) it is 50. Ready after {@code period + 1} values. Update is O(1) and
 * allocation-free.
 *
 * <p>Not thread-safe: confined to one thread (the engine thread).
 */
public final class Rsi implements SeriesIndicator {

  private final int period;
  private long count;
  private double previous;
  private double gainSum;
  private double lossSum;
  private double avgGain;
  private double avgLoss;
  private double rsi = Double.NaN;

  /**
   * @param period number of changes in the smoothing (> 0); 14 is customary
   * @throws IllegalArgumentException if {@code period <= 0}
   */
  public Rsi(int period) {
    this.period = IndicatorChecks.period(period, "Rsi.period");
  }

  public int period() {
    return period;
  }

  @Override
  public double update(double value) {
    IndicatorChecks.finite(value, "Rsi.update value");
    count++;
    if (count == 1) {
      previous = value;
      return rsi;
    }
    double change = value - previous;
    previous = value;
    double gain = change > 0 ? change : 0;
    double loss = change < 0 ? -change : 0;
    long changes = count - 1;
    if (changes < period) {
      gainSum += gain;
      lossSum += loss;
      return rsi;
    }
    if (changes == period) {
      avgGain = (gainSum + gain) / period;
      avgLoss = (lossSum + loss) / period;
    } else {
      avgGain = (avgGain * (period - 1) + gain) / period;
      avgLoss = (avgLoss * (period - 1) + loss) / period;
    }
    if (avgLoss == 0) {
      rsi = avgGain == 0 ? 50 : 100;
    } else {
      rsi = 100 - 100 / (1 + avgGain / avgLoss);
    }
    return rsi;
  }

  /** Wilder-smoothed average gain (NaN while not ready). */
  public double averageGain() {
    return isReady() ? avgGain : Double.NaN;
  }

  /** Wilder-smoothed average loss, as a positive number (NaN while not ready). */
  public double averageLoss() {
    return isReady() ? avgLoss : Double.NaN;
  }

  @Override
  public double value() {
    return rsi;
  }

  @Override
  public boolean isReady() {
    return count > period;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public void reset() {
    count = 0;
    previous = 0;
    gainSum = 0;
    lossSum = 0;
    avgGain = 0;
    avgLoss = 0;
    rsi = Double.NaN;
  }

  @Override
  public String toString() {
    return "Rsi(" + period + ")=" + rsi;
  }
}
