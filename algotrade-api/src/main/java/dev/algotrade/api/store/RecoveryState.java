package dev.algotrade.api.store;

import dev.algotrade.api.internal.Checks;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.portfolio.Position;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * What a restarted process needs to carry on where the last one stopped; the engine then
 * reconciles it with the broker.
 *
 * @param tradingDay the day the P&L figures belong to
 * @param realizedPnl realised P&L of that day so far
 * @param dayStartEquity equity when that day began (NaN if unknown)
 * @param peakEquity the day's peak equity (NaN if unknown)
 * @param breaker the last persisted breaker state, or null if none was ever written
 * @param openOrders orders that were working when the last process stopped
 * @param positions the last known positions
 * @param nextOrderSequence the next client order id counter value (>= 1): one more than the
 *     largest sequence among recorded client order ids, which the engine makes as
 *     {@code <prefix>-<sequence>} (the digits after the last dash)
 * @param executionIds execution ids of the fills already recorded for {@code tradingDay} and the
 *     {@value #EXECUTION_ID_DAYS} calendar days before it (a broker replays recent executions after a
 *     reconnect or restart; the engine books a fill whose id is here no second time). Empty from a
 *     store that cannot tell.
 */
public record RecoveryState(
    LocalDate tradingDay,
    double realizedPnl,
    double dayStartEquity,
    double peakEquity,
    BreakerState breaker,
    List<Order> openOrders,
    List<Position> positions,
    long nextOrderSequence,
    Set<String> executionIds) {

  /** How many calendar days before the trading day {@link #executionIds()} reaches back. */
  public static final int EXECUTION_ID_DAYS = 6;

  public RecoveryState {
    Checks.notNull(tradingDay, "RecoveryState.tradingDay");
    openOrders = List.copyOf(Checks.notNull(openOrders, "RecoveryState.openOrders"));
    positions = List.copyOf(Checks.notNull(positions, "RecoveryState.positions"));
    if (nextOrderSequence < 1) {
      throw new IllegalArgumentException("RecoveryState.nextOrderSequence must be >= 1, was " + nextOrderSequence);
    }
    executionIds = Set.copyOf(Checks.notNull(executionIds, "RecoveryState.executionIds"));
  }

  /** A state without execution ids (a store that does not keep them). */
  public RecoveryState(LocalDate tradingDay, double realizedPnl, double dayStartEquity, double peakEquity,
      BreakerState breaker, List<Order> openOrders, List<Position> positions, long nextOrderSequence) {
    this(tradingDay, realizedPnl, dayStartEquity, peakEquity, breaker, openOrders, positions, nextOrderSequence,
        Set.of());
  }

  /** Nothing to recover: a first start. */
  public static RecoveryState empty(LocalDate tradingDay) {
    return new RecoveryState(tradingDay, 0, Double.NaN, Double.NaN, null, List.of(), List.of(), 1, Set.of());
  }

  public boolean isEmpty() {
    return breaker == null && openOrders.isEmpty() && positions.isEmpty() && nextOrderSequence == 1
        && realizedPnl == 0 && executionIds.isEmpty();
  }
}
