package dev.algotrade.api.strategy;

import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.market.Trade;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.risk.TradingState;

/**
 * User trading logic. Every callback runs on the engine thread, one at a time, so a strategy
 * needs no locks; it must not block. A callback that throws is logged at ERROR, the system
 * stops opening new positions, and an alert is raised.
 */
public interface Strategy {

  /** Name used in logs, order tags and the store. */
  default String name() {
    return getClass().getSimpleName();
  }

  default void onStart(StrategyContext ctx) {}

  default void onQuote(StrategyContext ctx, Quote quote) {}

  default void onTrade(StrategyContext ctx, Trade trade) {}

  default void onBar(StrategyContext ctx, Bar bar) {}

  /** Any change to an order this system placed: {@code order} is the state after {@code event}. */
  default void onOrderUpdate(StrategyContext ctx, Order order, OrderEvent event) {}

  /** A fill, after the portfolio has been updated with it. */
  default void onFill(StrategyContext ctx, Fill fill) {}

  /** The trading state changed (ACTIVE, REDUCING, HALTED). */
  default void onTradingStateChanged(StrategyContext ctx, TradingState state, String reason) {}

  default void onStop(StrategyContext ctx) {}
}
