package dev.algotrade.core;

import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.market.ReplayFeed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Test feed over a fixed list: pulled in a replay, pushed from a thread when started live. */
final class ListFeed implements ReplayFeed {
  private final List<MarketData> data;
  private int next;
  private volatile Thread thread;
  private volatile boolean stopped;

  ListFeed(List<? extends MarketData> data) {
    this.data = new ArrayList<>(data);
  }

  /** Quotes one second apart from {@code start} with the given mids and a 0.02 spread. */
  static List<Quote> quotes(InstrumentId id, Instant start, double... mids) {
    List<Quote> out = new ArrayList<>();
    for (int i = 0; i < mids.length; i++) {
      out.add(new Quote(id, start.plus(Duration.ofSeconds(i)), round(mids[i] - 0.01), round(mids[i] + 0.01), 1000, 1000));
    }
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  @Override
  public void subscribe(Instrument instrument) {}

  @Override
  public MarketData next() {
    return next < data.size() ? data.get(next++) : null;
  }

  @Override
  public void start(MarketDataListener listener) {
    thread = new Thread(() -> {
      listener.onFeedStatus(FeedStatus.of("list", FeedState.CONNECTED, "", data.isEmpty() ? Instant.EPOCH : data.get(0).time()));
      for (MarketData d : data) {
        if (stopped) {
          return;
        }
        listener.onMarketData(d);
      }
    }, "list-feed");
    thread.start();
  }

  @Override
  public void stop() {
    stopped = true;
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
