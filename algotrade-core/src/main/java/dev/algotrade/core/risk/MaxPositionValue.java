package dev.algotrade.core.risk;

import static dev.algotrade.core.risk.RiskMath.fmt;
import static dev.algotrade.core.risk.RiskMath.qty;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.risk.RiskRule;

/**
 * Max exposure per instrument ({@code MAX_POSITION_SIZE}): |position after the order, counting
 * working orders on its side| x price x multiplier must not exceed the instrument's limit. The
 * price is the highest of the mark, the quote and the limit prices in play, so orders in flight
 * cannot jointly pass. An order that only reduces the position is always approved. Denial:
 * {@code EXPOSURE_LIMIT: instrument=AAPL after=12400.00 limit=10000.00 ...}. Immutable,
 * thread-safe.
 */
public final class MaxPositionValue implements RiskRule {
  public static final String CODE = "EXPOSURE_LIMIT";
  private final PerInstrument limits;

  public MaxPositionValue(PerInstrument limits) {
    if (limits == null) {
      throw new IllegalArgumentException("MaxPositionValue limits must not be null");
    }
    this.limits = limits;
  }

  /** The same limit for every instrument. */
  public MaxPositionValue(double limit) {
    this(PerInstrument.of(limit));
  }

  @Override
  public String name() {
    return "maxPositionValue";
  }

  @Override
  public RiskDecision check(OrderRequest order, RiskContext context) {
    InstrumentId id = order.instrument();
    double limit = limits.valueFor(id);
    if (limit <= 0) {
      return RiskDecision.APPROVED;
    }
    double pos = context.portfolio().position(id);
    double after = RiskMath.positionAfter(order, context);
    if (RiskMath.reduces(pos, after)) {
      return RiskDecision.APPROVED;
    }
    double px = RiskMath.checkPrice(order, context);
    if (Double.isNaN(px)) {
      return RiskDecision.deny(CODE, "instrument=" + id + " after=unknown limit=" + fmt(limit) + " price=unknown");
    }
    double value = Math.abs(after) * px * context.instrument(id).multiplier();
    if (value > limit + 1e-9) {
      return RiskDecision.deny(CODE, "instrument=" + id + " after=" + fmt(value) + " limit=" + fmt(limit)
          + " position=" + qty(pos) + " positionAfter=" + qty(after) + " price=" + fmt(px));
    }
    return RiskDecision.APPROVED;
  }
}
