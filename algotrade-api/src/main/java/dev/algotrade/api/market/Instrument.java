package dev.algotrade.api.market;

import dev.algotrade.api.internal.Checks;

/**
 * A tradable instrument and the facts an order needs: tick size, lot size and multiplier.
 *
 * @param id our identifier
 * @param symbol the venue's symbol (for a stock usually equal to the id)
 * @param type security type
 * @param exchange routing exchange, e.g. {@code SMART}
 * @param currency ISO currency code
 * @param tickSize smallest price increment (> 0)
 * @param lotSize smallest quantity increment (> 0)
 * @param multiplier contract multiplier (1 for stocks)
 */
public record Instrument(
    InstrumentId id,
    String symbol,
    SecurityType type,
    String exchange,
    String currency,
    double tickSize,
    double lotSize,
    double multiplier) {

  public Instrument {
    Checks.notNull(id, "Instrument.id");
    Checks.notBlank(symbol, "Instrument.symbol");
    Checks.notNull(type, "Instrument.type");
    Checks.notBlank(exchange, "Instrument.exchange");
    Checks.notBlank(currency, "Instrument.currency");
    Checks.positive(tickSize, "Instrument.tickSize");
    Checks.positive(lotSize, "Instrument.lotSize");
    Checks.positive(multiplier, "Instrument.multiplier");
  }

  /** A US stock routed SMART in USD, tick 0.01, lot 1. */
  public static Instrument stock(String symbol) {
    return new Instrument(InstrumentId.of(symbol), symbol, SecurityType.STOCK, "SMART", "USD", 0.01, 1, 1);
  }

  /** Same instrument with another tick size. */
  public Instrument withTickSize(double newTickSize) {
    return new Instrument(id, symbol, type, exchange, currency, newTickSize, lotSize, multiplier);
  }

  /** Same instrument with another lot size. */
  public Instrument withLotSize(double newLotSize) {
    return new Instrument(id, symbol, type, exchange, currency, tickSize, newLotSize, multiplier);
  }

  /** The nearest price on this instrument's tick grid. */
  public double roundPrice(double price) {
    return Math.round(price / tickSize) * tickSize;
  }

  /** Whether {@code price} lies on the tick grid (to within a millionth of a tick). */
  public boolean isOnTick(double price) {
    double ticks = price / tickSize;
    return Math.abs(ticks - Math.rint(ticks)) < 1e-6;
  }

  /** Rounds a quantity toward zero to a whole number of lots. */
  public double roundQuantityDown(double quantity) {
    double lots = quantity / lotSize;
    // tolerate binary noise just below a whole lot, e.g. 2.9999999999 lots
    double whole = lots >= 0 ? Math.floor(lots + 1e-9) : Math.ceil(lots - 1e-9);
    return whole * lotSize;
  }

  /** Whether {@code quantity} is a whole number of lots (to within a millionth of a lot). */
  public boolean isWholeLots(double quantity) {
    double lots = quantity / lotSize;
    return Math.abs(lots - Math.rint(lots)) < 1e-6;
  }
}
