package dev.algotrade.core.indicator;

/**
 * What every indicator offers: its current value, whether it has seen enough input to have one,
 * how many inputs it has seen, and a reset. How values go in differs by kind: a
 * {@link SeriesIndicator} takes one number per update, {@link Atr} takes high, low and close.
 *
 * <p>Indicators are mutable and not thread-safe: each one is confined to one thread (the engine
 * thread in a running system).
 */
public interface Indicator {

  /** The current value, or {@link Double#NaN} while {@link #isReady()} is false. */
  double value();

  /** Whether enough input has been seen for {@link #value()} to be defined. */
  boolean isReady();

  /** How many inputs have been given since construction or the last {@link #reset()}. */
  long count();

  /** Forgets all input, as if newly constructed. */
  void reset();
}
