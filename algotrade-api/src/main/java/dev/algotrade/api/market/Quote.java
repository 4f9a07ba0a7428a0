package dev.algotrade.api.market;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/**
 * Best bid and offer. Prices and sizes are finite and >= 0. A crossed or locked book is allowed
 * (real feeds send them briefly); a one-sided book has a price of 0 with size 0 on the empty
 * side.
 */
public record Quote(
    InstrumentId instrument, Instant time, double bid, double ask, double bidSize, double askSize)
    implements MarketData {

  public Quote {
    if (instrument == null) {
      Checks.notNull(instrument, "Quote.instrument");
    }
    if (time == null) {
      Checks.notNull(time, "Quote.time");
    }
    // one combined test on the hot path; the slow path says which field was wrong
    if (!(bid >= 0 && ask >= 0 && bidSize >= 0 && askSize >= 0
        && bid < Double.POSITIVE_INFINITY && ask < Double.POSITIVE_INFINITY
        && bidSize < Double.POSITIVE_INFINITY && askSize < Double.POSITIVE_INFINITY)) {
      Checks.nonNegative(bid, "Quote.bid");
      Checks.nonNegative(ask, "Quote.ask");
      Checks.nonNegative(bidSize, "Quote.bidSize");
      Checks.nonNegative(askSize, "Quote.askSize");
    }
  }

  /** Midpoint; if one side is empty (0), the other side. */
  public double mid() {
    if (bid > 0 && ask > 0) {
      return (bid + ask) * 0.5;
    }
    return bid > 0 ? bid : ask;
  }

  /** Ask minus bid. */
  public double spread() {
    return ask - bid;
  }

  /** Whether both sides have a price. */
  public boolean isTwoSided() {
    return bid > 0 && ask > 0;
  }
}
