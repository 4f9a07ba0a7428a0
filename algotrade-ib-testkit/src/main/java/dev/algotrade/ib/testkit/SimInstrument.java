package dev.algotrade.ib.testkit;

import dev.algotrade.api.internal.Checks;

/**
 * A stock the simulated gateway knows: what reqContractDetails returns and what reqMktData and
 * placeOrder resolve against (by conId, or by symbol). Immutable.
 *
 * @param symbol ticker symbol, e.g. {@code AAPL}
 * @param conId IB contract id, positive and unique within one gateway
 * @param minTick price increment; limit and stop prices must be multiples of it (else error 110)
 * @param exchange routing exchange reported in contract details, usually {@code SMART}
 * @param primaryExchange listing exchange, e.g. {@code NASDAQ}
 * @param currency ISO currency, e.g. {@code USD}
 * @param longName company name
 * @param startPrice the mid price the market starts from
 */
public record SimInstrument(
    String symbol,
    int conId,
    double minTick,
    String exchange,
    String primaryExchange,
    String currency,
    String longName,
    double startPrice) {

  public SimInstrument {
    Checks.notBlank(symbol, "SimInstrument.symbol");
    Checks.positive(conId, "SimInstrument.conId");
    Checks.positive(minTick, "SimInstrument.minTick");
    Checks.notBlank(exchange, "SimInstrument.exchange");
    Checks.notBlank(primaryExchange, "SimInstrument.primaryExchange");
    Checks.notBlank(currency, "SimInstrument.currency");
    Checks.notNull(longName, "SimInstrument.longName");
    Checks.positive(startPrice, "SimInstrument.startPrice");
  }

  /** A USD stock on SMART with primary exchange NASDAQ. */
  public static SimInstrument stock(String symbol, int conId, double minTick, double startPrice) {
    return new SimInstrument(
        symbol, conId, minTick, "SMART", "NASDAQ", "USD", symbol + " INC", startPrice);
  }
}
