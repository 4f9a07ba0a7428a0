package dev.algotrade.core;

import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** A scripted strategy: actions by quote number (1-based), and a record of what it saw. */
class Probe implements Strategy {
  final Map<Integer, BiConsumer<StrategyContext, Quote>> script = new HashMap<>();
  BiConsumer<StrategyContext, Quote> everyQuote;
  BiConsumer<StrategyContext, Void> onStart;
  final List<TradingState> stateAtQuote = new ArrayList<>();
  final List<String> stateChanges = new ArrayList<>();
  final List<Fill> fills = new ArrayList<>();
  final List<OrderDenied> denials = new ArrayList<>();
  TradingState stateAtStart;
  int quotes;

  Probe at(int quote, BiConsumer<StrategyContext, Quote> action) {
    script.put(quote, action);
    return this;
  }

  @Override
  public void onStart(StrategyContext ctx) {
    stateAtStart = ctx.tradingState();
    if (onStart != null) {
      onStart.accept(ctx, null);
    }
  }

  @Override
  public void onQuote(StrategyContext ctx, Quote q) {
    quotes++;
    stateAtQuote.add(ctx.tradingState());
    if (everyQuote != null) {
      everyQuote.accept(ctx, q);
    }
    BiConsumer<StrategyContext, Quote> a = script.get(quotes);
    if (a != null) {
      a.accept(ctx, q);
    }
  }

  @Override
  public void onTradingStateChanged(StrategyContext ctx, TradingState state, String reason) {
    stateChanges.add(state + " " + reason);
  }

  @Override
  public void onOrderUpdate(StrategyContext ctx, Order order, OrderEvent event) {
    if (event instanceof OrderDenied) {
      denials.add((OrderDenied) event);
    }
  }

  @Override
  public void onFill(StrategyContext ctx, Fill fill) {
    fills.add(fill);
  }
}
