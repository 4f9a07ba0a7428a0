/**
 * Risk: pre-trade {@link dev.algotrade.api.risk.RiskRule}s, their decisions and the context
 * they read, and the {@link dev.algotrade.api.risk.TradingState} the circuit breaker drives.
 */
package dev.algotrade.api.risk;
