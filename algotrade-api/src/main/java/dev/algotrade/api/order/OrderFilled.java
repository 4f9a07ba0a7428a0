package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/** An execution against the order (partial or complete). */
public record OrderFilled(Fill fill) implements OrderEvent {
  public OrderFilled {
    Checks.notNull(fill, "OrderFilled.fill");
  }

  @Override
  public ClientOrderId clientOrderId() {
    return fill.clientOrderId();
  }

  @Override
  public Instant time() {
    return fill.time();
  }
}
