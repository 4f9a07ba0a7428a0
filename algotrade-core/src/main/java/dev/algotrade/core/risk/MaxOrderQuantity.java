package dev.algotrade.core.risk;

import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.risk.RiskRule;

/**
 * Fat-finger guard: denies an order whose quantity exceeds a maximum
 * ({@code MAX_ORDER_QUANTITY}). Immutable, thread-safe.
 */
public final class MaxOrderQuantity implements RiskRule {
  public static final String CODE = "MAX_ORDER_QUANTITY";
  private final double max;

  public MaxOrderQuantity(double max) {
    if (!(max > 0) || Double.isInfinite(max)) {
      throw new IllegalArgumentException("MaxOrderQuantity max must be finite and > 0, was " + max);
    }
    this.max = max;
  }

  @Override
  public String name() {
    return "maxOrderQuantity";
  }

  @Override
  public RiskDecision check(OrderRequest order, RiskContext context) {
    if (order.quantity() > max) {
      return RiskDecision.deny(CODE, "instrument=" + order.instrument() + " quantity=" + order.quantity() + " limit=" + max);
    }
    return RiskDecision.APPROVED;
  }
}
