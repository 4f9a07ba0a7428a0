package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/**
 * A snapshot of an order as the engine (or, in a broker report, the broker) knows it.
 *
 * @param clientOrderId our id; null only in a broker report of an order we did not place
 * @param brokerOrderId the broker's id, or null before the broker acknowledged it
 * @param filledQuantity quantity filled so far (0 .. request.quantity)
 * @param averageFillPrice volume-weighted fill price, or NaN if nothing filled
 * @param reason why it was denied, rejected, cancelled or expired; empty otherwise
 */
public record Order(
    ClientOrderId clientOrderId,
    BrokerOrderId brokerOrderId,
    OrderRequest request,
    OrderStatus status,
    double filledQuantity,
    double averageFillPrice,
    Instant createdAt,
    Instant updatedAt,
    String reason) implements OrderView {

  public Order {
    if (clientOrderId == null && brokerOrderId == null) {
      throw new IllegalArgumentException("Order needs a clientOrderId or a brokerOrderId, both were null");
    }
    Checks.notNull(request, "Order.request");
    Checks.notNull(status, "Order.status");
    Checks.nonNegative(filledQuantity, "Order.filledQuantity");
    if (filledQuantity > request.quantity() * (1 + 1e-9)) {
      throw new IllegalArgumentException("Order.filledQuantity must be <= quantity " + request.quantity()
          + ", was " + filledQuantity + " for " + clientOrderId);
    }
    if (filledQuantity > 0) {
      Checks.positive(averageFillPrice, "Order.averageFillPrice");
    }
    Checks.notNull(createdAt, "Order.createdAt");
    Checks.notNull(updatedAt, "Order.updatedAt");
    Checks.notNull(reason, "Order.reason");
  }

  /** Quantity not yet filled; 0 once the order is terminal. */
  public double remainingQuantity() {
    return status.isTerminal() ? 0 : Math.max(0, request.quantity() - filledQuantity);
  }

  public boolean isWorking() {
    return status.isWorking();
  }

  /** This order: it is immutable already. */
  @Override
  public Order snapshot() {
    return this;
  }
}
