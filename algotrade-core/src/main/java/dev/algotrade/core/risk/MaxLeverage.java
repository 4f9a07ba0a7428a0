package dev.algotrade.core.risk;

import static dev.algotrade.core.risk.RiskMath.fmt;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.AccountState;
import dev.algotrade.api.portfolio.PortfolioView;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.risk.RiskRule;
import java.util.List;

/**
 * Max gross leverage ({@code MAX_LEVERAGE}): the worst-case gross position value divided by
 * equity must not exceed the limit. Worst case: in every instrument, the position if all its
 * working orders on one side filled (whichever side is larger), this order included, valued at
 * the highest of the mark, the quote and the limit prices in play (as {@link MaxPositionValue}
 * does), so orders in flight in several instruments cannot jointly pass. Equity is the broker's
 * last reported net liquidation when the broker reported one, else the engine's book. Reducing
 * orders are always approved; with equity at or below zero every other order is denied.
 * Denial: {@code LEVERAGE_LIMIT: instrument=.. after=2.31 limit=2.00 gross=.. equity=..}.
 * Immutable, thread-safe.
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
    double px = RiskMath.checkPrice(order, context);
    if (Double.isNaN(px)) {
      return RiskDecision.deny(CODE, "instrument=" + id + " after=unknown limit=" + fmt(max) + " price=unknown");
    }
    double equity = equity(context);
    double gross;
    List<InstrumentId> ids = context.instrumentIds();
    if (ids.isEmpty()) {
      double mult = context.instrument(id).multiplier();
      gross = p.grossExposure() - RiskMath.positionValue(p, id, mult) + Math.abs(after) * px * mult;
    } else {
      gross = 0;
      for (int i = 0; i < ids.size(); i++) {
        InstrumentId other = ids.get(i);
        gross += other.equals(id) ? ownWorstValue(order, after, px, context) : worstValue(other, context);
      }
    }
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

  private static double ownWorstValue(OrderRequest order, double after, double px, RiskContext c) {
    InstrumentId id = order.instrument();
    double pos = c.portfolio().position(id);
    double other = order.side() == Side.BUY ? pos - c.workingSellQuantity(id) : pos + c.workingBuyQuantity(id);
    Side otherSide = order.side() == Side.BUY ? Side.SELL : Side.BUY;
    double worst = Math.max(Math.abs(after), Math.abs(other));
    return worst * RiskMath.max(px, c.workingPriceBound(id, otherSide)) * c.instrument(id).multiplier();
  }

  private static double worstValue(InstrumentId id, RiskContext c) {
    double pos = c.portfolio().position(id);
    double buys = c.workingBuyQuantity(id);
    double sells = c.workingSellQuantity(id);
    if (pos == 0 && buys == 0 && sells == 0) {
      return 0;
    }
    double worst = Math.max(Math.abs(pos + buys), Math.abs(pos - sells));
    double px = c.portfolio().markPrice(id);
    Quote q = c.lastQuote(id);
    if (q != null) {
      px = RiskMath.max(px, q.ask() > 0 ? q.ask() : Double.NaN);
      px = RiskMath.max(px, q.bid() > 0 ? q.bid() : Double.NaN);
    }
    px = RiskMath.max(px, c.workingPriceBound(id, Side.BUY));
    px = RiskMath.max(px, c.workingPriceBound(id, Side.SELL));
    if (Double.isNaN(px)) {
      px = c.portfolio().averagePrice(id);
    }
    return worst * px * c.instrument(id).multiplier();
  }
}
