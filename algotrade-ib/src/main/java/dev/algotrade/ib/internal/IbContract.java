package dev.algotrade.ib.internal;

import java.util.Objects;

/**
 * The 12-field contract block of ib-protocol.md §1.8 (c1..c12), as sent in reqMktData,
 * placeOrder, reqHistoricalData and reqContractDetails. Strings are never null (empty = unset).
 * Immutable.
 */
public record IbContract(
    int conId,
    String symbol,
    String secType,
    String lastTradeDateOrContractMonth,
    double strike,
    String right,
    String multiplier,
    String exchange,
    String primaryExchange,
    String currency,
    String localSymbol,
    String tradingClass) {

  public IbContract {
    Objects.requireNonNull(symbol, "IbContract.symbol");
    Objects.requireNonNull(secType, "IbContract.secType");
    Objects.requireNonNull(lastTradeDateOrContractMonth, "IbContract.lastTradeDateOrContractMonth");
    Objects.requireNonNull(right, "IbContract.right");
    Objects.requireNonNull(multiplier, "IbContract.multiplier");
    Objects.requireNonNull(exchange, "IbContract.exchange");
    Objects.requireNonNull(primaryExchange, "IbContract.primaryExchange");
    Objects.requireNonNull(currency, "IbContract.currency");
    Objects.requireNonNull(localSymbol, "IbContract.localSymbol");
    Objects.requireNonNull(tradingClass, "IbContract.tradingClass");
  }

  /** A contract known only by symbol, type, exchange and currency (conId 0). */
  public static IbContract of(String symbol, String secType, String exchange, String currency) {
    return new IbContract(0, symbol, secType, "", 0.0, "", "", exchange, "", currency, "", "");
  }

  public IbContract withConId(int id) {
    return new IbContract(id, symbol, secType, lastTradeDateOrContractMonth, strike, right, multiplier,
        exchange, primaryExchange, currency, localSymbol, tradingClass);
  }

  public IbContract withPrimaryExchange(String primary) {
    return new IbContract(conId, symbol, secType, lastTradeDateOrContractMonth, strike, right, multiplier,
        exchange, primary, currency, localSymbol, tradingClass);
  }

  /** Writes c1..c12 in order. */
  void writeTo(FieldWriter w) {
    w.add(conId).add(symbol).add(secType).add(lastTradeDateOrContractMonth).add(strike).add(right)
        .add(multiplier).add(exchange).add(primaryExchange).add(currency).add(localSymbol).add(tradingClass);
  }
}
