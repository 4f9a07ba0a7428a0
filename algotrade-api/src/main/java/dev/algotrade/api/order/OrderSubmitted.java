package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/** The engine passed the order through every risk rule and handed it to the broker. */
public record OrderSubmitted(ClientOrderId clientOrderId, OrderRequest request, Instant time)
    implements OrderEvent {
  public OrderSubmitted {
    Checks.notNull(clientOrderId, "OrderSubmitted.clientOrderId");
    Checks.notNull(request, "OrderSubmitted.request");
    Checks.notNull(time, "OrderSubmitted.time");
  }
}
