package dev.algotrade.ib.testkit;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/**
 * One execution as the gateway booked it. {@code realizedPnl} is NaN for a fill that only opened
 * or increased a position. Immutable.
 *
 * @param side {@code BOT} or {@code SLD}, as in execDetails
 * @param shares this fill's size
 * @param cumQty the order's cumulative filled size after this fill
 * @param avgPrice the order's average fill price after this fill
 */
public record SimFill(
    String execId,
    int orderId,
    int clientId,
    long permId,
    String account,
    String symbol,
    int conId,
    String side,
    double shares,
    double price,
    double cumQty,
    double avgPrice,
    double commission,
    double realizedPnl,
    Instant time,
    String orderRef) {

  public SimFill {
    Checks.notBlank(execId, "SimFill.execId");
    Checks.notBlank(side, "SimFill.side");
    Checks.positive(shares, "SimFill.shares");
    Checks.positive(price, "SimFill.price");
    Checks.nonNegative(commission, "SimFill.commission");
    Checks.notNull(time, "SimFill.time");
    Checks.notNull(orderRef, "SimFill.orderRef");
  }
}
