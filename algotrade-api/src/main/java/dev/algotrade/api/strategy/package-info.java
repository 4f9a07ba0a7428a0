/**
 * Strategies: the {@link dev.algotrade.api.strategy.Strategy} callbacks user code implements and
 * the {@link dev.algotrade.api.strategy.StrategyContext} through which it reads state and acts.
 * Every callback runs on the engine thread.
 */
package dev.algotrade.api.strategy;
