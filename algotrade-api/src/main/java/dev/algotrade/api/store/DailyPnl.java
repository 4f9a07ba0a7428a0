package dev.algotrade.api.store;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;
import java.time.LocalDate;

/** One trading day's P&L, written when the day rolls and on shutdown (upserted by day). */
public record DailyPnl(
    LocalDate tradingDay,
    double realizedPnl,
    double unrealizedPnl,
    double commissions,
    double startEquity,
    double endEquity,
    double peakEquity,
    double troughEquity,
    long fills,
    Instant time) {
  public DailyPnl {
    Checks.notNull(tradingDay, "DailyPnl.tradingDay");
    Checks.finite(realizedPnl, "DailyPnl.realizedPnl");
    Checks.finite(unrealizedPnl, "DailyPnl.unrealizedPnl");
    Checks.nonNegative(commissions, "DailyPnl.commissions");
    Checks.finite(startEquity, "DailyPnl.startEquity");
    Checks.finite(endEquity, "DailyPnl.endEquity");
    Checks.finite(peakEquity, "DailyPnl.peakEquity");
    Checks.finite(troughEquity, "DailyPnl.troughEquity");
    Checks.nonNegative(fills, "DailyPnl.fills");
    Checks.notNull(time, "DailyPnl.time");
  }

  /** End equity minus start equity. */
  public double totalPnl() {
    return endEquity - startEquity;
  }
}
