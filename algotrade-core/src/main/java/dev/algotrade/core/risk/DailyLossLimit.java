package dev.algotrade.core.risk;

import static dev.algotrade.core.risk.RiskMath.fmt;

import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.risk.RiskRule;

/**
 * Daily loss limit as a pre-trade rule ({@code DAILY_LOSS_LIMIT}): once the day's P&L
 * (realised + unrealised, after commissions, since the trading day began) is at or below
 * minus the limit, only reducing orders pass. With a {@code TradingSystem} the circuit breaker
 * trips at that moment anyway (flatten and halt); the rule keeps the guarantee for a system
 * without the breaker, and for the instant between a fill and the breaker's check.
 * Immutable, thread-safe.
 */
public final class DailyLossLimit implements RiskRule {
  public static final String CODE = "DAILY_LOSS_LIMIT";
  private final double limit;

  public DailyLossLimit(double limit) {
    if (!(limit > 0) || Double.isInfinite(limit)) {
      throw new IllegalArgumentException("DailyLossLimit limit must be finite and > 0, was " + limit);
    }
    this.limit = limit;
  }

  @Override
  public String name() {
    return "dailyLossLimit";
  }

  /** Whether a day P&L of {@code dayPnl} has reached a loss limit of {@code limit}. */
  public static boolean breached(double dayPnl, double limit) {
    return limit > 0 && dayPnl <= -limit;
  }

  @Override
  public RiskDecision check(OrderRequest order, RiskContext context) {
    double dayPnl = context.portfolio().dayPnl();
    if (!breached(dayPnl, limit)) {
      return RiskDecision.APPROVED;
    }
    double pos = context.portfolio().position(order.instrument());
    if (RiskMath.reduces(pos, RiskMath.positionAfter(order, context))) {
      return RiskDecision.APPROVED;
    }
    return RiskDecision.deny(CODE, "instrument=" + order.instrument() + " dayPnl=" + fmt(dayPnl) + " limit=" + fmt(limit));
  }
}
