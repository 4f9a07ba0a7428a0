package dev.algotrade.core;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Alerter;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.store.BreakerState;
import dev.algotrade.api.store.DailyPnl;
import dev.algotrade.api.store.RecoveryState;
import dev.algotrade.api.store.RiskEvent;
import dev.algotrade.api.store.Store;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records alerts and store calls for assertions. Thread-safe. */
final class Recorder implements Alerter, Store {
  final List<Alert> alerts = new CopyOnWriteArrayList<>();
  final List<OrderEvent> orderEvents = new CopyOnWriteArrayList<>();
  final List<Order> orderSnapshots = new CopyOnWriteArrayList<>();
  final List<Fill> fills = new CopyOnWriteArrayList<>();
  final List<Double> realized = new CopyOnWriteArrayList<>();
  final List<LocalDate> fillDays = new CopyOnWriteArrayList<>();
  final List<DailyPnl> dailyPnl = new CopyOnWriteArrayList<>();
  final List<RiskEvent> riskEvents = new CopyOnWriteArrayList<>();
  final List<BreakerState> breakerStates = new CopyOnWriteArrayList<>();
  /** What loadRecovery hands a restart: the last breaker state recorded (by this or an earlier recorder). */
  volatile BreakerState recoverBreaker;
  volatile boolean closed;

  @Override
  public void send(Alert alert) {
    alerts.add(alert);
  }

  @Override
  public void recordOrderEvent(OrderEvent event, Order orderAfter) {
    orderEvents.add(event);
    orderSnapshots.add(orderAfter);
  }

  @Override
  public void recordFill(Fill fill, double realizedPnl, LocalDate tradingDay) {
    fills.add(fill);
    realized.add(realizedPnl);
    fillDays.add(tradingDay);
  }

  @Override
  public void recordRiskEvent(RiskEvent event) {
    riskEvents.add(event);
  }

  @Override
  public void recordBreakerState(BreakerState state) {
    breakerStates.add(state);
    recoverBreaker = state;
  }

  /** What {@link #loadRecovery} returns when set (a restart test's stored state). */
  volatile RecoveryState recovery;

  @Override
  public RecoveryState loadRecovery(LocalDate tradingDay) {
    if (recovery != null) {
      return recovery;
    }
    BreakerState b = recoverBreaker;
    return b == null ? RecoveryState.empty(tradingDay)
        : new RecoveryState(tradingDay, 0, Double.NaN, Double.NaN, b, List.of(), List.of(), 1);
  }

  @Override
  public void recordDailyPnl(DailyPnl pnl) {
    dailyPnl.add(pnl);
  }

  @Override
  public void close() {
    closed = true;
  }
}
