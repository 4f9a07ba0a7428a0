package dev.algotrade.examples;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.core.indicator.Sma;

/**
 * Moving-average crossover on the mid price: long {@code quantity} while the fast SMA is above
 * the slow one, short {@code quantity} (or flat, if {@code allowShort} is false) while it is
 * below. It states a target position and lets the engine's planner work out the orders.
 * Engine-thread only, like every strategy.
 */
public final class MovingAverageCrossover implements Strategy {

  private final InstrumentId instrument;
  private final Sma fast;
  private final Sma slow;
  private final double quantity;
  private final boolean allowShort;
  private double target;
  private long signals;

  public MovingAverageCrossover(InstrumentId instrument, int fastPeriod, int slowPeriod, double quantity,
      boolean allowShort) {
    if (instrument == null) {
      throw new IllegalArgumentException("MovingAverageCrossover instrument must not be null");
    }
    if (fastPeriod < 1 || slowPeriod <= fastPeriod) {
      throw new IllegalArgumentException("MovingAverageCrossover needs 1 <= fastPeriod < slowPeriod, was fast="
          + fastPeriod + " slow=" + slowPeriod);
    }
    if (!(quantity > 0) || Double.isInfinite(quantity)) {
      throw new IllegalArgumentException("MovingAverageCrossover quantity must be finite and > 0, was " + quantity);
    }
    this.instrument = instrument;
    this.fast = new Sma(fastPeriod);
    this.slow = new Sma(slowPeriod);
    this.quantity = quantity;
    this.allowShort = allowShort;
  }

  /** Fast 20, slow 50, 100 shares, long and short. */
  public static MovingAverageCrossover ofDefaults(InstrumentId instrument) {
    return new MovingAverageCrossover(instrument, 20, 50, 100, true);
  }

  @Override
  public String name() {
    return "ma-crossover";
  }

  @Override
  public void onQuote(StrategyContext ctx, Quote q) {
    if (!q.instrument().equals(instrument) || !q.isTwoSided()) {
      return;
    }
    double mid = q.mid();
    double f = fast.update(mid);
    double s = slow.update(mid);
    if (!slow.isReady()) {
      return;
    }
    double want = target;
    if (f > s) {
      want = quantity;
    } else if (f < s) {
      want = allowShort ? -quantity : 0;
    }
    if (want != target) {
      target = want;
      signals++;
      ctx.targetPosition(instrument, want);
    } else if (ctx.position(instrument) != want) {
      // a denied, rejected or partly filled order left us off target: ask again
      ctx.targetPosition(instrument, want);
    }
  }

  /** How many times the target changed. */
  public long signals() {
    return signals;
  }

  public double target() {
    return target;
  }
}
