package dev.algotrade.core.feed;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.time.SystemClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming feed with a polling fallback (the seed's "streaming, with REST polling when the
 * stream fails"). Both feeds run; data is taken from the primary while it is healthy and from
 * the fallback while it is not.
 *
 * <ul>
 *   <li><b>Switch to the fallback</b> when the primary reports DISCONNECTED or STALE, or sends no
 *       data for {@code staleAfter} (measured with the clock, checked every
 *       {@code checkEvery} by the feed's own timer thread, or by {@link #checkNow()}).
 *   <li><b>Switch back</b> at the primary's first data after it recovered.
 *   <li>Each switch is a {@link FeedStatus} under this feed's name: STALE with the reason when
 *       failing over (so monitors alert), CONNECTED when back on the stream; both are logged.
 *       The primary's own statuses are passed on under this feed's name too (the source named
 *       in the detail); the fallback's only while it is in use.
 *   <li>Per instrument, nothing older than what was already delivered gets through, and the
 *       same quote twice (say, once from each source around a switch) is delivered once.
 * </ul>
 *
 * Thread-safe: the two feeds push from their own threads; delivery is serialised. Live use only
 * (a replay has no failures to fail over from). The fallback should be cheap to leave running,
 * or pace itself (IB's {@code IbPollingFeed} polls snapshots at its own interval).
 */
public final class FailoverFeed implements MarketDataFeed {
  private static final Logger log = LoggerFactory.getLogger(FailoverFeed.class);

  private final String name;
  private final MarketDataFeed primary;
  private final MarketDataFeed fallback;
  private final Duration staleAfter;
  private final Duration checkEvery;
  private final Clock clock;

  private final Object lock = new Object();
  private final Map<InstrumentId, MarketData> lastDelivered = new HashMap<>();
  private MarketDataListener out;
  private boolean onFallback;
  private Instant lastPrimaryData;
  private long switches;
  private long droppedStale;
  private long droppedDuplicates;
  private volatile boolean stopped;
  private ScheduledExecutorService timer;

  private FailoverFeed(Builder b) {
    this.name = b.name;
    this.primary = b.primary;
    this.fallback = b.fallback;
    this.staleAfter = b.staleAfter;
    this.checkEvery = b.checkEvery;
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void subscribe(Instrument instrument) {
    primary.subscribe(instrument);
    fallback.subscribe(instrument);
  }

  @Override
  public void start(MarketDataListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("FailoverFeed.start listener must not be null");
    }
    synchronized (lock) {
      if (out != null) {
        throw new IllegalStateException("FailoverFeed " + name + " was started already");
      }
      out = listener;
      lastPrimaryData = clock.now();
    }
    primary.start(new Source(true));
    fallback.start(new Source(false));
    if (!checkEvery.isZero()) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "failover-" + name);
        t.setDaemon(true);
        return t;
      });
      timer.scheduleWithFixedDelay(this::checkNow, checkEvery.toNanos(), checkEvery.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Checks the primary's silence now (the timer calls this; tests call it after moving the clock). */
  public void checkNow() {
    synchronized (lock) {
      if (stopped || out == null || onFallback) {
        return;
      }
      Duration quiet = Duration.between(lastPrimaryData, clock.now());
      if (quiet.compareTo(staleAfter) >= 0) {
        failOver("primary " + primary.name() + " sent no data for " + quiet.toMillis() + " ms (staleAfter="
            + staleAfter.toMillis() + " ms)");
      }
    }
  }

  @Override
  public void stop() {
    stopped = true;
    ScheduledExecutorService t = timer;
    if (t != null) {
      t.shutdownNow();
    }
    try {
      primary.stop();
    } finally {
      fallback.stop();
    }
  }

  /** Whether data currently comes from the fallback. */
  public boolean isOnFallback() {
    synchronized (lock) {
      return onFallback;
    }
  }

  /** How many times the source switched (either way). */
  public long switches() {
    synchronized (lock) {
      return switches;
    }
  }

  /** Events dropped because they were older than what was already delivered. */
  public long droppedOutOfOrder() {
    synchronized (lock) {
      return droppedStale;
    }
  }

  /** Events dropped because the same event was already delivered. */
  public long droppedDuplicates() {
    synchronized (lock) {
      return droppedDuplicates;
    }
  }

  // ---------------------------------------------------------------- under the lock

  private void failOver(String why) {
    onFallback = true;
    switches++;
    log.warn("feed failover: using the fallback feed={} fallback={} reason={}", name, fallback.name(), why);
    out.onFeedStatus(new FeedStatus(name, FeedState.STALE, null,
        "switched to fallback " + fallback.name() + ": " + why, clock.now()));
  }

  private void switchBack() {
    onFallback = false;
    switches++;
    log.info("feed failover: back on the stream feed={} primary={}", name, primary.name());
    out.onFeedStatus(new FeedStatus(name, FeedState.CONNECTED, null,
        "primary " + primary.name() + " recovered: switched back from " + fallback.name(), clock.now()));
  }

  private void deliver(MarketData d) {
    MarketData last = lastDelivered.get(d.instrument());
    if (last != null) {
      int c = d.time().compareTo(last.time());
      if (c < 0) {
        droppedStale++;
        return;
      }
      if (c == 0 && d.equals(last)) {
        droppedDuplicates++;
        return;
      }
    }
    lastDelivered.put(d.instrument(), d);
    out.onMarketData(d);
  }

  /** What each underlying feed talks to. */
  private final class Source implements MarketDataListener {
    private final boolean isPrimary;

    Source(boolean isPrimary) {
      this.isPrimary = isPrimary;
    }

    @Override
    public void onMarketData(MarketData data) {
      synchronized (lock) {
        if (stopped) {
          return;
        }
        if (isPrimary) {
          lastPrimaryData = clock.now();
          if (onFallback) {
            switchBack();
          }
          deliver(data);
        } else if (onFallback) {
          deliver(data);
        }
      }
    }

    @Override
    public void onFeedStatus(FeedStatus status) {
      synchronized (lock) {
        if (stopped) {
          return;
        }
        // a feed speaks under its own name: a source's status is passed on under this feed's
        // name with the source in the detail; the fallback's only while it is the one in use
        // (a polling source going down while the stream carries the data is not an outage)
        if (isPrimary || onFallback) {
          String source = isPrimary ? primary.name() : fallback.name();
          out.onFeedStatus(new FeedStatus(name, status.state(), status.instrument(),
              source + (status.detail().isEmpty() ? "" : ": " + status.detail()), status.time()));
        } else {
          log.info("fallback feed status while on the stream feed={} fallback={} state={} detail={}", name,
              fallback.name(), status.state(), status.detail());
        }
        if (isPrimary && !onFallback
            && (status.state() == FeedState.DISCONNECTED || status.state() == FeedState.STALE)) {
          failOver("primary " + primary.name() + " reported " + status.state()
              + (status.detail().isEmpty() ? "" : ": " + status.detail()));
        }
      }
    }
  }

  /** Settings; every setter checks its value at once. */
  public static final class Builder {
    private String name = "failover";
    private MarketDataFeed primary;
    private MarketDataFeed fallback;
    private Duration staleAfter = Duration.ofSeconds(10);
    private Duration checkEvery = Duration.ofSeconds(1);
    private Clock clock = SystemClock.instance();

    private Builder() {}

    public Builder name(String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("FailoverFeed.name must not be blank, was '" + value + "'");
      }
      this.name = value;
      return this;
    }

    /** The streaming feed, preferred while healthy. */
    public Builder primary(MarketDataFeed value) {
      if (value == null) {
        throw new IllegalArgumentException("FailoverFeed.primary must not be null");
      }
      this.primary = value;
      return this;
    }

    /** The polling feed, used while the primary is unhealthy. */
    public Builder fallback(MarketDataFeed value) {
      if (value == null) {
        throw new IllegalArgumentException("FailoverFeed.fallback must not be null");
      }
      this.fallback = value;
      return this;
    }

    /** Silence from the primary that counts as stale (default 10 s, > 0). */
    public Builder staleAfter(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("FailoverFeed.staleAfter must be > 0, was " + value);
      }
      this.staleAfter = value;
      return this;
    }

    /** How often the timer checks for silence (default 1 s; zero: no timer, call checkNow()). */
    public Builder checkEvery(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("FailoverFeed.checkEvery must be >= 0, was " + value);
      }
      this.checkEvery = value;
      return this;
    }

    public Builder clock(Clock value) {
      if (value == null) {
        throw new IllegalArgumentException("FailoverFeed.clock must not be null");
      }
      this.clock = value;
      return this;
    }

    public FailoverFeed build() {
      if (primary == null || fallback == null) {
        throw new ConfigurationException("FailoverFeed needs a primary and a fallback feed, was primary="
            + (primary == null ? "missing" : primary.name()) + " fallback="
            + (fallback == null ? "missing" : fallback.name()));
      }
      if (primary == fallback) {
        throw new ConfigurationException("FailoverFeed primary and fallback must be two feeds, was the same "
            + primary.name() + " twice");
      }
      return new FailoverFeed(this);
    }
  }
}
