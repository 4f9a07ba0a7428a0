package dev.algotrade.core;

import dev.algotrade.api.order.Order;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.risk.TradingState;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** A consistent snapshot of a running system, taken on the engine thread. */
public record SystemStatus(
    Instant time,
    TradingState tradingState,
    String tradingStateReason,
    List<Position> positions,
    List<Order> openOrders,
    double equity,
    double dayPnl,
    double realizedPnl,
    double unrealizedPnl,
    long fills,
    long events,
    int inboxDepth) {

  public SystemStatus {
    positions = List.copyOf(positions);
    openOrders = List.copyOf(openOrders);
  }

  /** One compact line for a terminal. */
  public String format() {
    StringBuilder pos = new StringBuilder();
    for (Position p : positions) {
      if (pos.length() > 0) {
        pos.append(' ');
      }
      pos.append(p.instrument()).append('=').append(num(p.quantity())).append('@')
          .append(String.format(Locale.ROOT, "%.2f", p.averagePrice()));
    }
    return String.format(Locale.ROOT, "%s state=%s positions=[%s] pnlToday=%.2f equity=%.2f openOrders=%d fills=%d%s",
        time, tradingState, pos, dayPnl, equity, openOrders.size(), fills,
        tradingStateReason.isEmpty() ? "" : " reason=" + tradingStateReason);
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
