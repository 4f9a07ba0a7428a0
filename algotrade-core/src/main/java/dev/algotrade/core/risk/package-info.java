/**
 * Risk rules in core. Each rule is a {@link dev.algotrade.api.risk.RiskRule}: a fast pre-trade
 * check on the engine thread that approves or denies with a code and the numbers.
 */
package dev.algotrade.core.risk;
