package dev.algotrade.ib.testkit;

import dev.algotrade.api.internal.Checks;

/**
 * Top of book for one instrument: best bid and ask with their displayed sizes (shares). A
 * marketable order fills at most the displayed size on the opposite side per quote. Immutable.
 */
public record SimQuote(double bid, double ask, double bidSize, double askSize) {

  public SimQuote {
    Checks.positive(bid, "SimQuote.bid");
    Checks.positive(ask, "SimQuote.ask");
    if (ask < bid) {
      throw new IllegalArgumentException(
          "SimQuote.ask must be >= bid, was ask=" + ask + " bid=" + bid);
    }
    Checks.nonNegative(bidSize, "SimQuote.bidSize");
    Checks.nonNegative(askSize, "SimQuote.askSize");
  }

  public double mid() {
    return (bid + ask) / 2;
  }
}
