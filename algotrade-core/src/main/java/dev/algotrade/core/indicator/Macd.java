package dev.algotrade.core.indicator;

/**
 * Moving average convergence/divergence: the line is {@code EMA(fast) - EMA(slow)} of the input,
 * the signal is an {@code EMA(signal)} of the line, and the histogram is line minus signal. Each
 * EMA is an {@link Ema} (alpha {@code 2 / (n + 1)}, seeded with the simple mean of its first n
 * inputs). The line is defined after {@code slow} values, the signal and histogram after
 * {@code slow + signal - 1}; {@link #isReady()} means all three are defined, and {@link #value()}
 * is the line. Update is O(1) and allocation-free.
 *
 * <p>Not thread-safe: confined to one thread (the engine thread).
 */
public final class Macd implements SeriesIndicator {

  private final int fastPeriod;
  private final int slowPeriod;
  private final int signalPeriod;
  private final Ema fast;
  private final Ema slow;
  private final Ema signal;
  private long count;
  private double line = Double.NaN;

  /**
   * @param fast period of the fast EMA (> 0, < slow); 12 is customary
   * @param slow period of the slow EMA (> fast); 26 is customary
   * @param signal period of the signal EMA over the line (> 0); 9 is customary
   * @throws IllegalArgumentException if a period is <= 0 or {@code fast >= slow}
   */
  public Macd(int fast, int slow, int signal) {
    StringBuilder errors = new StringBuilder();
    if (fast <= 0) {
      errors.append("Macd.fast must be > 0, was ").append(fast).append("; ");
    }
    if (slow <= 0) {
      errors.append("Macd.slow must be > 0, was ").append(slow).append("; ");
    }
    if (signal <= 0) {
      errors.append("Macd.signal must be > 0, was ").append(signal).append("; ");
    }
    if (fast > 0 && slow > 0 && fast >= slow) {
      errors.append("Macd.fast must be < Macd.slow, was fast=").append(fast).append(" slow=")
          .append(slow).append("; ");
    }
    if (errors.length() > 0) {
      throw new IllegalArgumentException(errors.substring(0, errors.length() - 2));
    }
    this.fastPeriod = fast;
    this.slowPeriod = slow;
    this.signalPeriod = signal;
    this.fast = new Ema(fast);
    this.slow = new Ema(slow);
    this.signal = new Ema(signal);
  }

  @Override
  public double update(double value) {
    IndicatorChecks.finite(value, "Macd.update value");
    count++;
    double f = fast.update(value);
    double s = slow.update(value);
    if (slow.isReady()) {
      line = f - s;
      signal.update(line);
    }
    return line;
  }

  /** The MACD line, {@code EMA(fast) - EMA(slow)} (NaN before {@code slow} values). */
  public double line() {
    return line;
  }

  /** The signal line, an EMA of the MACD line (NaN while not ready). */
  public double signal() {
    return signal.value();
  }

  /** Line minus signal (NaN while not ready). */
  public double histogram() {
    return line - signal.value();
  }

  /** The MACD line (may be defined before {@link #isReady()}, which also needs the signal). */
  @Override
  public double value() {
    return line;
  }

  @Override
  public boolean isReady() {
    return signal.isReady();
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public void reset() {
    fast.reset();
    slow.reset();
    signal.reset();
    count = 0;
    line = Double.NaN;
  }

  public int fastPeriod() {
    return fastPeriod;
  }

  public int slowPeriod() {
    return slowPeriod;
  }

  public int signalPeriod() {
    return signalPeriod;
  }

  @Override
  public String toString() {
    return "Macd(" + fastPeriod + "," + slowPeriod + "," + signalPeriod + ")=" + line + "/"
        + signal() + "/" + histogram();
  }
}
