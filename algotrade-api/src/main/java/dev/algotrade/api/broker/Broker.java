package dev.algotrade.api.broker;

import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.OrderRequest;

/**
 * A place orders go. Every method returns quickly without waiting on the network: outbound
 * work is queued to the adapter's own writer, and results come back through the
 * {@link BrokerListener} given to {@link #connect}.
 */
public interface Broker extends AutoCloseable {

  default String name() {
    return getClass().getSimpleName();
  }

  /**
   * Paper or live account. Unknown counts as live for every safety check, so an adapter that
   * cannot tell must say {@link AccountMode#UNKNOWN}.
   */
  default AccountMode accountMode() {
    return AccountMode.UNKNOWN;
  }

  /** Starts the connection; reports arrive on {@code listener}. Called once. */
  void connect(BrokerListener listener);

  /** Sends a new order. The result comes back as an order event carrying {@code id}. */
  void submit(ClientOrderId id, OrderRequest request);

  /** Requests cancellation; the result is {@code OrderCancelled} or {@code OrderCancelRejected}. */
  void cancel(ClientOrderId id);

  /** Requests cancellation of every working order of this account (the breaker's hammer). */
  void cancelAll();

  /** Asks for a {@link PositionsReport}. */
  void requestPositions();

  /** Asks for an {@link OpenOrdersReport}. */
  void requestOpenOrders();

  /** Asks for an {@code AccountState}. */
  void requestAccount();

  /** Disconnects and releases threads. Idempotent. */
  @Override
  void close();
}
