package dev.algotrade.core.risk;

import dev.algotrade.api.risk.TradingState;

/**
 * The circuit breaker of a running system ({@code TradingSystem.circuitBreaker()}). It trips on
 * the daily loss limit, the drawdown limit, too many consecutive broker rejects, the kill switch,
 * or {@link #trip}: every working order is cancelled, every position flattened with reducing
 * market orders, trading HALTED (only reducing orders accepted), a CRITICAL alert raised and the
 * state persisted. It stays tripped until the next trading-day roll or {@link #reset}; a restart
 * on the same trading day comes back HALTED. Thread-safe: calls from other threads run on the
 * engine thread and wait for it.
 */
public interface CircuitBreaker {

  /** ACTIVE, REDUCING (drawdown above the reducing threshold) or HALTED. */
  TradingState state();

  /** Why it is not ACTIVE; empty when ACTIVE. */
  String reason();

  /** Whether it is tripped (HALTED by the breaker). */
  default boolean isTripped() {
    return state() == TradingState.HALTED;
  }

  /**
   * Trips now: cancel, flatten, halt, alert, persist. Tripping again while tripped repeats the
   * cancel and flatten (useful after a restart that came back HALTED with positions open).
   */
  void trip(String reason);

  /** Back to ACTIVE (logged, alerted, persisted) until the next trip. */
  void reset(String why);
}
