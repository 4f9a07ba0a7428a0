package dev.algotrade.core.monitor;

import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderRequest;
import java.time.Instant;

/**
 * What the engine tells an observer, called on the engine thread at the points named below.
 * Every method has a no-op default. Implementations must be quick and must not throw;
 * {@link #onMarketData} runs for every tick and must not allocate.
 */
public interface EngineObserver {

  /** An observer that ignores everything. */
  EngineObserver NONE = new EngineObserver() {};

  /** Market data for a configured instrument arrived ({@code time}: the data's own time). */
  default void onMarketData(InstrumentId instrument, Instant time) {}

  /** An order passed the risk checks and is being sent to the broker. */
  default void onOrderSubmitted(OrderRequest request) {}

  /** An order was denied by a risk check (or because trading is halted). */
  default void onOrderDenied(OrderDenied denial) {}

  /** The broker connection's state was reported (repeats included). */
  default void onBrokerStatus(BrokerStatus status) {}

  /** A feed's health was reported (repeats included). */
  default void onFeedStatus(FeedStatus status) {}
}
