package dev.algotrade.api.market;

/**
 * Where a feed delivers. The engine's implementation is thread-safe and never blocks for long:
 * it posts into the engine's inbox.
 */
public interface MarketDataListener {

  void onMarketData(MarketData data);

  void onFeedStatus(FeedStatus status);
}
