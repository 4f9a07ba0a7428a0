package dev.algotrade.core.indicator;

/** Argument checks shared by the indicators; messages name the argument and the value. */
final class IndicatorChecks {
  private IndicatorChecks() {}

  static int period(int period, String field) {
    if (period <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, was " + period);
    }
    return period;
  }

  static void finite(double value, String field) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number, was " + value);
    }
  }
}
