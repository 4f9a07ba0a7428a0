package dev.algotrade.core.internal;

import dev.algotrade.api.order.BrokerOrderId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.OrderView;
import java.time.Instant;

/**
 * The engine's mutable record of one order. Confined to the engine thread; strategies see
 * immutable {@link Order} snapshots. As an {@link OrderView} it is handed to the store for the
 * duration of a record call when no strategy wants a snapshot.
 */
public final class WorkingOrder implements OrderView {
  final ClientOrderId id;
  final OrderRequest request;
  /** Index of the strategy that placed it, or -1 for the system (breaker, shutdown). */
  final int owner;
  final Instant createdAt;
  BrokerOrderId brokerOrderId;
  OrderStatus status;
  double filled;
  double notionalFilled;
  Instant updatedAt;
  String reason = "";
  boolean cancelRequested;
  /**
   * Adopted from a broker report: the part of the reported filled quantity whose executions
   * have not been replayed yet, and the report's time (executions up to then are in it).
   */
  double historyFilled;
  Instant historyAt;
  /** Open-orders reports in a row that did not list this working order. */
  int missingReports;
  /** Reconciliation already acted on this order's absence (HALT keeps it; no second alert). */
  boolean missingActedOn;

  WorkingOrder(ClientOrderId id, OrderRequest request, int owner, OrderStatus status, Instant now) {
    this.id = id;
    this.request = request;
    this.owner = owner;
    this.status = status;
    this.createdAt = now;
    this.updatedAt = now;
  }

  /** Quantity the broker may still fill; 0 once terminal. */
  double remaining() {
    return status.isWorking() ? Math.max(0, request.quantity() - filled) : 0;
  }

  @Override
  public double averageFillPrice() {
    return filled > 0 ? notionalFilled / filled : Double.NaN;
  }

  @Override
  public Order snapshot() {
    return new Order(id, brokerOrderId, request, status, filled, averageFillPrice(), createdAt, updatedAt, reason);
  }

  public ClientOrderId id() {
    return id;
  }

  @Override
  public OrderStatus status() {
    return status;
  }

  @Override
  public ClientOrderId clientOrderId() {
    return id;
  }

  @Override
  public BrokerOrderId brokerOrderId() {
    return brokerOrderId;
  }

  @Override
  public OrderRequest request() {
    return request;
  }

  @Override
  public double filledQuantity() {
    return filled;
  }

  @Override
  public Instant createdAt() {
    return createdAt;
  }

  @Override
  public Instant updatedAt() {
    return updatedAt;
  }

  @Override
  public String reason() {
    return reason;
  }
}
