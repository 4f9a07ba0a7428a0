package dev.algotrade.api.order;

import java.time.Instant;

/**
 * Something happened to an order. Engine-made events: {@link OrderSubmitted},
 * {@link OrderDenied}. Broker-made events: {@link OrderAccepted}, {@link OrderRejected},
 * {@link OrderFilled}, {@link OrderCancelled}, {@link OrderExpired},
 * {@link OrderCancelRejected}.
 */
public sealed interface OrderEvent
    permits OrderSubmitted, OrderDenied, OrderAccepted, OrderRejected, OrderFilled, OrderCancelled,
        OrderExpired, OrderCancelRejected {

  /** The order concerned; null only for a fill of an order we did not place. */
  ClientOrderId clientOrderId();

  Instant time();
}
