package dev.algotrade.ib.testkit;

import dev.algotrade.api.internal.Checks;

/**
 * Server-side snapshot of one order, as the gateway holds it (the truth a reconciliation test
 * compares against). Immutable.
 *
 * @param orderId the client's order id (unique per client id)
 * @param clientId the API client id that placed it
 * @param permId the gateway-wide permanent id
 * @param action {@code BUY} or {@code SELL}
 * @param orderType {@code MKT}, {@code LMT}, {@code STP} or {@code STP LMT}
 * @param limitPrice limit price, 0 when not set
 * @param auxPrice stop trigger price, 0 when not set
 * @param tif time in force as sent ({@code DAY}, {@code GTC}, {@code IOC}, ...)
 * @param status IB status text: {@code PreSubmitted}, {@code Submitted}, {@code Filled},
 *     {@code Cancelled}
 */
public record SimOrder(
    int orderId,
    int clientId,
    long permId,
    String account,
    String symbol,
    int conId,
    String action,
    double quantity,
    String orderType,
    double limitPrice,
    double auxPrice,
    String tif,
    String orderRef,
    String status,
    double filled,
    double avgFillPrice) {

  public SimOrder {
    Checks.notBlank(action, "SimOrder.action");
    Checks.notBlank(symbol, "SimOrder.symbol");
    Checks.notBlank(orderType, "SimOrder.orderType");
    Checks.notNull(orderRef, "SimOrder.orderRef");
    Checks.notBlank(status, "SimOrder.status");
    Checks.nonNegative(quantity, "SimOrder.quantity");
    Checks.nonNegative(filled, "SimOrder.filled");
  }

  public double remaining() {
    return Math.max(0, quantity - filled);
  }

  /** True while the order can still fill (not Filled, Cancelled or Inactive). */
  public boolean isWorking() {
    return status.equals("Submitted") || status.equals("PreSubmitted");
  }
}
