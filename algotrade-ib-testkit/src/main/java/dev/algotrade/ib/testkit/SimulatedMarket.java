package dev.algotrade.ib.testkit;

import dev.algotrade.api.internal.Checks;

/**
 * Test control of the gateway's market: advance it one step, or set a quote outright. Each call
 * publishes the changed ticks to subscribed clients and matches resting orders. Thread-safe.
 */
public final class SimulatedMarket {

  private final GatewayCore core;

  SimulatedMarket(GatewayCore core) {
    this.core = core;
  }

  /** Every instrument takes its next quote from the {@link MarketModel}. */
  public SimulatedMarket step() {
    core.step();
    return this;
  }

  /** Sets {@code symbol}'s top of book (sizes in shares). */
  public SimulatedMarket setQuote(String symbol, double bid, double ask, double bidSize,
      double askSize) {
    Checks.notBlank(symbol, "symbol");
    core.setQuote(symbol, new SimQuote(bid, ask, bidSize, askSize));
    return this;
  }

  /** The session closes: working DAY orders are cancelled (orderStatus Cancelled + 202). */
  public SimulatedMarket endOfDay() {
    core.endOfDay();
    return this;
  }

  /** The displayed quote (sizes reduced by fills since the last quote). */
  public SimQuote quote(String symbol) {
    Checks.notBlank(symbol, "symbol");
    return core.quote(symbol);
  }
}
