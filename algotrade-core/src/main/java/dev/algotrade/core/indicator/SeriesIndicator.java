package dev.algotrade.core.indicator;

/**
 * An indicator over one series of numbers, e.g. closing prices or quote midpoints. Confined to
 * one thread, like every {@link Indicator}.
 */
public interface SeriesIndicator extends Indicator {

  /**
   * Adds the next value of the series (finite) and returns the new {@link #value()}
   * ({@link Double#NaN} while not ready).
   *
   * @throws IllegalArgumentException if {@code value} is NaN or infinite
   */
  double update(double value);
}
