package dev.algotrade.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * What a run did: counts, P&L and speed. Returned by {@link TradingSystem#run()} and
 * {@link TradingSystem#summary()}.
 *
 * @param firstEvent time of the first market event (null if none)
 * @param lastEvent time of the last market event (null if none)
 * @param wallTime wall-clock time the run took
 */
public record RunSummary(
    long events,
    long marketEvents,
    long ordersSubmitted,
    long ordersDenied,
    long ordersRejected,
    long fills,
    double realizedPnl,
    double commissions,
    double startingEquity,
    double finalEquity,
    double maxDrawdown,
    Instant firstEvent,
    Instant lastEvent,
    Duration wallTime) {

  public double totalPnl() {
    return finalEquity - startingEquity;
  }

  /** Market events per wall-clock second. */
  public double eventsPerSecond() {
    double s = wallTime.toNanos() / 1e9;
    return s > 0 ? marketEvents / s : 0;
  }

  /** A few lines for a terminal. */
  public String format() {
    return String.format(Locale.ROOT,
        "events=%d marketEvents=%d orders=%d denied=%d rejected=%d fills=%d%n"
            + "realizedPnl=%.2f commissions=%.2f totalPnl=%.2f finalEquity=%.2f maxDrawdown=%.2f%n"
            + "simulated=%s .. %s wall=%.3fs eventsPerSecond=%.0f",
        events, marketEvents, ordersSubmitted, ordersDenied, ordersRejected, fills, realizedPnl, commissions,
        totalPnl(), finalEquity, maxDrawdown, firstEvent, lastEvent, wallTime.toNanos() / 1e9, eventsPerSecond());
  }
}
