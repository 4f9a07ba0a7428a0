package dev.algotrade.api.broker;

import dev.algotrade.api.internal.Checks;
import dev.algotrade.api.order.Order;
import java.time.Instant;
import java.util.List;

/** Every working order the broker knows for the account. */
public record OpenOrdersReport(List<Order> orders, Instant time) {
  public OpenOrdersReport {
    orders = List.copyOf(Checks.notNull(orders, "OpenOrdersReport.orders"));
    Checks.notNull(time, "OpenOrdersReport.time");
  }
}
