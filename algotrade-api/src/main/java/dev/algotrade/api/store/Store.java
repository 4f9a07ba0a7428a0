package dev.algotrade.api.store;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderView;
import dev.algotrade.api.portfolio.Position;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The audit trail and the memory across restarts. Every {@code record*} method is called on
 * the engine thread and must return without waiting on the disk: implementations queue the
 * write to their own writer thread. {@link #flush} and {@link #close} wait for the queue.
 */
public interface Store extends AutoCloseable {

  default void recordInstrument(Instrument instrument) {}

  /** Every tick and bar received. */
  default void recordMarketData(MarketData data) {}

  /** Every order event, with the order's state after it. */
  default void recordOrderEvent(OrderEvent event, Order orderAfter) {}

  /**
   * The same record as {@link #recordOrderEvent(OrderEvent, Order)}, with the order's state as
   * a view that is valid only during this call (the engine passes its working order when no
   * strategy wants a snapshot). The default records {@code orderAfter.snapshot()}; a store that
   * copies the fields it needs before returning may override it to spare that allocation.
   */
  default void recordOrderEvent(OrderEvent event, OrderView orderAfter) {
    recordOrderEvent(event, orderAfter == null ? null : orderAfter.snapshot());
  }

  /**
   * A fill applied to the portfolio.
   *
   * @param realizedPnl the P&L this fill realised (before commission)
   * @param tradingDay the trading day the fill counts toward
   */
  default void recordFill(Fill fill, double realizedPnl, LocalDate tradingDay) {}

  default void recordRiskEvent(RiskEvent event) {}

  default void recordBreakerState(BreakerState state) {}

  /** Upserts the day's P&L row. */
  default void recordDailyPnl(DailyPnl pnl) {}

  /** A snapshot of positions, e.g. from reconciliation ({@code source} = broker or engine). */
  default void recordPositions(List<Position> positions, String source, Instant time) {}

  /** An alert that was sent, and how many similar ones were suppressed before it. */
  default void recordAlert(Alert alert, int suppressed) {}

  default void recordHeartbeat(Instant time) {}

  /** What a restart needs for {@code tradingDay}; an empty state on a first start. */
  default RecoveryState loadRecovery(LocalDate tradingDay) {
    return RecoveryState.empty(tradingDay);
  }

  /** Waits until everything recorded so far is durable. */
  default void flush() {}

  @Override
  default void close() {}
}
