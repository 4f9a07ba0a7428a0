package dev.algotrade.core.monitor;

import dev.algotrade.api.alert.Severity;
import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.store.StoreHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the engine and raises alerts when something needs a human: risk denials in a row,
 * a feed that disconnects or goes stale during session hours, an instrument without data during
 * its session hours,
 * the broker connection down for too long (and back again), the store's queue backing up or
 * dropping records. It learns what happens through {@link EngineObserver} and runs its
 * time-based checks from {@link #onTick}, which the system calls from an engine timer every
 * {@link HealthMonitorConfig#checkPeriod()}, so a simulated clock drives it in tests and replays.
 *
 * <p>Alerts raised elsewhere (order rejected or not sent, strategy failed, reconciliation findings,
 * kill switch, circuit breaker, drawdown) are not repeated here. Confined to the engine thread;
 * {@link #onMarketData} only sets a flag and allocates nothing.
 */
public final class HealthMonitor implements EngineObserver {

  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

  /** Where alerts go (the engine's {@code alert}, which also stores them). */
  @FunctionalInterface
  public interface AlertSink {
    void alert(Severity severity, String title, String text, String key);
  }

  private final HealthMonitorConfig config;
  private final AlertSink sink;
  private final StoreHealth storeHealth;
  private final Instant startedAt;
  private final Map<InstrumentId, Watch> watches = new HashMap<>();
  private final Watch[] watchList;
  private InstrumentId lastId;
  private Watch lastWatch;

  private String brokerName = "broker";
  private ConnectionState brokerState;
  private Instant brokerDownSince;
  private boolean brokerDownAlerted;

  private final Map<String, FeedState> alertedFeeds = new LinkedHashMap<>();

  private int denialStreak;
  private boolean denialsAlerted;
  private String lastDenial = "";

  private Instant storeBackedUpSince;
  private boolean storeAlerted;
  private long storeDroppedSeen;

  /**
   * @param instruments the instruments to watch for data
   * @param storeHealth the store's queue figures, or null if the store has none
   * @param startedAt when the system started (an instrument's silence counts from here at most)
   */
  public HealthMonitor(HealthMonitorConfig config, Collection<InstrumentId> instruments, AlertSink sink,
      StoreHealth storeHealth, Instant startedAt) {
    if (config == null || instruments == null || sink == null || startedAt == null) {
      throw new IllegalArgumentException("HealthMonitor: config, instruments, sink and startedAt must not be null");
    }
    this.config = config;
    this.sink = sink;
    this.storeHealth = storeHealth;
    this.startedAt = startedAt;
    this.brokerDownSince = startedAt; // not connected yet: counts as down until the broker says CONNECTED
    for (InstrumentId id : instruments) {
      watches.put(id, new Watch(id, config.staleAfter(id), config.session(id)));
    }
    this.watchList = watches.values().toArray(new Watch[0]);
    if (storeHealth != null) {
      storeDroppedSeen = storeHealth.dropped();
    }
  }

  public HealthMonitorConfig config() {
    return config;
  }

  // ---------------------------------------------------------------- events

  @Override
  public void onMarketData(InstrumentId instrument, Instant time) {
    // only a flag here: the next check stamps it with the monitor's clock (no allocation, and
    // immune to a venue clock that differs from ours)
    if (instrument == lastId) {
      lastWatch.seen = true;
      return;
    }
    Watch w = watches.get(instrument);
    if (w != null) {
      lastId = instrument;
      lastWatch = w;
      w.seen = true;
    }
  }

  @Override
  public void onOrderSubmitted(OrderRequest request) {
    denialStreak = 0;
    denialsAlerted = false;
  }

  @Override
  public void onOrderDenied(OrderDenied denial) {
    denialStreak++;
    lastDenial = "code=" + denial.code() + " order=[" + denial.request().describe() + "]";
    if (denialStreak >= config.denialsInARow() && !denialsAlerted) {
      denialsAlerted = true;
      sink.alert(Severity.WARNING, "Orders denied by risk checks",
          denialStreak + " risk denials in a row (threshold " + config.denialsInARow() + "), last: " + lastDenial
              + " details=" + denial.details(), "risk-denials");
    }
  }

  @Override
  public void onBrokerStatus(BrokerStatus status) {
    brokerName = status.broker();
    ConnectionState s = status.state();
    if (s == brokerState) {
      return;
    }
    brokerState = s;
    switch (s) {
      case CONNECTED:
        if (brokerDownAlerted) {
          Duration down = Duration.between(brokerDownSince, status.time());
          sink.alert(Severity.INFO, "Broker connection restored", "broker=" + brokerName + " downFor="
              + seconds(down) + "s detail=" + status.detail(), "broker-restored");
        } else if (brokerDownSince != null && !brokerDownSince.equals(startedAt)) {
          log.info("broker connection back before the alert threshold broker={} downFor={}s", brokerName,
              seconds(Duration.between(brokerDownSince, status.time())));
        }
        brokerDownSince = null;
        brokerDownAlerted = false;
        break;
      case CLOSED:
        brokerDownSince = null; // closed on purpose (shutdown)
        brokerDownAlerted = false;
        break;
      default:
        if (brokerDownSince == null) {
          brokerDownSince = status.time();
          MaintenanceWindow window = config.brokerMaintenance();
          if (window != null && window.contains(brokerDownSince)) {
            log.info("broker down in its maintenance window, alert deferred broker={} window={} alertAfter={}",
                brokerName, window, window.endOfWindowAt(brokerDownSince).plus(config.brokerDownAlertAfter()));
          }
        }
        brokerDetail = s + " " + status.detail();
    }
  }

  private String brokerDetail = "not connected yet";

  @Override
  public void onFeedStatus(FeedStatus status) {
    String key = status.instrument() == null ? status.feed() : status.feed() + "/" + status.instrument();
    FeedState s = status.state();
    String what = "feed=" + status.feed() + (status.instrument() == null ? "" : " instrument=" + status.instrument())
        + " detail=" + status.detail();
    if (s == FeedState.DISCONNECTED || s == FeedState.STALE) {
      boolean open = status.instrument() == null ? anySessionOpen(status.time())
          : config.session(status.instrument()).isOpen(status.time());
      if (!open) {
        log.info("feed problem outside session hours; no alert state={} {}", s, what);
        return;
      }
      if (alertedFeeds.put(key, s) != s) {
        sink.alert(Severity.WARNING, s == FeedState.STALE ? "Feed stale" : "Feed disconnected", what,
            (s == FeedState.STALE ? "feed-stale:" : "feed-disconnected:") + key);
      }
    } else if (s == FeedState.CONNECTED) {
      FeedState was = alertedFeeds.remove(key);
      if (was != null) {
        sink.alert(Severity.INFO, "Feed restored", what + " was=" + was, "feed-restored:" + key);
      }
    } else {
      alertedFeeds.remove(key); // STOPPED: on purpose
    }
  }

  private boolean anySessionOpen(Instant time) {
    if (config.session().isOpen(time)) {
      return true;
    }
    for (Watch w : watchList) {
      if (w.session.isOpen(time)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- periodic checks

  /** Runs the time-based checks; called every check period from an engine timer. */
  public void onTick(Instant now) {
    checkInstruments(now);
    checkBroker(now);
    checkStore(now);
  }

  private void checkInstruments(Instant now) {
    for (Watch w : watchList) {
      if (w.seen) {
        w.seen = false;
        w.last = now;
        if (w.alerted) {
          w.alerted = false;
          sink.alert(Severity.INFO, "Market data resumed", "instrument=" + w.id + " at=" + now,
              "no-data-resumed:" + w.id);
        }
        continue;
      }
      Instant open = w.session.currentOpen(now);
      if (open == null) {
        w.alerted = false; // a new session starts a new count
        continue;
      }
      if (w.alerted) {
        continue;
      }
      Instant from = latest(latest(w.last, open), startedAt);
      Duration silent = Duration.between(from, now);
      if (silent.compareTo(w.staleAfter) >= 0) {
        w.alerted = true;
        sink.alert(Severity.WARNING, "No market data", "instrument=" + w.id + " silentFor=" + seconds(silent)
            + "s staleAfter=" + seconds(w.staleAfter) + "s lastData=" + (w.last == null ? "none since start" : w.last)
            + " sessionOpened=" + open, "no-data:" + w.id);
      }
    }
  }

  private void checkBroker(Instant now) {
    if (brokerDownSince == null || brokerDownAlerted) {
      return;
    }
    Duration down = Duration.between(brokerDownSince, now);
    Instant countFrom = brokerDownSince;
    MaintenanceWindow window = config.brokerMaintenance();
    if (window != null) {
      // an outage that began in the expected window counts from the window's end
      countFrom = window.endOfWindowAt(brokerDownSince);
    }
    if (Duration.between(countFrom, now).compareTo(config.brokerDownAlertAfter()) >= 0) {
      brokerDownAlerted = true;
      sink.alert(Severity.CRITICAL, "Broker connection lost", "broker=" + brokerName + " downFor=" + seconds(down)
          + "s threshold=" + seconds(config.brokerDownAlertAfter()) + "s state=" + brokerDetail
          + (countFrom.equals(brokerDownSince) ? "" : " (began in the maintenance window " + window + ")")
          + " (orders cannot be sent or cancelled)", "broker-down");
    }
  }

  private void checkStore(Instant now) {
    if (storeHealth == null) {
      return;
    }
    int depth = storeHealth.queueDepth();
    int capacity = storeHealth.queueCapacity();
    long dropped = storeHealth.dropped();
    if (dropped > storeDroppedSeen) {
      long newly = dropped - storeDroppedSeen;
      storeDroppedSeen = dropped;
      sink.alert(Severity.WARNING, "Store dropped records", "dropped=" + newly + " totalDropped=" + dropped
          + " queueDepth=" + depth + " queueCapacity=" + capacity, "store-dropped");
    }
    boolean backedUp = capacity > 0 && depth >= config.storeBackedUpFraction() * capacity;
    if (!backedUp) {
      if (storeAlerted) {
        sink.alert(Severity.INFO, "Store queue recovered", "queueDepth=" + depth + " queueCapacity=" + capacity,
            "store-backlog-recovered");
      }
      storeBackedUpSince = null;
      storeAlerted = false;
      return;
    }
    if (storeBackedUpSince == null) {
      storeBackedUpSince = now;
    }
    Duration for_ = Duration.between(storeBackedUpSince, now);
    if (!storeAlerted && for_.compareTo(config.storeBackedUpAfter()) >= 0) {
      storeAlerted = true;
      sink.alert(Severity.WARNING, "Store queue backing up", "queueDepth=" + depth + " queueCapacity=" + capacity
          + " fill=" + Math.round(100.0 * depth / capacity) + "% for=" + seconds(for_) + "s threshold="
          + Math.round(100 * config.storeBackedUpFraction()) + "% dropped=" + dropped, "store-backlog");
    }
  }

  private static Instant latest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  private static long seconds(Duration d) {
    return d.getSeconds();
  }

  /** One instrument's data watch. */
  private static final class Watch {
    final InstrumentId id;
    final Duration staleAfter;
    final SessionHours session;
    boolean seen;
    Instant last;
    boolean alerted;

    Watch(InstrumentId id, Duration staleAfter, SessionHours session) {
      this.id = id;
      this.staleAfter = staleAfter;
      this.session = session;
    }
  }
}
