package dev.algotrade.ib.testkit;

import dev.algotrade.api.internal.Checks;

/**
 * A position as the gateway holds it. {@code averageCost} includes commissions, as IB reports it
 * (per share). Immutable.
 */
public record SimPosition(
    String account, String symbol, int conId, double quantity, double averageCost,
    double realizedPnl) {

  public SimPosition {
    Checks.notBlank(account, "SimPosition.account");
    Checks.notBlank(symbol, "SimPosition.symbol");
    Checks.finite(quantity, "SimPosition.quantity");
    Checks.finite(averageCost, "SimPosition.averageCost");
  }
}
