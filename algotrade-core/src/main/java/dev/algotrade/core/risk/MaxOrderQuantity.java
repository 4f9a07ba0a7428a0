package dev.algotrade.core.risk;

import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.risk.RiskRule;

/**
 * Fat-finger guard: denies an order whose quantity exceeds a maximum
 * ({@code MAX_ORDER_QUANTITY}), per instrument with a default. Immutable, thread-safe.
 */
public final class MaxOrderQuantity implements RiskRule {
  public static final String CODE = "MAX_ORDER_QUANTITY";
  private final PerInstrument limits;

  public MaxOrderQuantity(double max) {
    if (!(max > 0) || Double.isInfinite(max)) {
      throw new IllegalArgumentException("MaxOrderQuantity max must be finite and > 0, was " + max);
    }
    this.limits = PerInstrument.of(max);
  }

  /** A limit per instrument with a default (0 = no limit). */
  public MaxOrderQuantity(PerInstrument limits) {
    if (limits == null) {
      throw new IllegalArgumentException("MaxOrderQuantity limits must not be null");
    }
    this.limits = limits;
  }

  @Override
  public String name() {
    return "maxOrderQuantity";
  }

  @Override
  public RiskDecision check(OrderRequest order, RiskContext context) {
    double max = limits.valueFor(order.instrument());
    if (max > 0 && order.quantity() > max) {
      return RiskDecision.deny(CODE, "instrument=" + order.instrument() + " quantity=" + order.quantity() + " limit=" + max);
    }
    return RiskDecision.APPROVED;
  }
}
