package dev.algotrade.api.internal;

/**
 * Argument checks for validating constructors. Every message names the field and the value
 * that was wrong, e.g. {@code Quote.bid must be >= 0, was -1.0}. Not API.
 */
public final class Checks {
  private Checks() {}

  public static <T> T notNull(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    return value;
  }

  public static String notBlank(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          field + " must not be blank, was " + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  public static double finite(double value, String field) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number, was " + value);
    }
    return value;
  }

  public static double nonNegative(double value, String field) {
    if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(field + " must be finite and >= 0, was " + value);
    }
    return value;
  }

  public static double positive(double value, String field) {
    if (!(value > 0) || value == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(field + " must be finite and > 0, was " + value);
    }
    return value;
  }

  public static long nonNegative(long value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, was " + value);
    }
    return value;
  }

  public static int positive(int value, String field) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, was " + value);
    }
    return value;
  }

  public static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
