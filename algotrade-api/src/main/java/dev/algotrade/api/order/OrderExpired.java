package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/** The order's time in force ran out (a DAY order at the end of the day). */
public record OrderExpired(ClientOrderId clientOrderId, Instant time) implements OrderEvent {
  public OrderExpired {
    Checks.notNull(clientOrderId, "OrderExpired.clientOrderId");
    Checks.notNull(time, "OrderExpired.time");
  }
}
