package dev.algotrade.api.market;

/**
 * A feed that can also be drained synchronously, as fast as possible, for a replay: the
 * engine pulls each event on its own thread and advances its simulated clock to the event's
 * time. Events must come in non-decreasing time order.
 */
public interface ReplayFeed extends MarketDataFeed {

  /** The next event, or {@code null} when the data is exhausted. */
  MarketData next();
}
