package dev.algotrade.api.risk;

import dev.algotrade.api.order.OrderRequest;

/**
 * A pre-trade check of one proposed order. Runs on the engine thread for every order before it
 * reaches the broker; must be fast and must not block.
 */
public interface RiskRule {

  default String name() {
    return getClass().getSimpleName();
  }

  /** {@link RiskDecision#APPROVED}, or a denial with a code and the numbers. */
  RiskDecision check(OrderRequest order, RiskContext context);
}
