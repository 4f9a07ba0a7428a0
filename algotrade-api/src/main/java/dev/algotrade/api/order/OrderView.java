package dev.algotrade.api.order;

import java.time.Instant;

/**
 * An order's state as its accessors read it now. {@link Order} is the immutable one; the engine
 * hands a store a live view of its own working order when no strategy wants a snapshot, so a
 * store that copies the fields it needs spares the engine building one per order event.
 *
 * <p>A view that is not an {@link Order} is valid only during the call it was passed to and only
 * on the calling thread: read what you need before returning, or keep {@link #snapshot()}.
 */
public interface OrderView {
  ClientOrderId clientOrderId();

  /** The broker's id, or null before the broker acknowledged the order. */
  BrokerOrderId brokerOrderId();

  OrderRequest request();

  OrderStatus status();

  double filledQuantity();

  /** Volume-weighted fill price, or NaN if nothing is filled. */
  double averageFillPrice();

  Instant createdAt();

  Instant updatedAt();

  /** Why it was denied, rejected, cancelled or expired; empty otherwise. */
  String reason();

  /** An immutable copy of this state (an {@link Order} returns itself). */
  Order snapshot();
}
