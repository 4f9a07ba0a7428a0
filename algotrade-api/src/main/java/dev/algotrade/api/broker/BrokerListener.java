package dev.algotrade.api.broker;

import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.portfolio.AccountState;

/**
 * Where a broker reports. May be called from any of the adapter's threads; the engine's
 * implementation is thread-safe and only posts into its inbox.
 */
public interface BrokerListener {

  /** Accepted, rejected, filled, cancelled, expired, cancel-rejected. */
  void onOrderEvent(OrderEvent event);

  void onPositions(PositionsReport report);

  void onOpenOrders(OpenOrdersReport report);

  void onAccount(AccountState account);

  void onStatus(BrokerStatus status);
}
