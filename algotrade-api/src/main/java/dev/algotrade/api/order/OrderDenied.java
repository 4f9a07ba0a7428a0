package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/**
 * A risk rule vetoed the order; it never reached the broker.
 *
 * @param code a stable reason code, e.g. {@code EXPOSURE_LIMIT}
 * @param details key=value facts, e.g. {@code instrument=AAPL after=12400.00 limit=10000.00}
 */
public record OrderDenied(
    ClientOrderId clientOrderId, OrderRequest request, String code, String details, Instant time)
    implements OrderEvent {
  public OrderDenied {
    Checks.notNull(clientOrderId, "OrderDenied.clientOrderId");
    Checks.notNull(request, "OrderDenied.request");
    Checks.notBlank(code, "OrderDenied.code");
    Checks.notNull(details, "OrderDenied.details");
    Checks.notNull(time, "OrderDenied.time");
  }

  /** {@code CODE: details}. */
  public String reason() {
    return details.isEmpty() ? code : code + ": " + details;
  }
}
