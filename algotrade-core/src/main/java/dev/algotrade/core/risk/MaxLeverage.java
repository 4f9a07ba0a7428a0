package dev.algotrade.core.risk;

import static dev.algotrade.core.risk.RiskMath.fmt;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.portfolio.AccountState;
import dev.algotrade.api.portfolio.PortfolioView;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.risk.RiskRule;

/**
 * Max gross leverage ({@code MAX_LEVERAGE}): the sum of |position value| over instruments, with
 * this order's instrument taken at its position after the order (counting working orders on
 * its side) and valued as {@link MaxPositionValue} does, divided by equity, must not exceed
 * the limit. Equity is the broker's last reported net liquidation when the broker reported
 * one, else the engine's book. Reducing orders are always approved; with equity at or below
 * zero every other order is denied. Denial: {@code LEVERAGE_LIMIT: instrument=.. after=2.31
 * limit=2.00 gross=.. equity=..}. Immutable, thread-safe.
 */
public final class MaxLeverage implements RiskRule {
  public static final String CODE = "LEVERAGE_LIMIT";
  private final double max;

  public MaxLeverage(double max) {
    if (!(max > 0) || Double.isInfinite(max)) {
      throw new IllegalArgumentException("MaxLeverage max must be finite and > 0, was " + max);
    }
    this.max = max;
  }

  @Override
  public String name() {
    return "maxLeverage";
  }

  /** Equity the rule divides by: the broker's report if any, else the book's. */
  public static double equity(RiskContext context) {
    AccountState a = context.brokerAccount();
    return a != null ? a.netLiquidation() : context.portfolio().equity();
  }

  @Override
  public RiskDecision check(OrderRequest order, RiskContext context) {
    InstrumentId id = order.instrument();
    PortfolioView p = context.portfolio();
    double pos = p.position(id);
    double after = RiskMath.positionAfter(order, context);
    if (RiskMath.reduces(pos, after)) {
      return RiskDecision.APPROVED;
    }
    double equity = equity(context);
    double px = RiskMath.checkPrice(order, context);
    if (Double.isNaN(px)) {
      return RiskDecision.deny(CODE, "instrument=" + id + " after=unknown limit=" + fmt(max) + " price=unknown");
    }
    double mult = context.instrument(id).multiplier();
    double gross = p.grossExposure() - RiskMath.positionValue(p, id, mult) + Math.abs(after) * px * mult;
    if (!(equity > 0)) {
      return RiskDecision.deny(CODE, "instrument=" + id + " after=inf limit=" + fmt(max) + " gross=" + fmt(gross)
          + " equity=" + fmt(equity));
    }
    double leverage = gross / equity;
    if (leverage > max + 1e-12) {
      return RiskDecision.deny(CODE, "instrument=" + id + " after=" + fmt(leverage) + " limit=" + fmt(max)
          + " gross=" + fmt(gross) + " equity=" + fmt(equity));
    }
    return RiskDecision.APPROVED;
  }
}
