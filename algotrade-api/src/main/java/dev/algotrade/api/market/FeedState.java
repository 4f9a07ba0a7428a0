package dev.algotrade.api.market;

/** Health of a market-data feed. */
public enum FeedState {
  /** Connected and delivering (or ready to deliver) data. */
  CONNECTED,
  /** Connected, but no data arrived for longer than the feed's staleness threshold. */
  STALE,
  /** Not connected; the feed may be trying to reconnect. */
  DISCONNECTED,
  /** Stopped on purpose, or a replay reached the end of its data. */
  STOPPED
}
