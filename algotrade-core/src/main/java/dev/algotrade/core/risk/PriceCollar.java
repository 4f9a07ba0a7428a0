package dev.algotrade.core.risk;

import static dev.algotrade.core.risk.RiskMath.fmt;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.risk.RiskRule;

/**
 * Price collar ({@code PRICE_COLLAR_PERCENT}): a limit price more than X% away from the last
 * mid is denied, and so is a limit order before any price is known. Orders without a limit
 * price pass. Denial: {@code PRICE_COLLAR: instrument=.. limitPrice=.. mid=.. awayPercent=..
 * limitPercent=..}. Immutable, thread-safe.
 */
public final class PriceCollar implements RiskRule {
  public static final String CODE = "PRICE_COLLAR";
  private final PerInstrument percent;

  public PriceCollar(PerInstrument percent) {
    if (percent == null) {
      throw new IllegalArgumentException("PriceCollar percent must not be null");
    }
    this.percent = percent;
  }

  public PriceCollar(double percent) {
    this(PerInstrument.of(percent));
  }

  @Override
  public String name() {
    return "priceCollar";
  }

  @Override
  public RiskDecision check(OrderRequest order, RiskContext context) {
    if (!order.type().needsLimitPrice()) {
      return RiskDecision.APPROVED;
    }
    InstrumentId id = order.instrument();
    double pct = percent.valueFor(id);
    if (pct <= 0) {
      return RiskDecision.APPROVED;
    }
    Quote q = context.lastQuote(id);
    double mid = q != null ? q.mid() : context.portfolio().markPrice(id);
    if (!(mid > 0)) {
      return RiskDecision.deny(CODE, "instrument=" + id + " limitPrice=" + order.limitPrice() + " mid=unknown limitPercent="
          + fmt(pct));
    }
    double away = Math.abs(order.limitPrice() - mid) / mid * 100;
    if (away > pct + 1e-9) {
      return RiskDecision.deny(CODE, "instrument=" + id + " limitPrice=" + order.limitPrice() + " mid=" + fmt(mid)
          + " awayPercent=" + fmt(away) + " limitPercent=" + fmt(pct));
    }
    return RiskDecision.APPROVED;
  }
}
