package dev.algotrade.ib.testkit;

import java.util.Random;

/**
 * A seeded random walk: the mid moves by a normal step of {@code volatility} x price per step
 * (rounded to the tick), the spread is one to three ticks and displayed sizes are 100 to 1,000
 * shares. The same seed gives the same quotes. Confined to the gateway's lock.
 */
public final class RandomWalkMarket implements MarketModel {

  private final Random random;
  private final double volatility;

  private RandomWalkMarket(long seed, double volatility) {
    if (!(volatility >= 0) || volatility > 0.5) {
      throw new IllegalArgumentException(
          "RandomWalkMarket.volatility must be in [0, 0.5], was " + volatility);
    }
    this.random = new Random(seed);
    this.volatility = volatility;
  }

  /** A walk with 0.05% steps. */
  public static RandomWalkMarket seeded(long seed) {
    return new RandomWalkMarket(seed, 0.0005);
  }

  /** A walk whose relative step size is {@code volatility} (e.g. 0.001 = 0.1%). */
  public static RandomWalkMarket seeded(long seed, double volatility) {
    return new RandomWalkMarket(seed, volatility);
  }

  @Override
  public SimQuote initial(SimInstrument instrument) {
    return around(instrument, instrument.startPrice());
  }

  @Override
  public SimQuote next(SimInstrument instrument, SimQuote current) {
    double mid = current.mid() * (1 + volatility * random.nextGaussian());
    return around(instrument, Math.max(mid, instrument.minTick() * 4));
  }

  private SimQuote around(SimInstrument instrument, double mid) {
    double tick = instrument.minTick();
    int spreadTicks = 1 + random.nextInt(3);
    double bid = Math.max(tick, Math.round((mid - spreadTicks * tick / 2) / tick) * tick);
    double ask = bid + spreadTicks * tick;
    double bidSize = 100 * (1 + random.nextInt(10));
    double askSize = 100 * (1 + random.nextInt(10));
    return new SimQuote(round(bid, tick), round(ask, tick), bidSize, askSize);
  }

  static double round(double price, double tick) {
    double r = Math.round(price / tick) * tick;
    return Math.round(r * 1e8) / 1e8;
  }
}
