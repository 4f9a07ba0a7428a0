package dev.algotrade.api.strategy;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.portfolio.PortfolioView;
import dev.algotrade.api.risk.TradingState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What a strategy may read and do. Use it only on the engine thread, inside a callback. */
public interface StrategyContext {

  /** The engine clock's "now" (simulated in a replay). */
  Instant now();

  /** The instrument registered under {@code id}; throws if there is none. */
  Instrument instrument(InstrumentId id);

  /** The latest quote, or null before the first one. */
  Quote lastQuote(InstrumentId id);

  /** Signed position held now. */
  default double position(InstrumentId id) {
    return portfolio().position(id);
  }

  PortfolioView portfolio();

  /** ACTIVE, REDUCING or HALTED. */
  TradingState tradingState();

  /**
   * Asks for a position of {@code quantity} (signed) in {@code id}: the engine sends the market
   * orders that close the gap, counting orders already working, so repeating a target never
   * doubles up. The quantity is rounded toward zero to whole lots.
   */
  void targetPosition(InstrumentId id, double quantity);

  /**
   * Submits an explicit order. Risk rules run before it reaches the broker; a veto comes back
   * through {@link Strategy#onOrderUpdate} as DENIED. Returns the id assigned.
   */
  ClientOrderId submit(OrderRequest request);

  /** Requests cancellation of a working order; ignored if it is no longer working. */
  void cancel(ClientOrderId id);

  /** Requests cancellation of every working order in {@code id}. */
  void cancelAll(InstrumentId id);

  /** The order, or null if this system never placed it. */
  Order order(ClientOrderId id);

  /** Working orders in {@code id}, oldest first. */
  List<Order> openOrders(InstrumentId id);

  /** Runs {@code action} on the engine thread at {@code time} (at once if it has passed). */
  Timer schedule(Instant time, Runnable action);

  /** Runs {@code action} on the engine thread every {@code period}, first after one period. */
  Timer every(Duration period, Runnable action);
}
