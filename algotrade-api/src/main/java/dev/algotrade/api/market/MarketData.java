package dev.algotrade.api.market;

import java.time.Instant;

/** One piece of market data for one instrument: a quote, a trade or a bar. */
public sealed interface MarketData permits Quote, Trade, Bar {

  InstrumentId instrument();

  /** When it happened (for a bar: when the bar closed); the engine's clock follows this in replay. */
  Instant time();
}
