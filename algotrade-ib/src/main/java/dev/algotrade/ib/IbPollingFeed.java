package dev.algotrade.ib;

import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.api.market.MarketDataListener;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A polling {@link MarketDataFeed}: every {@code interval} it asks IB for one snapshot quote per
 * subscribed instrument ({@link IbFeed#snapshot}) and delivers it. Meant as the fallback source
 * of a failover feed when streaming stalls; a poll still running for an instrument is not
 * doubled. Thread-safe; data arrives from the client's reader thread.
 */
public final class IbPollingFeed implements MarketDataFeed {

  private static final Logger log = LoggerFactory.getLogger(IbPollingFeed.class);

  private final IbClient client;
  private final IbFeed snapshots;
  private final Duration interval;
  private final Map<InstrumentId, Instrument> instruments = new ConcurrentHashMap<>();
  private final Set<InstrumentId> inFlight = ConcurrentHashMap.newKeySet();
  private final Set<InstrumentId> failing = ConcurrentHashMap.newKeySet();
  private volatile MarketDataListener listener;
  private volatile ScheduledFuture<?> task;
  private volatile boolean stopped;

  private IbPollingFeed(IbClient client, Duration interval) {
    this.client = client;
    this.snapshots = IbFeed.on(client);
    this.interval = interval;
  }

  /** Polls through {@code client} every {@code interval} (>= 1 s; IB snapshots take up to ~11 s). */
  public static IbPollingFeed on(IbClient client, Duration interval) {
    if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("IbPollingFeed.interval must be >= 1s, was " + interval);
    }
    return new IbPollingFeed(client, interval);
  }

  @Override
  public String name() {
    return "ib-poll";
  }

  @Override
  public void subscribe(Instrument instrument) {
    instruments.put(instrument.id(), instrument);
  }

  @Override
  public synchronized void start(MarketDataListener l) {
    if (listener != null) {
      throw new IllegalStateException("IbPollingFeed already started");
    }
    listener = l;
    client.start();
    task = client.timer().scheduleAtFixedRate(this::pollAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One polling round. Package-private for tests. */
  void pollAll() {
    if (stopped || !client.isReady()) {
      return;
    }
    for (Instrument i : instruments.values()) {
      if (!inFlight.add(i.id())) {
        continue;
      }
      snapshots.snapshot(i).whenComplete((q, e) -> {
        inFlight.remove(i.id());
        MarketDataListener l = listener;
        if (l == null || stopped) {
          return;
        }
        if (e != null) {
          if (failing.add(i.id())) {
            String why = IbFeed.rootMessage(e);
            log.warn("IB snapshot poll failed instrument={} reason={}", i.id(), why);
            l.onFeedStatus(new FeedStatus(name(), FeedState.STALE, i.id(), why, client.clock().now()));
          }
          return;
        }
        if (failing.remove(i.id())) {
          l.onFeedStatus(new FeedStatus(name(), FeedState.CONNECTED, i.id(), "snapshots resumed", client.clock().now()));
        }
        l.onMarketData(q);
      });
    }
  }

  @Override
  public void stop() {
    stopped = true;
    ScheduledFuture<?> t = task;
    if (t != null) {
      t.cancel(false);
    }
    MarketDataListener l = listener;
    if (l != null) {
      l.onFeedStatus(new FeedStatus(name(), FeedState.STOPPED, null, "stopped", client.clock().now()));
    }
  }
}
