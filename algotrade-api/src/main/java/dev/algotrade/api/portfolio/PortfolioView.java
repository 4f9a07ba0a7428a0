package dev.algotrade.api.portfolio;

import dev.algotrade.api.market.InstrumentId;
import java.util.List;

/**
 * Read-only view of the engine's book, marked to the last mid price of each instrument.
 * Confined to the engine thread: read it from strategy and risk callbacks only.
 */
public interface PortfolioView {

  /** Signed position, 0 when flat or unknown. */
  double position(InstrumentId instrument);

  /** Average entry price of the open position, 0 when flat. */
  double averagePrice(InstrumentId instrument);

  /** Last mark (mid) price, NaN before the first quote. */
  double markPrice(InstrumentId instrument);

  /** Realised P&L of one instrument since the start, before commissions. */
  double realizedPnl(InstrumentId instrument);

  /** Unrealised P&L of one instrument at its mark. */
  double unrealizedPnl(InstrumentId instrument);

  /** Realised P&L over all instruments, before commissions. */
  double realizedPnl();

  /** Unrealised P&L over all instruments. */
  double unrealizedPnl();

  /** Commissions paid since the start. */
  double commissions();

  /** Cash: starting cash, minus what buys cost, plus what sells brought, minus commissions. */
  double cash();

  /** Cash plus the marked value of every position. */
  double equity();

  /** Sum of |position x mark x multiplier|. */
  double grossExposure();

  /** Equity now minus equity when the trading day began (includes commissions). */
  double dayPnl();

  /** Highest equity seen since the trading day began. */
  double dayPeakEquity();

  /** Non-flat positions, sorted by instrument id. */
  List<Position> positions();
}
