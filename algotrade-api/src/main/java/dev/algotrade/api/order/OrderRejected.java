package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/**
 * The broker refused the order.
 *
 * @param code the broker's code (IB: the error code, e.g. {@code 201}), or a paper-broker code
 * @param reason the broker's text
 */
public record OrderRejected(ClientOrderId clientOrderId, String code, String reason, Instant time)
    implements OrderEvent {
  public OrderRejected {
    Checks.notNull(clientOrderId, "OrderRejected.clientOrderId");
    Checks.notBlank(code, "OrderRejected.code");
    Checks.notNull(reason, "OrderRejected.reason");
    Checks.notNull(time, "OrderRejected.time");
  }
}
