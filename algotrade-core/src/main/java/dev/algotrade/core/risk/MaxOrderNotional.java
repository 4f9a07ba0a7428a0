package dev.algotrade.core.risk;

import static dev.algotrade.core.risk.RiskMath.fmt;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.risk.RiskRule;

/**
 * Fat-finger guard on value ({@code MAX_ORDER_NOTIONAL}): quantity x price x multiplier of one
 * order must not exceed the instrument's limit; the price is the highest of the mark, the
 * quote and the order's own prices. Denial: {@code MAX_ORDER_NOTIONAL: instrument=..
 * notional=.. limit=..}. Immutable, thread-safe.
 */
public final class MaxOrderNotional implements RiskRule {
  public static final String CODE = "MAX_ORDER_NOTIONAL";
  private final PerInstrument limits;

  public MaxOrderNotional(PerInstrument limits) {
    if (limits == null) {
      throw new IllegalArgumentException("MaxOrderNotional limits must not be null");
    }
    this.limits = limits;
  }

  public MaxOrderNotional(double limit) {
    this(PerInstrument.of(limit));
  }

  @Override
  public String name() {
    return "maxOrderNotional";
  }

  @Override
  public RiskDecision check(OrderRequest order, RiskContext context) {
    InstrumentId id = order.instrument();
    double limit = limits.valueFor(id);
    if (limit <= 0) {
      return RiskDecision.APPROVED;
    }
    double px = RiskMath.checkPrice(order, context);
    if (Double.isNaN(px)) {
      return RiskDecision.deny(CODE, "instrument=" + id + " notional=unknown limit=" + fmt(limit) + " price=unknown");
    }
    double notional = order.quantity() * px * context.instrument(id).multiplier();
    if (notional > limit + 1e-9) {
      return RiskDecision.deny(CODE, "instrument=" + id + " notional=" + fmt(notional) + " limit=" + fmt(limit)
          + " quantity=" + RiskMath.qty(order.quantity()) + " price=" + fmt(px));
    }
    return RiskDecision.APPROVED;
  }
}
