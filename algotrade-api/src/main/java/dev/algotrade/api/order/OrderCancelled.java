package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/** The order is no longer working: cancelled on request, by the broker, or an IOC remainder. */
public record OrderCancelled(ClientOrderId clientOrderId, String reason, Instant time) implements OrderEvent {
  public OrderCancelled {
    Checks.notNull(clientOrderId, "OrderCancelled.clientOrderId");
    Checks.notNull(reason, "OrderCancelled.reason");
    Checks.notNull(time, "OrderCancelled.time");
  }
}
