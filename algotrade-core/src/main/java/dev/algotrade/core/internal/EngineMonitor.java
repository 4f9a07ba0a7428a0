package dev.algotrade.core.internal;

import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.OrderEvent;
import java.time.LocalDate;

/**
 * Hooks the engine calls on its own thread for the risk layer (the circuit breaker). Each call
 * must be cheap: {@link #afterMark} runs on every quote that moves the value of an open
 * position, so it must not allocate or log on its no-trip path.
 */
public interface EngineMonitor {

  /** After {@link Engine#start()} restored the store's state, before strategies start. */
  default void onStart(LocalDate tradingDay) {}

  /** After a quote (or trade/bar) re-marked a non-flat position, and its venue fills were booked. */
  default void afterMark() {}

  /** After a fill was booked and the strategy told. */
  default void afterFill(Fill fill) {}

  /** After a broker order event other than a fill changed an order (accepted, rejected, cancelled, expired). */
  default void afterOrderEvent(WorkingOrder order, OrderEvent event) {}

  /** After the trading day rolled. */
  default void onDayRoll(LocalDate newDay) {}

  /** An account report or a broker status arrived (already recorded by the engine). */
  default void onBrokerReport(Object report) {}
}
