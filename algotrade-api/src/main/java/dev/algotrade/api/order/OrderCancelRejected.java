package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/** A cancel request was refused (too late, unknown order). The order's status is unchanged. */
public record OrderCancelRejected(ClientOrderId clientOrderId, String reason, Instant time)
    implements OrderEvent {
  public OrderCancelRejected {
    Checks.notNull(clientOrderId, "OrderCancelRejected.clientOrderId");
    Checks.notNull(reason, "OrderCancelRejected.reason");
    Checks.notNull(time, "OrderCancelRejected.time");
  }
}
