package dev.algotrade.ib;

import dev.algotrade.api.BrokerException;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.market.Trade;
import dev.algotrade.api.time.Clock;
import dev.algotrade.ib.internal.IbHandler;
import dev.algotrade.ib.internal.Outgoing;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streaming IB market data as a {@link MarketDataFeed}: each subscribed instrument is resolved
 * ({@link IbContracts}, so an unknown symbol fails with IB's text) and then requested with
 * reqMktData. Bid/ask prices and sizes become {@link Quote}s (one per change; a price of -1,
 * IB's "no price", becomes an empty side; a pair that looks crossed only because one side's
 * tick has arrived and the other's not yet is held back once, see {@link #heldCrossedQuotes()}),
 * last prices become {@link Trade}s with the size that travels in the same tickPrice. Live and
 * delayed tick ids are both understood, and the data type asked for is
 * {@link IbConfig#marketDataType()} (live, frozen, delayed, delayed-frozen).
 *
 * <p>{@link #snapshot(Instrument)} asks for one snapshot (reqMktData with snapshot=1) and is the
 * building block of {@link IbPollingFeed}, the polling source for a failover feed.
 *
 * <p>Health: connection changes become whole-feed {@link FeedStatus}es; an instrument with no
 * tick for {@link IbConfig#noDataWarning()} is reported STALE and logged as
 * {@code Warning: No market data received}.
 *
 * <p><b>Restore</b> (the client reconnects itself, see {@link IbClient.ConnectionListener}):
 * <ul>
 *   <li>socket lost: whole-feed DISCONNECTED; every ticker id of the dead session is forgotten
 *       (late data under an old id is ignored) and snapshots in flight fail at once;
 *   <li>1100: whole-feed STALE; the subscriptions are kept;
 *   <li>a new session after a reconnect, or 1101 (data lost): the market data type is sent
 *       again and every subscription is requested again under a fresh ticker id; the whole feed
 *       reports CONNECTED, and each instrument reports CONNECTED ("market data resumed") with its
 *       first tick;
 *   <li>1102 (data maintained): nothing is requested again; data continues under the same ids.
 * </ul>
 * An instrument has at most one live ticker id: a request that completes after a newer session
 * asked again is dropped, and a second request in the same session cancels the first.
 *
 * <p>Thread-safe. Market data and status reach the listener from the client's reader thread
 * (staleness from its timer thread), one at a time; nothing reaches it after {@link #stop()}
 * has returned.
 */
public final class IbFeed implements MarketDataFeed, IbHandler {

  private static final Logger log = LoggerFactory.getLogger(IbFeed.class);
  /** The longest stop() waits for a delivery in progress. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(2);

  private final IbClient client;
  private final boolean ownsClient;
  private final IbContracts contracts;
  private final Clock clock;
  private final Map<InstrumentId, Instrument> subscriptions = new ConcurrentHashMap<>();
  private final Map<Integer, Ticker> tickers = new ConcurrentHashMap<>();
  /** The live ticker of each subscribed instrument in the current session. */
  private final Map<InstrumentId, Ticker> active = new ConcurrentHashMap<>();
  /** Bumped when the session's ticker ids die (socket lost, 1101): older requests are dropped. */
  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong resubscriptions = new AtomicLong();
  /** The socket was lost since the last restore: its ids and snapshots are already forgotten. */
  private volatile boolean lostSinceRestore;
  private final java.util.concurrent.atomic.AtomicBoolean listening = new java.util.concurrent.atomic.AtomicBoolean();
  private final Map<Integer, Snapshot> snapshots = new ConcurrentHashMap<>();
  private volatile MarketDataListener listener;
  private volatile boolean started;
  private volatile boolean stopped;
  private volatile boolean dataTypeSent;
  private volatile ScheduledFuture<?> staleCheck;
  /** Held while data or a status is handed to the listener; stop() takes it (see stop()). */
  private final ReentrantLock deliveryLock = new ReentrantLock();
  private final AtomicLong heldCrossedQuotes = new AtomicLong();

  /** Per-subscription state, written only on the reader thread (and read by the staleness check). */
  private static final class Ticker {
    final Instrument instrument;
    final int tickerId;
    double bid;
    double ask;
    double bidSize;
    double askSize;
    volatile long lastTickNanos;
    volatile boolean stale;
    /** A crossed quote made of one new side and one old side was held back (see quoteOrHold). */
    boolean crossHeld;
    /** Requested again after a restore: its first tick reports the instrument CONNECTED. */
    volatile boolean resuming;

    Ticker(Instrument instrument, int tickerId, long now) {
      this.instrument = instrument;
      this.tickerId = tickerId;
      this.lastTickNanos = now;
    }
  }

  private static final class Snapshot {
    final Instrument instrument;
    final CompletableFuture<Quote> future = new CompletableFuture<>();
    double bid;
    double ask;
    double bidSize;
    double askSize;

    Snapshot(Instrument instrument) {
      this.instrument = instrument;
    }
  }

  private IbFeed(IbClient client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.clock = client.clock();
    this.contracts = client.contracts();
  }

  /** A feed on its own connection, closed by {@link #stop()}. */
  public static IbFeed create(IbConfig config, Clock clock) {
    return new IbFeed(IbClient.create(config, clock), true);
  }

  /** A feed sharing {@code client} (e.g. with an {@link IbBroker}); {@link #stop()} leaves it open. */
  public static IbFeed on(IbClient client) {
    return new IbFeed(client, false);
  }

  @Override
  public String name() {
    return "ib";
  }

  /** The connection this feed uses. */
  public IbClient client() {
    return client;
  }

  /** The contract resolver this feed uses (shared cache). */
  public IbContracts contracts() {
    return contracts;
  }

  @Override
  public void subscribe(Instrument instrument) {
    if (subscriptions.putIfAbsent(instrument.id(), instrument) == null && started && client.isReady()) {
      request(instrument);
    }
  }

  @Override
  public synchronized void start(MarketDataListener l) {
    if (started) {
      throw new IllegalStateException("IbFeed already started");
    }
    listener = l;
    started = true;
    client.addHandler(this);
    listenToConnection();
    if (client.isReady()) {
      status(FeedState.CONNECTED, null, "connected (shared connection)");
    }
    client.start().whenComplete((v, e) -> {
      if (e == null) {
        requestAll(false);
      }
    });
    long period = Math.max(100, config().noDataWarning().toMillis() / 2);
    staleCheck = client.timer().scheduleAtFixedRate(() -> {
      try {
        checkStale();
      } catch (RuntimeException e) {
        log.error("IB feed staleness check failed", e);
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  /** Registers for connection changes once (streaming, or only snapshots). */
  private void listenToConnection() {
    if (!listening.compareAndSet(false, true)) {
      return;
    }
    client.addConnectionListener(new IbClient.ConnectionListener() {
      @Override
      public void onConnectionState(ConnectionState state, String detail) {
        onConnection(state, detail);
      }

      @Override
      public void onRestored(boolean dataLost) {
        restored(dataLost);
      }
    });
  }

  private IbConfig config() {
    return client.config();
  }

  private void requestAll(boolean resuming) {
    if (stopped) {
      return;
    }
    if (!dataTypeSent) {
      dataTypeSent = true;
      client.send(Outgoing.reqMarketDataType(config().marketDataType().code()));
    }
    for (Instrument i : subscriptions.values()) {
      request(i, resuming);
    }
  }

  private void request(Instrument instrument) {
    request(instrument, false);
  }

  private void request(Instrument instrument, boolean resuming) {
    long gen = generation.get();
    contracts.resolve(instrument).whenComplete((d, e) -> {
      if (stopped || gen != generation.get()) {
        return; // a newer session asks again itself
      }
      if (e != null && !(root(e) instanceof IbContracts.LookupTimeout)) {
        String why = rootMessage(e);
        log.error("IB market data subscription failed instrument={} reason={}", instrument.id(), why);
        status(FeedState.DISCONNECTED, instrument.id(), why);
        return;
      }
      if (e != null) {
        log.warn("IB contract look-up unanswered, subscribing by symbol instrument={}", instrument.id());
      }
      subscribeNow(instrument, gen, resuming, d == null ? 0 : d.contract().conId());
    });
  }

  private synchronized void subscribeNow(Instrument instrument, long gen, boolean resuming, int conId) {
    if (stopped || gen != generation.get()) {
      return;
    }
    int tickerId;
    try {
      tickerId = client.nextId();
    } catch (BrokerException e) {
      log.warn("IB market data request deferred until connected instrument={} reason={}", instrument.id(),
          e.getMessage());
      return;
    }
    Ticker t = new Ticker(instrument, tickerId, clock.nanoTime());
    t.resuming = resuming;
    Ticker old = active.put(instrument.id(), t);
    tickers.put(tickerId, t);
    if (old != null && tickers.remove(old.tickerId) != null) {
      // asked twice in one session (e.g. subscribe() racing a restore): keep one subscription
      log.info("IB market data subscription replaced instrument={} oldTickerId={} tickerId={}", instrument.id(),
          old.tickerId, tickerId);
      client.send(Outgoing.cancelMktData(old.tickerId));
    }
    if (resuming) {
      resubscriptions.incrementAndGet();
    }
    log.info("IB market data subscribed instrument={} tickerId={} conId={} type={} resumed={}", instrument.id(),
        tickerId, conId, config().marketDataType(), resuming);
    client.send(Outgoing.reqMktData(tickerId, contracts.contractFor(instrument), "", false));
  }

  /** The live ticker id of {@code instrument} in this session, or -1. For tests. */
  int tickerIdOf(InstrumentId instrument) {
    Ticker t = active.get(instrument);
    return t == null ? -1 : t.tickerId;
  }

  /** Subscriptions requested again after a reconnect or 1101. */
  public long resubscriptions() {
    return resubscriptions.get();
  }

  /**
   * One snapshot quote (reqMktData snapshot=1, completed by tickSnapshotEnd). Missing sides are
   * 0. Fails after 15 s without tickSnapshotEnd, or with IB's error text.
   */
  public CompletableFuture<Quote> snapshot(Instrument instrument) {
    client.addHandler(this);
    listenToConnection();
    return client.start().thenCompose(v -> contracts.resolve(instrument).exceptionally(e -> {
      if (root(e) instanceof IbContracts.LookupTimeout) {
        return null; // unanswered look-up: ask by symbol
      }
      throw e instanceof java.util.concurrent.CompletionException
          ? (java.util.concurrent.CompletionException) e : new java.util.concurrent.CompletionException(e);
    })).thenCompose(d -> {
      int tickerId = client.nextId();
      Snapshot s = new Snapshot(instrument);
      snapshots.put(tickerId, s);
      client.timer().schedule(() -> {
        if (snapshots.remove(tickerId) != null) {
          s.future.completeExceptionally(new BrokerException("IB snapshot timed out for " + instrument.id()));
        }
      }, 15, TimeUnit.SECONDS);
      client.send(Outgoing.reqMktData(tickerId, contracts.contractFor(instrument), "", true));
      return s.future;
    });
  }

  // ---------------------------------------------------------------- inbound (reader thread)

  @Override
  public void tickPrice(int tickerId, int tickType, double price, double size, int attrMask) {
    Ticker t = tickers.get(tickerId);
    if (t == null) {
      Snapshot s = snapshots.get(tickerId);
      if (s != null) {
        snapshotTick(s, tickType, price, size);
      }
      return;
    }
    double p = price > 0 ? price : 0.0;
    double q = size >= 0 ? size : Double.NaN;
    switch (tickType) {
      case 1: case 66: { // bid
        double newSize = Double.isNaN(q) ? t.bidSize : (p == 0 ? 0 : q);
        if (p == t.bid && newSize == t.bidSize) {
          touch(t); // a repeat: no new quote
        } else {
          t.bid = p;
          t.bidSize = newSize;
          quoteOrHold(t);
        }
        break;
      }
      case 2: case 67: { // ask
        double newSize = Double.isNaN(q) ? t.askSize : (p == 0 ? 0 : q);
        if (p == t.ask && newSize == t.askSize) {
          touch(t);
        } else {
          t.ask = p;
          t.askSize = newSize;
          quoteOrHold(t);
        }
        break;
      }
      case 4: case 68: // last
        touch(t);
        if (p > 0) {
          deliver(new Trade(t.instrument.id(), clock.now(), p, Double.isNaN(q) ? 0 : q));
        }
        break;
      default:
        touch(t);
        break;
    }
  }

  @Override
  public void tickSize(int tickerId, int tickType, double size) {
    Ticker t = tickers.get(tickerId);
    if (t == null) {
      Snapshot s = snapshots.get(tickerId);
      if (s != null) {
        snapshotSize(s, tickType, size);
      }
      return;
    }
    if (Double.isNaN(size) || size < 0) {
      touch(t);
      return;
    }
    switch (tickType) {
      case 0: case 69:
        if (size != t.bidSize) {
          t.bidSize = size;
          quoteOrHold(t);
        } else {
          touch(t);
        }
        break;
      case 3: case 70:
        if (size != t.askSize) {
          t.askSize = size;
          quoteOrHold(t);
        } else {
          touch(t);
        }
        break;
      default:
        touch(t);
        break;
    }
  }

  @Override
  public void tickSnapshotEnd(int tickerId) {
    Snapshot s = snapshots.remove(tickerId);
    if (s != null) {
      s.future.complete(new Quote(s.instrument.id(), clock.now(), s.bid, s.ask, s.bidSize, s.askSize));
    }
  }

  @Override
  public void marketDataType(int tickerId, int type) {
    Ticker t = tickers.get(tickerId);
    if (t != null) {
      IbMarketDataType dt = IbMarketDataType.ofCode(type);
      log.info("IB market data type instrument={} type={}", t.instrument.id(), dt == null ? type : dt);
    }
  }

  @Override
  public boolean error(int id, int code, String text, String json) {
    Ticker t = tickers.get(id);
    Snapshot s = snapshots.get(id);
    if (t == null && s == null) {
      return false;
    }
    InstrumentId instrument = t != null ? t.instrument.id() : s.instrument.id();
    if (code == 10167 || code == 2104 || code == 2106) {
      log.info("IB market data notice instrument={} code={} text={}", instrument, code, text);
      return true;
    }
    if (code == 10197) {
      log.warn("IB market data blocked by a competing live session instrument={} code={} text={}", instrument, code,
          text);
      status(FeedState.STALE, instrument, code + " " + text);
      return true;
    }
    if (s != null) {
      snapshots.remove(id);
      s.future.completeExceptionally(new RequestFailed(code, text));
      return true;
    }
    log.error("IB market data failed instrument={} code={} text={}", instrument, code, text);
    tickers.remove(id);
    active.remove(instrument, t);
    status(FeedState.DISCONNECTED, instrument, "IB error " + code + ": " + text);
    return true;
  }

  private void snapshotTick(Snapshot s, int tickType, double price, double size) {
    double p = price > 0 ? price : 0.0;
    if (tickType == 1 || tickType == 66) {
      s.bid = p;
      if (size >= 0) {
        s.bidSize = size;
      }
    } else if (tickType == 2 || tickType == 67) {
      s.ask = p;
      if (size >= 0) {
        s.askSize = size;
      }
    }
  }

  private void snapshotSize(Snapshot s, int tickType, double size) {
    if (!(size >= 0)) {
      return;
    }
    if (tickType == 0 || tickType == 69) {
      s.bidSize = size;
    } else if (tickType == 3 || tickType == 70) {
      s.askSize = size;
    }
  }

  /**
   * IB sends the bid and the ask as separate ticks, so when the market moves by more than its
   * spread the first tick meets the other side's old price and the pair looks crossed although
   * the market never was (seen against the simulated gateway: bid 190.41 over an old ask
   * 190.32). Such a quote is held back once; the other side's tick normally follows at once and
   * uncrosses it. If the next change still leaves it crossed, the market really is crossed and
   * the quote goes out.
   */
  private void quoteOrHold(Ticker t) {
    if (t.bid > 0 && t.ask > 0 && t.bid > t.ask && !t.crossHeld) {
      t.crossHeld = true;
      touch(t);
      heldCrossedQuotes.incrementAndGet();
      if (log.isDebugEnabled()) {
        log.debug("IB crossed quote held for the other side's tick instrument={} bid={} ask={}",
            t.instrument.id(), t.bid, t.ask);
      }
      return;
    }
    t.crossHeld = false;
    quote(t);
  }

  /** How many transiently crossed quotes were held back (a bid or ask tick met the other side's old price). */
  public long heldCrossedQuotes() {
    return heldCrossedQuotes.get();
  }

  private void quote(Ticker t) {
    touch(t);
    deliver(new Quote(t.instrument.id(), clock.now(), t.bid, t.ask, t.bid == 0 ? 0 : t.bidSize,
        t.ask == 0 ? 0 : t.askSize));
  }

  private void touch(Ticker t) {
    t.lastTickNanos = clock.nanoTime();
    if (t.resuming) {
      t.resuming = false;
      t.stale = false;
      log.info("IB market data resumed after restore instrument={} tickerId={}", t.instrument.id(), t.tickerId);
      status(FeedState.CONNECTED, t.instrument.id(), "market data resumed");
    } else if (t.stale) {
      t.stale = false;
      log.info("IB market data resumed instrument={}", t.instrument.id());
      status(FeedState.CONNECTED, t.instrument.id(), "market data resumed");
    }
  }

  private void deliver(dev.algotrade.api.market.MarketData data) {
    MarketDataListener l = listener;
    if (l == null) {
      return;
    }
    deliveryLock.lock();
    try {
      if (!stopped) {
        l.onMarketData(data);
      }
    } finally {
      deliveryLock.unlock();
    }
  }

  /** Reports instruments without a tick for {@link IbConfig#noDataWarning()}. Package-private for tests. */
  void checkStale() {
    if (stopped || !client.isReady()) {
      return;
    }
    long now = clock.nanoTime();
    long limit = config().noDataWarning().toNanos();
    for (Ticker t : tickers.values()) {
      if (!t.stale && now - t.lastTickNanos > limit) {
        t.stale = true;
        log.warn("Warning: No market data received instrument={} for={}s: is the market open, is there a market "
            + "data subscription for it, is the symbol valid?", t.instrument.id(),
            Duration.ofNanos(now - t.lastTickNanos).toSeconds());
        status(FeedState.STALE, t.instrument.id(), "Warning: No market data received for "
            + Duration.ofNanos(now - t.lastTickNanos).toSeconds() + " s");
      }
    }
  }

  private void onConnection(ConnectionState state, String detail) {
    switch (state) {
      case CONNECTED:
        if (client.sessions() <= 1) {
          lostSinceRestore = false; // the first session: no restore follows
        }
        status(FeedState.CONNECTED, null, detail);
        break;
      case DEGRADED:
        status(FeedState.STALE, null, detail);
        break;
      case DISCONNECTED:
        lostSinceRestore = true;
        forgetSession("connection lost");
        status(FeedState.DISCONNECTED, null, detail);
        break;
      default:
        break;
    }
  }

  /** The session's ticker ids are dead: forget them and fail the snapshots in flight. */
  private void forgetSession(String why) {
    synchronized (this) {
      generation.incrementAndGet();
      tickers.clear();
      active.clear();
    }
    for (Integer id : snapshots.keySet()) {
      Snapshot s = snapshots.remove(id);
      if (s != null) {
        s.future.completeExceptionally(new BrokerException("IB snapshot for " + s.instrument.id() + " lost: " + why));
      }
    }
  }

  /** 1101 / a new session (dataLost): subscribe again under fresh ids; 1102: nothing to do. */
  private void restored(boolean dataLost) {
    if (!dataLost) {
      if (started && !stopped) {
        log.info("IB market data maintained, subscriptions kept subscriptions={}", subscriptions.size());
      }
      return;
    }
    if (lostSinceRestore) {
      // a new session: the old one's ids and snapshots were forgotten when it was lost, and
      // anything asked since (a snapshot, a subscribe()) belongs to the new one
      lostSinceRestore = false;
    } else {
      forgetSession("market data lost"); // 1101: IB dropped the subscriptions of this socket
    }
    if (!started || stopped) {
      return;
    }
    dataTypeSent = false;
    log.info("IB market data lost, subscribing again subscriptions={}", subscriptions.size());
    requestAll(true);
  }

  private void status(FeedState state, InstrumentId instrument, String detail) {
    MarketDataListener l = listener;
    if (l == null) {
      return;
    }
    deliveryLock.lock();
    try {
      if (!stopped) {
        l.onFeedStatus(new FeedStatus(name(), state, instrument, detail, clock.now()));
      }
    } finally {
      deliveryLock.unlock();
    }
  }

  @Override
  public void stop() {
    if (stopped || !started) {
      stopped = true;
      return;
    }
    MarketDataListener l = listener;
    // Taking the delivery lock waits out a tick being handed over right now, so nothing reaches
    // the listener after stop() returns. Bounded: a listener stuck in a full engine inbox while
    // the engine thread itself calls stop() must not deadlock.
    boolean locked = false;
    try {
      locked = deliveryLock.tryLock(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopped = true;
    if (locked) {
      deliveryLock.unlock();
    } else {
      log.warn("IB feed stopped while a delivery was still in progress waitedMs={}", STOP_WAIT.toMillis());
    }
    ScheduledFuture<?> f = staleCheck;
    if (f != null) {
      f.cancel(false);
    }
    for (Integer tickerId : tickers.keySet()) {
      client.send(Outgoing.cancelMktData(tickerId));
    }
    tickers.clear();
    active.clear();
    client.removeHandler(this);
    if (ownsClient) {
      client.close();
    }
    if (l != null) {
      l.onFeedStatus(new FeedStatus(name(), FeedState.STOPPED, null, "stopped", clock.now()));
    }
    log.info("IB feed stopped");
  }

  /** An IB error answering one market data request; {@link #code()} is IB's error code. */
  static final class RequestFailed extends BrokerException {
    private static final long serialVersionUID = 1L;
    private final int code;

    RequestFailed(int code, String text) {
      super("IB error " + code + ": " + text);
      this.code = code;
    }

    int code() {
      return code;
    }
  }

  static Throwable root(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static String rootMessage(Throwable e) {
    Throwable t = root(e);
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
