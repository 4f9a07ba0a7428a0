package dev.algotrade.ib;

import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Records market data and feed statuses. Thread-safe. */
final class RecordingFeedListener implements MarketDataListener {
  final List<MarketData> data = new CopyOnWriteArrayList<>();
  final List<FeedStatus> statuses = new CopyOnWriteArrayList<>();

  @Override
  public void onMarketData(MarketData d) {
    data.add(d);
  }

  @Override
  public void onFeedStatus(FeedStatus status) {
    statuses.add(status);
  }

  <T extends MarketData> List<T> of(Class<T> type) {
    return data.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
  }
}
