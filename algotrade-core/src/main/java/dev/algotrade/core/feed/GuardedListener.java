package dev.algotrade.core.feed;

import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a listener from a feed's thread so that a throwing listener cannot kill the feed: the
 * first failure is logged at ERROR, later ones every 10,000th at WARN with a count. Confined to
 * the feed's thread.
 */
final class GuardedListener {

  private static final Logger log = LoggerFactory.getLogger(GuardedListener.class);

  private final String feed;
  private final MarketDataListener listener;
  private long failures;

  GuardedListener(String feed, MarketDataListener listener) {
    this.feed = feed;
    this.listener = listener;
  }

  void data(MarketData data) {
    try {
      listener.onMarketData(data);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  void status(FeedStatus status) {
    try {
      listener.onFeedStatus(status);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private void failed(RuntimeException e) {
    failures++;
    if (failures == 1) {
      log.error("feed listener threw feed={} failures={}", feed, failures, e);
    } else if (failures % 10_000 == 0) {
      log.warn("feed listener keeps throwing feed={} failures={} last={}", feed, failures, e.toString());
    }
  }
}
