package dev.algotrade.ib;

import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.ib.internal.Outgoing;
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
 * subscribed instrument ({@link IbFeed#snapshot}: reqMktData with snapshot=1) and delivers it.
 * Meant as the fallback source of a {@code FailoverFeed} when streaming stalls, sharing one
 * {@link IbClient} with the streaming {@link IbFeed}; a poll still running for an instrument is
 * not doubled.
 *
 * <p><b>Delayed data</b>: when a snapshot is refused with 354 ("requested market data is not
 * subscribed") the account has no live data for it, so the feed switches to delayed data
 * (reqMarketDataType 3, which still returns live data where the account has it), asks again at
 * once, and from then on sends type 3 ahead of every round (the setting is per session, and a
 * reconnect starts a new one). 10167 ("delayed data shown instead") needs nothing: the delayed
 * ticks are understood. 10168 (not subscribed and delayed data not enabled) leaves nothing to
 * fall back to: the instrument is reported STALE with IB's text. A feed configured for delayed
 * data ({@link IbConfig#marketDataType()}) polls delayed from the start.
 *
 * <p>Thread-safe; data arrives from the client's reader thread.
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
  private volatile boolean delayed;

  private IbPollingFeed(IbClient client, Duration interval) {
    this.client = client;
    this.snapshots = IbFeed.on(client);
    this.interval = interval;
    this.delayed = client.config().marketDataType().code() >= IbMarketDataType.DELAYED.code();
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

  /** Whether polling uses delayed data (configured, or after a 354). */
  public boolean usesDelayedData() {
    return delayed;
  }

  /** One polling round. Package-private for tests. */
  void pollAll() {
    if (stopped || !client.isReady()) {
      return;
    }
    if (delayed) {
      client.send(Outgoing.reqMarketDataType(IbMarketDataType.DELAYED.code()));
    }
    for (Instrument i : instruments.values()) {
      if (inFlight.add(i.id())) {
        poll(i, true);
      }
    }
  }

  private void poll(Instrument i, boolean mayRetry) {
    snapshots.snapshot(i).whenComplete((q, e) -> {
      MarketDataListener l = listener;
      if (l == null || stopped) {
        inFlight.remove(i.id());
        return;
      }
      if (e != null && mayRetry && noLiveData(e) && !delayed) {
        delayed = true;
        log.warn("IB has no live market data for the account, polling delayed data instead instrument={} "
            + "reason={}", i.id(), IbFeed.rootMessage(e));
        client.send(Outgoing.reqMarketDataType(IbMarketDataType.DELAYED.code()));
        poll(i, false);
        return;
      }
      inFlight.remove(i.id());
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

  private static boolean noLiveData(Throwable e) {
    Throwable t = IbFeed.root(e);
    return t instanceof IbFeed.RequestFailed && ((IbFeed.RequestFailed) t).code() == 354;
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
