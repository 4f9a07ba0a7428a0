package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/** The broker acknowledged the order and it is working. */
public record OrderAccepted(ClientOrderId clientOrderId, BrokerOrderId brokerOrderId, Instant time)
    implements OrderEvent {
  public OrderAccepted {
    Checks.notNull(clientOrderId, "OrderAccepted.clientOrderId");
    Checks.notNull(brokerOrderId, "OrderAccepted.brokerOrderId");
    Checks.notNull(time, "OrderAccepted.time");
  }
}
