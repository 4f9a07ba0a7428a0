package dev.algotrade.api.store;

import dev.algotrade.api.internal.Checks;
import dev.algotrade.api.risk.TradingState;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The circuit breaker's state as persisted.
 *
 * @param tradingDay the trading day it belongs to
 * @param reason why it tripped; empty when ACTIVE
 */
public record BreakerState(LocalDate tradingDay, TradingState state, String reason, Instant since) {
  public BreakerState {
    Checks.notNull(tradingDay, "BreakerState.tradingDay");
    Checks.notNull(state, "BreakerState.state");
    Checks.notNull(reason, "BreakerState.reason");
    Checks.notNull(since, "BreakerState.since");
  }
}
