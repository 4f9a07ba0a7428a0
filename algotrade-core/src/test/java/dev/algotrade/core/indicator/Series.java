package dev.algotrade.core.indicator;

import java.util.SplittableRandom;

/** Seeded random series for the indicator tests. */
final class Series {
  private Series() {}

  /** A multiplicative random walk starting at {@code level}, relative step sd about {@code vol}. */
  static double[] walk(long seed, int n, double level, double vol) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] xs = new double[n];
    double x = level;
    for (int i = 0; i < n; i++) {
      x *= 1 + vol * (rng.nextDouble() * 2 - 1) * Math.sqrt(3);
      xs[i] = x;
    }
    return xs;
  }

  /** Bars around a walk: {high, low, close} per row. */
  static double[][] bars(long seed, int n, double level, double vol) {
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    double[] closes = walk(seed, n, level, vol);
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      double c = closes[i];
      double high = c * (1 + vol * rng.nextDouble());
      double low = c * (1 - vol * rng.nextDouble());
      rows[i] = new double[] {high, low, c};
    }
    return rows;
  }

  static void assertClose(double expected, double actual, double tolerance, String what) {
    if (!(Math.abs(expected - actual) <= tolerance)) {
      throw new AssertionError(what + ": expected " + expected + " but was " + actual
          + " (diff " + Math.abs(expected - actual) + ", tolerance " + tolerance + ")");
    }
  }
}
