package dev.algotrade.api.risk;

/** Whether the system may open risk. */
public enum TradingState {
  /** Normal trading. */
  ACTIVE,
  /** Only orders that reduce a position are accepted. */
  REDUCING,
  /** Halted by the circuit breaker or the kill switch: only reducing orders, no strategy orders. */
  HALTED
}
