package dev.algotrade.core.internal;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Alerter;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.BrokerListener;
import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.broker.OpenOrdersReport;
import dev.algotrade.api.broker.PositionsReport;
import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.market.Trade;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelRejected;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderExpired;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.OrderSubmitted;
import dev.algotrade.api.order.OrderView;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.AccountState;
import dev.algotrade.api.portfolio.PortfolioView;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.risk.RiskRule;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.store.DailyPnl;
import dev.algotrade.api.store.RecoveryState;
import dev.algotrade.api.store.RiskEvent;
import dev.algotrade.api.store.Store;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.api.strategy.Timer;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.ReconciliationPolicy;
import dev.algotrade.core.monitor.EngineObserver;
import dev.algotrade.core.paper.SimulatedVenue;
import dev.algotrade.core.time.TradingCalendar;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-threaded engine: market state, strategies, the order planner, risk checks,
 * execution tracking and the portfolio. Everything here is confined to one thread (the live
 * engine thread, or the caller's thread in a replay); other threads only reach it through the
 * {@link Inbox}, via the {@link MarketDataListener} and {@link BrokerListener} methods, which
 * post and return.
 */
public final class Engine implements MarketDataListener, BrokerListener {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);


  /** The reason an order closed by reconciliation carries ({@code OrderCancelled.reason}). */
  public static final String NOT_OPEN_AT_BROKER = "not open at broker (reconciliation)";

  /** Client order ids this engine makes: {@code O<yyyyMMdd>T<HHmmss>-<sequence>}. */
  private static final java.util.regex.Pattern OUR_ID = java.util.regex.Pattern.compile("O\\d{8}T\\d{6}-\\d+");

  /** Settings fixed at construction. */
  public record Config(
      Clock clock,
      TradingCalendar calendar,
      Broker broker,
      Store store,
      Alerter alerter,
      List<Strategy> strategies,
      List<RiskRule> rules,
      Collection<Instrument> instruments,
      double startingCash,
      boolean recordMarketData,
      boolean cancelOrdersOnStop,
      ReconciliationPolicy reconciliationPolicy,
      int inboxCapacity,
      Duration reconciliationInterval,
      Duration reconciliationConfirmDelay) {

    /**
     * @param reconciliationInterval how often positions and open orders are requested while the
     *     broker is connected; zero: no timer (start and reconnects only)
     * @param reconciliationConfirmDelay how long a position mismatch must persist, unchanged,
     *     before it is acted on; the engine asks for positions again after this long
     */
    public Config {
      if (reconciliationInterval == null || reconciliationInterval.isNegative()) {
        throw new IllegalArgumentException("reconciliationInterval must be >= 0, was " + reconciliationInterval);
      }
      if (reconciliationConfirmDelay == null || reconciliationConfirmDelay.isNegative()) {
        throw new IllegalArgumentException("reconciliationConfirmDelay must be >= 0, was " + reconciliationConfirmDelay);
      }
    }

    /** Without the reconciliation timer, confirming mismatches after {@link #DEFAULT_CONFIRM_DELAY}. */
    public Config(Clock clock, TradingCalendar calendar, Broker broker, Store store, Alerter alerter,
        List<Strategy> strategies, List<RiskRule> rules, Collection<Instrument> instruments, double startingCash,
        boolean recordMarketData, boolean cancelOrdersOnStop, ReconciliationPolicy reconciliationPolicy,
        int inboxCapacity) {
      this(clock, calendar, broker, store, alerter, strategies, rules, instruments, startingCash, recordMarketData,
          cancelOrdersOnStop, reconciliationPolicy, inboxCapacity, Duration.ZERO, DEFAULT_CONFIRM_DELAY);
    }
  }

  /** Default of {@link Config#reconciliationConfirmDelay()}: longer than a fill waits for its commission at IB. */
  public static final Duration DEFAULT_CONFIRM_DELAY = Duration.ofSeconds(10);

  /** Counters, read on the engine thread (or after it stopped). */
  public static final class Counters {
    public long events;
    public long marketData;
    public long ordersSubmitted;
    public long ordersDenied;
    public long ordersRejected;
    public long fills;
    public long duplicateFills;
    public long unknownOrderEvents;
    public long fillsForUnknownOrders;
    public long lateFills;
    public long ignoredTransitions;
    public long unknownInstrumentData;
    public long strategyErrors;
    public long reconciliationMismatches;
    /** Position mismatches seen once and not (yet) confirmed. */
    public long reconciliationMismatchesUnconfirmed;
    public long ordersMissingAtBroker;
    public long unknownOrdersAtBroker;
    /** Fills of adopted orders that were already part of the filled quantity the broker reported. */
    public long adoptedHistoryFills;
    public long targetsSkippedWhileHalted;
    public long targetsSkippedAfterDenial;
  }

  private final Clock clock;
  private final TradingCalendar calendar;
  private final Broker broker;
  private final SimulatedVenue venue;
  private final Store store;
  private final Alerter alerter;
  private final RiskRule[] rules;
  private final Slot[] slots;
  private final Inbox inbox;
  private final Portfolio portfolio;
  private final Map<InstrumentId, InstrumentState> instruments = new HashMap<>();
  private final Map<ClientOrderId, WorkingOrder> orders = new HashMap<>();
  /** Execution ids seen today and on the previous trading day (brokers re-send recent ones). */
  private Set<String> executionIds = new HashSet<>();
  private Set<String> previousDayExecutionIds = new HashSet<>();
  private final TimerQueue timers = new TimerQueue();
  private final boolean recordMarketData;
  private final boolean storeEnabled;
  private final boolean cancelOrdersOnStop;
  private final ReconciliationPolicy reconciliationPolicy;
  private final Duration reconciliationInterval;
  private final Duration reconciliationConfirmDelay;
  private final Counters counters = new Counters();
  private final EngineRiskContext riskContext = new EngineRiskContext();

  private String idPrefix;
  private long nextSequence = 1;
  private TradingState tradingState = TradingState.ACTIVE;
  private String tradingStateReason = "";
  private AccountState brokerAccount;
  private ConnectionState brokerConnection = ConnectionState.CONNECTING;
  /** Whether the broker has reported CONNECTED at least once: a later CONNECTED is a reconnect. */
  private boolean brokerWasConnected;

  /**
   * Whether orders must not go to the broker: it reported DISCONNECTED or DEGRADED, or is
   * CONNECTING again after having been connected (an adapter retrying between attempts).
   */
  private boolean brokerDown() {
    ConnectionState c = brokerConnection;
    return c == ConnectionState.DISCONNECTED || c == ConnectionState.DEGRADED
        || (c == ConnectionState.CONNECTING && brokerWasConnected);
  }
  private final Map<String, FeedState> feedStates = new LinkedHashMap<>();
  private boolean started;
  private boolean stopping;
  private EngineMonitor monitor;
  private boolean systemOrder;
  private EngineObserver observer = EngineObserver.NONE;

  public Engine(Config config) {
    this.clock = config.clock();
    this.calendar = config.calendar();
    this.broker = config.broker();
    this.venue = config.broker() instanceof SimulatedVenue ? (SimulatedVenue) config.broker() : null;
    this.store = config.store();
    this.storeEnabled = !(config.store() instanceof dev.algotrade.core.store.NoOpStore);
    this.alerter = config.alerter();
    this.rules = config.rules().toArray(new RiskRule[0]);
    this.recordMarketData = config.recordMarketData();
    this.cancelOrdersOnStop = config.cancelOrdersOnStop();
    this.reconciliationPolicy = config.reconciliationPolicy();
    this.reconciliationInterval = config.reconciliationInterval();
    this.reconciliationConfirmDelay = config.reconciliationConfirmDelay();
    this.inbox = new Inbox(config.inboxCapacity());
    this.portfolio = new Portfolio(config.startingCash());
    for (Instrument i : config.instruments()) {
      instruments.put(i.id(), new InstrumentState(i, portfolio.register(i)));
    }
    List<Strategy> ss = config.strategies();
    this.slots = new Slot[ss.size()];
    for (int k = 0; k < ss.size(); k++) {
      slots[k] = new Slot(k, ss.get(k));
    }
  }

  // ---------------------------------------------------------------- lifecycle (engine thread)

  /** Installs the risk layer's hooks (the circuit breaker); call before {@link #start()}. */
  public void monitor(EngineMonitor value) {
    this.monitor = value;
  }

  /** Sets the one observer (the health monitor); call before {@link #start()} or on the engine thread. */
  public void observer(EngineObserver value) {
    this.observer = value == null ? EngineObserver.NONE : value;
  }

  public Inbox inbox() {
    return inbox;
  }

  /**
   * Binds the engine to the calling thread, restores what the store remembers, connects the
   * broker and starts the strategies.
   */
  public void start() {
    inbox.bindOwner(Thread.currentThread());
    Instant now = clock.now();
    idPrefix = "O" + ID_TIME.format(now);
    LocalDate day = calendar.tradingDay(now);
    for (InstrumentState s : instruments.values()) {
      store.recordInstrument(s.instrument);
    }
    recover(day);
    portfolio.rollDay(day);
    RecoveryState rs = recovered;
    if (rs != null && rs.tradingDay().equals(day)) {
      portfolio.restoreDay(day, rs.dayStartEquity(), rs.peakEquity(), rs.realizedPnl());
    }
    scheduleDayRoll(day);
    if (venue != null) {
      venue.bind(clock, calendar, instrumentList());
    }
    broker.connect(this);
    requestReconciliation("start");
    broker.requestAccount();
    if (!reconciliationInterval.isZero()) {
      timers.schedule(now.plus(reconciliationInterval), reconciliationInterval, this::reconcileOnTimer, -1);
    }
    started = true;
    if (monitor != null) {
      monitor.onStart(day);
    }
    log.info("engine started tradingDay={} instruments={} strategies={} rules={} broker={} reconciliationPolicy={}"
        + " reconciliationInterval={} reconciliationConfirmDelay={}", day, instruments.size(), slots.length,
        rules.length, broker.name(), reconciliationPolicy, reconciliationInterval, reconciliationConfirmDelay);
    for (Slot s : slots) {
      s.call("onStart", () -> s.strategy.onStart(s.ctx));
    }
    drainLocal();
  }

  private RecoveryState recovered;

  private void recover(LocalDate day) {
    RecoveryState rs = store.loadRecovery(day);
    recovered = rs;
    if (rs == null || rs.isEmpty()) {
      return;
    }
    nextSequence = Math.max(nextSequence, rs.nextOrderSequence());
    for (Position p : rs.positions()) {
      InstrumentState s = instruments.get(p.instrument());
      if (s == null) {
        log.warn("recovered position for an instrument not configured instrument={} qty={}", p.instrument(), p.quantity());
        continue;
      }
      portfolio.setPosition(p.instrument(), p.quantity(), p.averagePrice());
    }
    for (Order o : rs.openOrders()) {
      adopt(o, "recovered from store", null);
    }
    // a broker replays recent executions after a (re)connect: those booked before the restart
    // are in the recovered positions already and must not be booked again
    executionIds.addAll(rs.executionIds());
    log.info("recovered from store tradingDay={} positions={} openOrders={} nextSequence={} executionIds={}",
        rs.tradingDay(), rs.positions().size(), rs.openOrders().size(), nextSequence, rs.executionIds().size());
  }

  /** The recovery state loaded at start (for the risk layer: breaker state). */
  public RecoveryState recoveredState() {
    return recovered;
  }

  /**
   * Takes an order placed by this system (an earlier run) into the book with its history: status,
   * filled quantity, average price and broker id. Adopted orders belong to the system (owner -1):
   * no strategy is called for them, and the planner counts their remaining quantity.
   *
   * @param reportedAt for an order the broker reported (rather than the store), the report's
   *     time: executions up to then are part of the reported filled quantity, so when the broker
   *     replays them they are booked to the portfolio (if not booked before, by execution id) but
   *     do not fill the order a second time. Null for an order from the store, whose fills the
   *     store's execution ids cover.
   * @return false if it could not be adopted (instrument not configured)
   */
  private boolean adopt(Order o, String why, Instant reportedAt) {
    if (o.clientOrderId() == null || orders.containsKey(o.clientOrderId())) {
      return true;
    }
    InstrumentState s = instruments.get(o.request().instrument());
    if (s == null) {
      log.warn("order for an instrument not configured, not adopted clientOrderId={} instrument={}",
          o.clientOrderId(), o.request().instrument());
      return false;
    }
    WorkingOrder wo = new WorkingOrder(o.clientOrderId(), o.request(), -1, o.status(), o.createdAt());
    wo.brokerOrderId = o.brokerOrderId();
    wo.filled = o.filledQuantity();
    wo.notionalFilled = o.filledQuantity() > 0 ? o.filledQuantity() * o.averageFillPrice() : 0;
    if (reportedAt != null && o.filledQuantity() > 0) {
      wo.historyFilled = o.filledQuantity();
      wo.historyAt = reportedAt;
    }
    orders.put(wo.id, wo);
    if (wo.status.isWorking()) {
      s.working.add(wo);
    }
    log.info("order adopted clientOrderId={} status={} filled={} avgPrice={} brokerOrderId={} why={}", wo.id,
        wo.status, fmt(wo.filled), o.averageFillPrice(), wo.brokerOrderId, why);
    return true;
  }

  /**
   * Graceful stop, first part: strategies' {@code onStop}, then working orders cancelled if so
   * configured. The caller then lets broker events drain before {@link #finish()}. From here on
   * market data and strategy timers no longer reach strategies (a quote still in the inbox must
   * not open an order whose fill the finished engine would never book); order updates and fills
   * still do.
   */
  public void beginStop(String why) {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info("engine stopping reason={}", why);
    for (Slot s : slots) {
      if (!s.failed) {
        s.call("onStop", () -> s.strategy.onStop(s.ctx));
      }
    }
    if (cancelOrdersOnStop) {
      cancelAllWorking("shutdown");
    }
    drainLocal();
  }

  /** Whether any order is still working (the stop sequence waits for cancels). */
  public boolean hasWorkingOrders() {
    for (InstrumentState s : instruments.values()) {
      if (!s.working.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Graceful stop, last part: the day's P&L written; the store is flushed by the caller. */
  public void finish() {
    writeDailyPnl();
    log.info("engine stopped events={} fills={} realizedPnl={} equity={}", counters.events,
        counters.fills, fmt(portfolio.realizedPnl()), fmt(portfolio.equity()));
  }

  private void writeDailyPnl() {
    Portfolio.DaySummary d = portfolio.daySummary();
    if (d.day() != null) {
      store.recordDailyPnl(new DailyPnl(d.day(), d.realized(), d.unrealized(), d.commissions(),
          d.startEquity(), d.endEquity(), d.peakEquity(), d.troughEquity(), d.fills(), clock.now()));
    }
  }

  // ---------------------------------------------------------------- the loop's building blocks

  /** Handles one message from the inbox or a replay source. */
  public void dispatch(Object m) {
    counters.events++;
    if (m instanceof Quote) {
      onQuote((Quote) m);
    } else if (m instanceof MarketData) {
      onOtherMarketData((MarketData) m);
    } else if (m instanceof OrderEvent) {
      onBrokerOrderEvent((OrderEvent) m);
    } else if (m instanceof Runnable) {
      ((Runnable) m).run();
    } else if (m instanceof PositionsReport) {
      onPositionsReport((PositionsReport) m);
      if (monitor != null) {
        monitor.onBrokerReport(m); // the breaker resumes a flatten held back by a mismatch
      }
    } else if (m instanceof OpenOrdersReport) {
      onOpenOrdersReport((OpenOrdersReport) m);
    } else if (m instanceof AccountState) {
      brokerAccount = (AccountState) m;
      if (monitor != null) {
        monitor.onBrokerReport(m);
      }
    } else if (m instanceof BrokerStatus) {
      onBrokerStatus((BrokerStatus) m);
      if (monitor != null) {
        monitor.onBrokerReport(m);
      }
    } else if (m instanceof FeedStatus) {
      onFeedStatusOnEngine((FeedStatus) m);
    } else {
      log.warn("engine ignored a message of unknown type type={}", m.getClass().getName());
    }
  }

  /** Handles everything the engine posted to itself. */
  public void drainLocal() {
    Object m;
    while ((m = inbox.pollLocal()) != null) {
      dispatch(m);
    }
  }

  /** Fires the timers due at or before {@code now}, each with the clock at its due time if simulated. */
  public void runTimers(Instant now) {
    TimerQueue.Task t;
    while ((t = timers.pollDue(now)) != null) {
      runTask(t);
      timers.reschedule(t);
      drainLocal();
    }
  }

  /** Due time of the next timer, or null. */
  public Instant nextTimerDue() {
    Instant t = timers.nextDue();
    if (venue != null) {
      Instant v = venue.nextWakeup();
      if (v != null && (t == null || v.isBefore(t))) {
        return v;
      }
    }
    return t;
  }

  /** Lets the simulated venue do its timed work. */
  public void venueTime(Instant now) {
    if (venue != null) {
      venue.onTime(now);
    }
  }

  private void runTask(TimerQueue.Task t) {
    if (t.owner() >= 0) {
      Slot s = slots[t.owner()];
      if (!s.failed && !stopping) {
        s.call("timer", t.action());
      }
    } else {
      t.action().run();
    }
  }

  /** Schedules a system timer (not owned by a strategy). */
  public Timer scheduleSystem(Instant due, Duration period, Runnable action) {
    return timers.schedule(due, period, action, -1);
  }

  // ---------------------------------------------------------------- market data

  /** Replay path: market data straight from the source, no inbox. */
  public void onMarketDataDirect(MarketData d) {
    counters.events++;
    if (d instanceof Quote) {
      onQuote((Quote) d);
    } else {
      onOtherMarketData(d);
    }
  }

  private InstrumentId lastId;
  private InstrumentState lastState;

  /** The state of {@code id}, or null; a one-entry cache skips the hash lookup for repeats. */
  private InstrumentState state(InstrumentId id) {
    if (id == lastId) {
      return lastState;
    }
    InstrumentState s = instruments.get(id);
    if (s != null) {
      lastId = id;
      lastState = s;
    }
    return s;
  }

  private void onQuote(Quote q) {
    InstrumentState s = state(q.instrument());
    if (s == null) {
      counters.unknownInstrumentData++;
      return;
    }
    counters.marketData++;
    observer.onMarketData(q.instrument(), q.time());
    s.lastQuote = q;
    double mid = q.mid();
    if (mid > 0) {
      portfolio.mark(s.book, mid);
    }
    if (!afterMark(s, q)) {
      return;
    }
    for (Slot slot : slots) {
      if (!slot.failed) {
        try {
          slot.strategy.onQuote(slot.ctx, q);
        } catch (RuntimeException | Error e) {
          strategyFailed(slot, "onQuote", e);
        }
      }
    }
  }

  /**
   * What every market event does once the book is marked, before the strategies see it: the
   * simulated venue matches against it, the breaker checks the new mark, and the fills either
   * made are booked first (they happened before anyone could act on the event); then the event
   * is recorded. Returns false once the strategies have stopped: late data only marks the book.
   */
  private boolean afterMark(InstrumentState s, MarketData d) {
    if (venue != null) {
      venue.onMarketData(d);
      if (inbox.hasLocal()) {
        drainLocal();
      }
    }
    if (monitor != null && s.book.quantity != 0) {
      monitor.afterMark();
      if (inbox.hasLocal()) {
        drainLocal(); // a trip's flatten fills
      }
    }
    if (recordMarketData) {
      store.recordMarketData(d);
    }
    return !stopping;
  }

  private void onOtherMarketData(MarketData d) {
    InstrumentState s = state(d.instrument());
    if (s == null) {
      counters.unknownInstrumentData++;
      return;
    }
    counters.marketData++;
    observer.onMarketData(d.instrument(), d.time());
    if (d instanceof Trade) {
      Trade t = (Trade) d;
      if (s.lastQuote == null) {
        portfolio.mark(s.book, t.price());
      }
    } else if (d instanceof Bar) {
      if (s.lastQuote == null) {
        portfolio.mark(s.book, ((Bar) d).close());
      }
    }
    if (!afterMark(s, d)) {
      return;
    }
    for (Slot slot : slots) {
      if (!slot.failed) {
        try {
          if (d instanceof Trade) {
            slot.strategy.onTrade(slot.ctx, (Trade) d);
          } else if (d instanceof Bar) {
            slot.strategy.onBar(slot.ctx, (Bar) d);
          }
        } catch (RuntimeException | Error e) {
          strategyFailed(slot, d instanceof Trade ? "onTrade" : "onBar", e);
        }
      }
    }
  }

  private void onFeedStatusOnEngine(FeedStatus st) {
    observer.onFeedStatus(st);
    FeedState before = feedStates.put(st.feed(), st.state());
    if (before == st.state()) {
      return;
    }
    if (st.state() == FeedState.CONNECTED) {
      log.info("feed status feed={} state={} detail={}", st.feed(), st.state(), st.detail());
    } else if (st.state() == FeedState.STOPPED) {
      log.info("feed status feed={} state={} detail={}", st.feed(), st.state(), st.detail());
    } else {
      log.warn("feed status feed={} state={} instrument={} detail={}", st.feed(), st.state(), st.instrument(), st.detail());
    }
  }

  private void onBrokerStatus(BrokerStatus st) {
    observer.onBrokerStatus(st);
    ConnectionState before = brokerConnection;
    brokerConnection = st.state();
    if (before == st.state()) {
      return;
    }
    if (st.state() == ConnectionState.CONNECTED) {
      log.info("broker status broker={} state={} detail={}", st.broker(), st.state(), st.detail());
      boolean reconnect = brokerWasConnected;
      brokerWasConnected = true;
      if (reconnect) { // DISCONNECTED / CONNECTING / DEGRADED -> CONNECTED after an earlier CONNECTED
        requestReconciliation("reconnect");
        broker.requestAccount();
      }
    } else {
      log.warn("broker status broker={} state={} detail={}", st.broker(), st.state(), st.detail());
    }
  }

  // ---------------------------------------------------------------- orders out

  ClientOrderId nextId() {
    return new ClientOrderId(idPrefix + "-" + nextSequence++);
  }

  /**
   * Submits a system order (owner -1) that bypasses the risk rules but not the sanity checks
   * (lot size, tick grid) nor, while not ACTIVE, the reducing-only check: the circuit
   * breaker's flatten orders.
   */
  public ClientOrderId submitSystemOrder(OrderRequest request) {
    systemOrder = true;
    try {
      return submitOrder(request, -1);
    } finally {
      systemOrder = false;
    }
  }

  /** Submits an order on behalf of strategy {@code owner} (-1: the system). */
  public ClientOrderId submitOrder(OrderRequest request, int owner) {
    if (!started) {
      throw new IllegalStateException("orders can be submitted once the system has started (from onStart on)");
    }
    ClientOrderId id = nextId();
    Instant now = clock.now();
    InstrumentState s = state(request.instrument());
    RiskDecision d = s == null
        ? RiskDecision.deny("UNKNOWN_INSTRUMENT", "instrument=" + request.instrument())
        : check(request, s);
    if (d.denied()) {
      WorkingOrder wo = new WorkingOrder(id, request, owner, OrderStatus.DENIED, now);
      OrderDenied ev = new OrderDenied(id, request, d.code(), d.details(), now);
      wo.reason = ev.reason();
      orders.put(id, wo);
      counters.ordersDenied++;
      log.warn("order denied clientOrderId={} order=[{}] code={} {}", id, request.describe(), d.code(), d.details());
      Order snap = recordOrderEvent(wo, ev);
      store.recordRiskEvent(new RiskEvent("DENIAL", d.code(), "clientOrderId=" + id + " " + d.details(), now));
      notifyLater(wo, snap, ev);
      observer.onOrderDenied(ev);
      return id;
    }
    WorkingOrder wo = new WorkingOrder(id, request, owner, OrderStatus.PENDING_SUBMIT, now);
    orders.put(id, wo);
    s.working.add(wo);
    counters.ordersSubmitted++;
    if (snapshotWanted(wo)) {
      OrderSubmitted ev = new OrderSubmitted(id, request, now);
      Order snap = recordOrderEvent(wo, ev);
      notifyLater(wo, snap, ev);
    }
    observer.onOrderSubmitted(request);
    try {
      broker.submit(id, request);
    } catch (RuntimeException e) {
      // the adapter could not even queue it: handled as a rejection (stored, alerted, shown to the strategy)
      log.error("order send failed clientOrderId={} order=[{}]", id, request.describe(), e);
      inbox.post(new OrderRejected(id, "SEND_FAILED", String.valueOf(e), now));
      return id;
    }
    if (log.isInfoEnabled()) {
      // after the hand-off to the broker: formatting and appending the line (~10 us) is then off
      // the tick-to-order path (docs/performance.md)
      log.info("order submitted clientOrderId={} order=[{}] owner={}", id, request.describe(), ownerName(owner));
    }
    return id;
  }

  private RiskDecision check(OrderRequest r, InstrumentState s) {
    Instrument inst = s.instrument;
    if (!inst.isWholeLots(r.quantity())) {
      return RiskDecision.deny("INVALID_QUANTITY", "instrument=" + inst.id() + " quantity=" + r.quantity()
          + " lotSize=" + inst.lotSize());
    }
    if (r.type().needsLimitPrice() && !inst.isOnTick(r.limitPrice())) {
      return RiskDecision.deny("INVALID_PRICE", "instrument=" + inst.id() + " limitPrice=" + r.limitPrice()
          + " tickSize=" + inst.tickSize());
    }
    if (r.type().needsStopPrice() && !inst.isOnTick(r.stopPrice())) {
      return RiskDecision.deny("INVALID_PRICE", "instrument=" + inst.id() + " stopPrice=" + r.stopPrice()
          + " tickSize=" + inst.tickSize());
    }
    if (brokerDown()) {
      // not sent: a broker that cannot take orders would only reject them, and a run of rejects
      // would trip the breaker at every nightly restart; a denial is ours and counts for nothing
      return RiskDecision.deny("BROKER_NOT_CONNECTED", "state=" + brokerConnection + " broker=" + broker.name()
          + " instrument=" + inst.id());
    }
    if (tradingState != TradingState.ACTIVE && !isReducing(r, s)) {
      return RiskDecision.deny("TRADING_HALTED", "state=" + tradingState + " reason=" + tradingStateReason
          + " instrument=" + inst.id() + " only reducing orders are accepted");
    }
    if (systemOrder) {
      return RiskDecision.APPROVED;
    }
    for (RiskRule rule : rules) {
      RiskDecision d;
      try {
        d = rule.check(r, riskContext);
      } catch (RuntimeException e) {
        log.error("risk rule threw; order denied rule={} order=[{}]", rule.name(), r.describe(), e);
        return RiskDecision.deny("RISK_RULE_ERROR", "rule=" + rule.name() + " error=" + e);
      }
      if (d == null) {
        return RiskDecision.deny("RISK_RULE_ERROR", "rule=" + rule.name() + " returned null");
      }
      if (d.denied()) {
        return d;
      }
    }
    return RiskDecision.APPROVED;
  }

  /**
   * Whether the order only brings the position toward zero, counting working orders that
   * reduce in the same direction.
   */
  boolean isReducing(OrderRequest r, InstrumentState s) {
    double pos = s.book.quantity;
    if (pos == 0 || Math.signum(pos) == r.side().sign()) {
      return false;
    }
    double alreadyReducing = s.workingQuantity(r.side().sign());
    return r.quantity() + alreadyReducing <= Math.abs(pos) + 1e-9;
  }

  /** Requests cancellation unless already requested or no longer working. */
  public void cancelOrder(WorkingOrder wo, String why) {
    if (!wo.status.isWorking() || wo.cancelRequested) {
      return;
    }
    wo.cancelRequested = true;
    log.info("order cancel requested clientOrderId={} reason={}", wo.id, why);
    broker.cancel(wo.id);
  }

  /** Cancels every working order of every instrument. Returns how many were asked. */
  public int cancelAllWorking(String why) {
    int n = 0;
    for (InstrumentState s : instruments.values()) {
      for (int i = 0; i < s.working.size(); i++) {
        WorkingOrder wo = s.working.get(i);
        if (wo.status.isWorking() && !wo.cancelRequested) {
          cancelOrder(wo, why);
          n++;
        }
      }
    }
    return n;
  }

  /**
   * The order planner: sends the market order that closes the gap between the position and
   * {@code target}, counting working orders. Working orders in the opposite direction are
   * cancelled. Working orders in the right direction count toward the target even while a
   * cancel is pending (they may still fill), so a repeated target never doubles up; if they
   * overshoot, they are cancelled and the next call corrects once the cancels are confirmed.
   */
  public void targetPosition(InstrumentId id, double target, int owner) {
    InstrumentState s = state(id);
    if (s == null) {
      throw new IllegalArgumentException("targetPosition: instrument " + id + " is not registered with this system");
    }
    if (!Double.isFinite(target)) {
      throw new IllegalArgumentException("targetPosition: quantity must be finite, was " + target);
    }
    double lot = s.instrument.lotSize();
    target = s.instrument.roundQuantityDown(target);
    double gap = target - s.book.quantity;
    double sameDirection = 0;
    ArrayList<WorkingOrder> w = s.working;
    for (int i = 0; i < w.size(); i++) {
      WorkingOrder wo = w.get(i);
      double rem = wo.remaining();
      if (rem <= 0) {
        continue;
      }
      int sign = wo.request.side().sign();
      if (Math.abs(gap) < lot * 0.5 || sign != Math.signum(gap)) {
        cancelOrder(wo, "target " + fmt(target) + " no longer needs it");
      } else {
        sameDirection += sign * rem;
      }
    }
    if (Math.abs(gap) < lot * 0.5) {
      return;
    }
    double needed = gap - sameDirection;
    if (Math.abs(needed) < lot * 0.5) {
      return;
    }
    if (Math.signum(needed) != Math.signum(gap)) {
      for (int i = 0; i < w.size(); i++) {
        WorkingOrder wo = w.get(i);
        if (wo.remaining() > 0 && wo.request.side().sign() == Math.signum(gap)) {
          cancelOrder(wo, "working orders overshoot target " + fmt(target));
        }
      }
      return;
    }
    double qty = s.instrument.roundQuantityDown(Math.abs(needed));
    if (qty <= 0) {
      return;
    }
    if (tradingState != TradingState.ACTIVE && owner >= 0) {
      double pos = s.book.quantity;
      boolean reducing = pos != 0 && Math.signum(needed) != Math.signum(pos) && qty <= Math.abs(pos) + 1e-9;
      if (!reducing) {
        // a strategy re-asserting its target on every tick while halted must not flood the
        // log and the store with denials: skip quietly, count it
        counters.targetsSkippedWhileHalted++;
        log.debug("target skipped while {} strategy={} instrument={} target={}", tradingState, ownerName(owner), id, target);
        return;
      }
    }
    if (owner >= 0 && target == s.deniedTarget && clock.now().isBefore(s.deniedRetryAt)) {
      // the same target was just vetoed: a strategy re-asserting it on every quote would make a
      // denial (log line, store row) per quote; ask again once a second instead
      counters.targetsSkippedAfterDenial++;
      return;
    }
    OrderRequest req = OrderRequest.market(id, Side.of(needed), qty).withTag(ownerName(owner));
    ClientOrderId cid = submitOrder(req, owner);
    WorkingOrder placed = orders.get(cid);
    if (placed != null && placed.status == OrderStatus.DENIED) {
      s.deniedTarget = target;
      s.deniedRetryAt = clock.now().plus(DENIED_TARGET_RETRY);
    } else {
      s.deniedTarget = Double.NaN;
    }
  }

  /** How long the planner waits before sending a vetoed target again. */
  static final Duration DENIED_TARGET_RETRY = Duration.ofSeconds(1);

  // ---------------------------------------------------------------- orders in

  private void onBrokerOrderEvent(OrderEvent e) {
    if (e instanceof OrderFilled) {
      onFill((OrderFilled) e);
      if (monitor != null) {
        monitor.afterFill(((OrderFilled) e).fill());
      }
      return;
    }
    WorkingOrder wo = e.clientOrderId() == null ? null : orders.get(e.clientOrderId());
    if (wo == null) {
      counters.unknownOrderEvents++;
      log.warn("order event for an unknown order ignored clientOrderId={} event={}", e.clientOrderId(),
          e.getClass().getSimpleName());
      return;
    }
    OrderStatus next;
    if (e instanceof OrderAccepted) {
      OrderAccepted a = (OrderAccepted) e;
      wo.brokerOrderId = a.brokerOrderId();
      if (wo.status != OrderStatus.PENDING_SUBMIT) {
        counters.ignoredTransitions++;
        log.debug("late or repeated acknowledgement ignored clientOrderId={} status={}", wo.id, wo.status);
        return;
      }
      next = OrderStatus.ACCEPTED;
    } else if (e instanceof OrderRejected) {
      OrderRejected r = (OrderRejected) e;
      next = OrderStatus.REJECTED;
      wo.reason = r.code() + ": " + r.reason();
    } else if (e instanceof OrderCancelled) {
      next = OrderStatus.CANCELLED;
      wo.reason = ((OrderCancelled) e).reason();
    } else if (e instanceof OrderExpired) {
      next = OrderStatus.EXPIRED;
      wo.reason = "expired";
    } else if (e instanceof OrderCancelRejected) {
      wo.cancelRequested = false;
      log.warn("cancel rejected clientOrderId={} status={} reason={}", wo.id, wo.status,
          ((OrderCancelRejected) e).reason());
      Order snap = recordOrderEvent(wo, e);
      notifyNow(wo, snap, e, null);
      return;
    } else {
      log.warn("engine-side order event from the broker ignored event={}", e);
      return;
    }
    if (!wo.status.canTransitionTo(next)) {
      counters.ignoredTransitions++;
      log.warn("order event ignored: illegal transition clientOrderId={} from={} to={}", wo.id, wo.status, next);
      return;
    }
    transition(wo, next, e);
    if (next == OrderStatus.REJECTED) {
      counters.ordersRejected++;
      log.warn("order rejected by broker clientOrderId={} order=[{}] reason={}", wo.id, wo.request.describe(), wo.reason);
      boolean notSent = wo.reason.startsWith("SEND_FAILED") || wo.reason.startsWith("NOT_CONNECTED");
      alert(Severity.WARNING, notSent ? "Order send failed" : "Order rejected", wo.request.describe() + " " + wo.reason,
          "order-rejected:" + wo.request.instrument());
    } else {
      log.info("order {} clientOrderId={} filled={} reason={}", next, wo.id, fmt(wo.filled), wo.reason);
    }
    if (monitor != null) {
      monitor.afterOrderEvent(wo, e);
    }
  }

  private void transition(WorkingOrder wo, OrderStatus next, OrderEvent e) {
    wo.status = next;
    wo.updatedAt = e.time();
    if (next.isTerminal()) {
      InstrumentState s = state(wo.request.instrument());
      if (s != null) {
        s.working.remove(wo);
      }
    }
    if (snapshotWanted(wo)) {
      Order snap = recordOrderEvent(wo, e);
      notifyNow(wo, snap, e, null);
    }
  }

  private void onFill(OrderFilled e) {
    Fill f = e.fill();
    if (previousDayExecutionIds.contains(f.executionId()) || !executionIds.add(f.executionId())) {
      counters.duplicateFills++;
      log.debug("duplicate execution ignored executionId={}", f.executionId());
      return;
    }
    InstrumentState s = state(f.instrument());
    if (s == null) {
      counters.unknownOrderEvents++;
      log.error("fill for an instrument this system does not know; not booked executionId={} instrument={}",
          f.executionId(), f.instrument());
      alert(Severity.CRITICAL, "Fill for unknown instrument",
          "executionId=" + f.executionId() + " instrument=" + f.instrument(), "unknown-instrument-fill");
      return;
    }
    double realized = portfolio.apply(f);
    counters.fills++;
    store.recordFill(f, realized, portfolio.day());
    WorkingOrder wo = f.clientOrderId() == null ? null : orders.get(f.clientOrderId());
    if (wo == null) {
      counters.fillsForUnknownOrders++;
      log.warn("fill for an order this system did not place; booked to the portfolio executionId={} clientOrderId={} side={} qty={} price={}",
          f.executionId(), f.clientOrderId(), f.side(), fmt(f.quantity()), f.price());
      return;
    }
    if (wo.historyFilled > 0 && !f.time().isAfter(wo.historyAt) && f.quantity() <= wo.historyFilled + 1e-9) {
      // a replayed execution the broker had already counted in the filled quantity we adopted
      wo.historyFilled = Math.max(0, wo.historyFilled - f.quantity());
      counters.adoptedHistoryFills++;
      log.info("execution from before the order was adopted booked to the portfolio; the order's filled quantity "
          + "already had it clientOrderId={} executionId={} qty={} price={} filled={}", wo.id, f.executionId(),
          fmt(f.quantity()), f.price(), fmt(wo.filled));
      return;
    }
    double qty = wo.request.quantity();
    double add = f.quantity();
    if (wo.filled + add > qty * (1 + 1e-9)) {
      log.error("overfill: fills exceed order quantity; position booked as filled clientOrderId={} orderQty={} filledBefore={} fillQty={}",
          wo.id, fmt(qty), fmt(wo.filled), fmt(add));
      add = Math.max(0, qty - wo.filled);
    }
    wo.filled += add;
    wo.notionalFilled += add * f.price();
    wo.updatedAt = f.time();
    if (log.isInfoEnabled()) {
      log.info("order filled clientOrderId={} executionId={} side={} qty={} price={} commission={} filled={}/{} realizedPnl={}",
          wo.id, f.executionId(), f.side(), fmt(f.quantity()), f.price(), f.commission(), fmt(wo.filled), fmt(qty), fmt(realized));
    }
    if (wo.status.isTerminal()) {
      counters.lateFills++;
      log.warn("fill after the order ended; booked, status kept clientOrderId={} status={} executionId={}",
          wo.id, wo.status, f.executionId());
      Order snap = recordOrderEvent(wo, e);
      notifyNow(wo, snap, e, f);
      return;
    }
    OrderStatus next = wo.filled >= qty - 1e-9 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
    wo.status = next;
    if (next.isTerminal()) {
      s.working.remove(wo);
    }
    if (snapshotWanted(wo)) {
      Order snap = recordOrderEvent(wo, e);
      notifyNow(wo, snap, e, f);
    }
  }

  private void notifyLater(WorkingOrder wo, Order snap, OrderEvent e) {
    if (wo.owner >= 0 && slots[wo.owner].wantsOrderUpdates) {
      inbox.post((Runnable) () -> notifyNow(wo, snap, e, null));
    }
  }

  /** {@code snap} null: the owner overrides neither callback (see {@link #recordOrderEvent}). */
  private void notifyNow(WorkingOrder wo, Order snap, OrderEvent e, Fill fill) {
    if (wo.owner < 0 || snap == null) {
      return;
    }
    Slot slot = slots[wo.owner];
    if (slot.failed) {
      return;
    }
    try {
      slot.strategy.onOrderUpdate(slot.ctx, snap, e);
      if (fill != null) {
        slot.strategy.onFill(slot.ctx, fill);
      }
    } catch (RuntimeException | Error ex) {
      strategyFailed(slot, fill != null ? "onFill" : "onOrderUpdate", ex);
    }
  }

  // ---------------------------------------------------------------- reports, reconciliation

  /** One instrument's position disagreement, waiting for confirmation or already acted on. */
  private static final class Mismatch {
    final double diff;
    final Instant since;
    boolean actedOn;

    Mismatch(double diff, Instant since) {
      this.diff = diff;
      this.since = since;
    }
  }

  private final Map<InstrumentId, Mismatch> mismatches = new HashMap<>();
  /** Instruments not traded here that the broker holds a position in: logged once per run. */
  private final Set<InstrumentId> outsidePositions = new HashSet<>();
  /** Foreign open orders reported at the latest report, by key: each is alerted once while it stays. */
  private Set<String> foreignOrders = new HashSet<>();
  /** When open orders were last requested: an order created after it may be missing from the answer. */
  private Instant openOrdersRequestedAt;
  private Timer confirmTimer;
  /** The next positions / open-orders report is logged at INFO even when clean (start, reconnect). */
  private boolean positionsLoud = true;
  private boolean ordersLoud = true;

  /** Asks the broker for positions and open orders (start, reconnect, timer). */
  private void requestReconciliation(String why) {
    log.debug("reconciliation requested why={}", why);
    if (!"timer".equals(why)) {
      positionsLoud = true;
      ordersLoud = true;
    }
    openOrdersRequestedAt = clock.now();
    broker.requestPositions();
    broker.requestOpenOrders();
  }

  /**
   * Whether the broker said it cannot answer now (DISCONNECTED, DEGRADED, CLOSED): reconciliation
   * waits for the reconnect, which asks at once. Before a broker's first status it is asked.
   */
  private boolean brokerUnavailable() {
    return brokerDown() || brokerConnection == ConnectionState.CLOSED;
  }

  /** The reconciliation timer: not while the broker is down, nor once the engine is stopping. */
  private void reconcileOnTimer() {
    if (stopping || brokerUnavailable()) {
      log.debug("reconciliation timer skipped brokerState={} stopping={}", brokerConnection, stopping);
      return;
    }
    try {
      requestReconciliation("timer");
    } catch (RuntimeException e) {
      log.warn("reconciliation request failed broker={}", broker.name(), e);
    }
  }

  /**
   * Whether our position in {@code id} differs from the broker's last report and the difference
   * is not settled yet (seen and being confirmed, or confirmed under HALT). The circuit breaker
   * does not flatten such a position: it may exist only here (restored from a database written
   * for another broker or account, say), and a flatten order would open a real one at the broker.
   */
  public boolean positionInDoubt(InstrumentId id) {
    return mismatches.containsKey(id);
  }

  /** Asks for positions again at {@code due} to confirm or clear a mismatch seen once. */
  private void scheduleConfirmation(Instant due) {
    if (confirmTimer != null && !confirmTimer.isCancelled()) {
      return;
    }
    confirmTimer = timers.schedule(due, null, () -> {
      confirmTimer = null;
      if (stopping || brokerUnavailable() || mismatches.isEmpty()) {
        return;
      }
      try {
        broker.requestPositions();
      } catch (RuntimeException e) {
        log.warn("reconciliation request failed broker={}", broker.name(), e);
      }
    }, -1);
  }

  /**
   * Compares the broker's positions with the book, instrument by instrument.
   *
   * <p>Ordering: reports go through the same FIFO inbox as fills, so every fill the broker
   * delivered before this report is booked before the comparison. A fill still in flight (sent
   * after the report was made, a replayed execution after a reconnect, or one the adapter holds
   * back waiting for its commission) shows as a mismatch that the next report no longer has.
   *
   * <p>So a difference is acted on only when confirmed: seen with the same size (broker minus
   * ours) in reports at least {@code reconciliationConfirmDelay} apart with no agreeing report
   * in between. The first sighting is logged at WARN ("position mismatch seen, confirming") and
   * positions are asked for again after the delay; a difference that changes starts over; one that
   * disappears is logged at INFO ("position mismatch resolved"). This holds with or without
   * working orders, because executions missed while disconnected are replayed after the reconnect
   * with no order working. A confirmed difference is logged at WARN ("position mismatch with
   * broker"), both books are stored, a {@code RECONCILIATION / POSITION_MISMATCH} risk event is
   * stored and a WARNING "Position mismatch" alert is sent; then ADOPT_BROKER takes the broker's
   * quantity and average price for that instrument, and HALT halts trading (the same difference is
   * not alerted again while it lasts). Positions in instruments this system does not trade (other
   * holdings of the account) are not reconciled: each is logged once at WARN.
   */
  private void onPositionsReport(PositionsReport r) {
    Map<InstrumentId, Double> broker = new HashMap<>();
    Map<InstrumentId, Position> brokerPositions = new HashMap<>();
    for (Position p : r.positions()) {
      broker.merge(p.instrument(), p.quantity(), Double::sum);
      brokerPositions.put(p.instrument(), p);
    }
    Instant now = clock.now();
    for (Map.Entry<InstrumentId, Double> e : broker.entrySet()) {
      if (!instruments.containsKey(e.getKey()) && Math.abs(e.getValue()) > 1e-9 && outsidePositions.add(e.getKey())) {
        log.warn("broker holds a position in an instrument this system does not trade; not reconciled instrument={}"
            + " qty={}", e.getKey(), fmt(e.getValue()));
      }
    }
    List<InstrumentId> all = new ArrayList<>(instruments.keySet());
    all.sort(null);
    List<String> confirmed = new ArrayList<>();
    List<InstrumentId> confirmedIds = new ArrayList<>();
    Instant confirmAt = null;
    boolean persisting = false;
    for (InstrumentId id : all) {
      double theirs = broker.getOrDefault(id, 0.0);
      double ours = portfolio.position(id);
      double diff = theirs - ours;
      Mismatch m = mismatches.get(id);
      String fact = "instrument=" + id + " broker=" + fmt(theirs) + " ours=" + fmt(ours);
      if (Math.abs(diff) <= 1e-9) {
        if (m != null) {
          mismatches.remove(id);
          log.info("position mismatch resolved {} wasDiff={}", fact, fmt(m.diff));
        }
        continue;
      }
      boolean fresh = m == null || Math.abs(m.diff - diff) > 1e-9;
      if (fresh) {
        m = new Mismatch(diff, now);
        mismatches.put(id, m);
        counters.reconciliationMismatchesUnconfirmed++;
        log.warn("position mismatch seen, confirming {} diff={} confirmAfter={}", fact, fmt(diff),
            reconciliationConfirmDelay);
      }
      if (m.actedOn) {
        persisting = true;
        continue;
      }
      Instant due = m.since.plus(reconciliationConfirmDelay);
      if (fresh || now.isBefore(due)) {
        confirmAt = confirmAt == null || due.isBefore(confirmAt) ? due : confirmAt;
        continue;
      }
      m.actedOn = true;
      confirmed.add(fact);
      confirmedIds.add(id);
    }
    if (confirmAt != null) {
      scheduleConfirmation(confirmAt);
    }
    if (confirmed.isEmpty()) {
      if (mismatches.isEmpty()) {
        if (positionsLoud) {
          log.info("reconciliation ok positions={}", r.positions().size());
        } else {
          log.debug("reconciliation ok positions={}", r.positions().size());
        }
        positionsLoud = false;
      } else if (persisting && confirmAt == null) {
        log.debug("position mismatch persists, already acted on policy={} instruments={}", reconciliationPolicy,
            mismatches.keySet());
      }
      return;
    }
    positionsLoud = true;
    counters.reconciliationMismatches++;
    String details = String.join("; ", confirmed);
    log.warn("position mismatch with broker policy={} {}", reconciliationPolicy, details);
    store.recordPositions(r.positions(), "broker", now);
    store.recordPositions(portfolio.positions(), "engine", now);
    store.recordRiskEvent(new RiskEvent("RECONCILIATION", "POSITION_MISMATCH", details, now));
    StringBuilder key = new StringBuilder("reconciliation-position");
    for (InstrumentId id : confirmedIds) {
      key.append(':').append(id);
    }
    alert(Severity.WARNING, "Position mismatch", details + " policy=" + reconciliationPolicy, key.toString());
    if (reconciliationPolicy == ReconciliationPolicy.ADOPT_BROKER) {
      for (InstrumentId id : confirmedIds) {
        Position p = brokerPositions.get(id);
        double qty = broker.getOrDefault(id, 0.0);
        portfolio.setPosition(id, qty, qty == 0 || p == null ? 0 : p.averagePrice());
        mismatches.remove(id);
        log.info("position adopted from broker instrument={} qty={}", id, fmt(qty));
      }
    } else {
      setTradingState(TradingState.HALTED, "POSITION_MISMATCH: " + details);
    }
  }

  /**
   * Compares the broker's open orders with the orders working here.
   *
   * <ul>
   *   <li>An order the broker lists with one of our client order ids (the IB adapter carries it in
   *       {@code orderRef}) that this run does not know is adopted with its history: status,
   *       filled quantity, average price, broker id ({@link #adopt}).
   *   <li>An order without such an id (placed by hand or by another program) is foreign: logged
   *       at WARN, stored as {@code RECONCILIATION / UNKNOWN_ORDER}, alerted ("Unknown order at
   *       broker") once while it stays open; HALT halts trading, ADOPT_BROKER only reports it
   *       (it is not ours to cancel or count).
   *   <li>An order working here that the report does not list is missing. Race-safe: only a
   *       report of open orders requested after the order was created counts, and only the second
   *       such report in a row acts (the first logs "order working here is not open at the broker"
   *       at WARN). Then it is stored as {@code RECONCILIATION / ORDER_MISSING} and alerted ("Order
   *       not open at broker"); ADOPT_BROKER closes it here as {@link OrderCancelled} with reason
   *       {@value #NOT_OPEN_AT_BROKER} (its remaining quantity no longer counts as working, the
   *       strategy that placed it sees the update; a fill the broker reports later is still
   *       booked), HALT halts trading and leaves the order as it is.
   * </ul>
   */
  private void onOpenOrdersReport(OpenOrdersReport r) {
    Instant now = clock.now();
    Set<ClientOrderId> seen = new HashSet<>();
    Set<String> foreign = new HashSet<>();
    int adopted = 0;
    for (Order o : r.orders()) {
      ClientOrderId cid = o.clientOrderId();
      if (cid != null && OUR_ID.matcher(cid.value()).matches()) {
        seen.add(cid);
        WorkingOrder known = orders.get(cid);
        if (known == null) {
          if (adopt(o, "reported open by broker", r.time())) {
            adopted++;
            continue;
          }
        } else {
          if (known.status.isTerminal()) {
            log.warn("order ended here is open at the broker clientOrderId={} status={} brokerStatus={}",
                cid, known.status, o.status());
          }
          continue;
        }
      }
      String key = o.brokerOrderId() != null ? "brokerOrderId=" + o.brokerOrderId()
          : "clientOrderId=" + cid;
      foreign.add(key);
      if (foreignOrders.contains(key)) {
        continue; // reported when first seen
      }
      foreignOrder(o, key, now);
    }
    foreignOrders = foreign;
    int missing = 0;
    Instant requestedAt = openOrdersRequestedAt;
    for (InstrumentState s : instruments.values()) {
      for (WorkingOrder wo : new ArrayList<>(s.working)) {
        if (seen.contains(wo.id)) {
          wo.missingReports = 0;
          continue;
        }
        if (requestedAt == null || !wo.createdAt.isBefore(requestedAt) || wo.missingActedOn) {
          continue; // may have been sent after the broker made this report
        }
        wo.missingReports++;
        missing++;
        if (wo.missingReports == 1) {
          log.warn("order working here is not open at the broker clientOrderId={} status={} filled={}; acting if the"
              + " next report agrees", wo.id, wo.status, fmt(wo.filled));
        } else {
          orderMissing(wo, now);
        }
      }
    }
    String summary = "open orders reconciled open=" + r.orders().size() + " adopted=" + adopted + " foreign="
        + foreign.size() + " missing=" + missing;
    if (ordersLoud || adopted > 0 || missing > 0) {
      log.info("{}", summary);
    } else {
      log.debug("{}", summary);
    }
    ordersLoud = false;
  }

  private void foreignOrder(Order o, String key, Instant now) {
    counters.unknownOrdersAtBroker++;
    String details = key + " order=[" + o.request().describe() + "] status=" + o.status() + " policy="
        + reconciliationPolicy;
    log.warn("broker reports an open order not placed by this system {}", details);
    store.recordRiskEvent(new RiskEvent("RECONCILIATION", "UNKNOWN_ORDER", details, now));
    alert(Severity.WARNING, "Unknown order at broker", details, "reconciliation-unknown-order:" + key);
    if (reconciliationPolicy == ReconciliationPolicy.HALT) {
      setTradingState(TradingState.HALTED, "UNKNOWN_ORDER: " + key);
    }
  }

  private void orderMissing(WorkingOrder wo, Instant now) {
    counters.ordersMissingAtBroker++;
    wo.missingActedOn = true;
    String details = "clientOrderId=" + wo.id + " brokerOrderId=" + wo.brokerOrderId + " order=["
        + wo.request.describe() + "] status=" + wo.status + " filled=" + fmt(wo.filled) + " absentReports="
        + wo.missingReports + " policy=" + reconciliationPolicy;
    log.warn("order not open at the broker {}", details);
    store.recordRiskEvent(new RiskEvent("RECONCILIATION", "ORDER_MISSING", details, now));
    alert(Severity.WARNING, "Order not open at broker", details, "reconciliation-order-missing:" + wo.id);
    if (reconciliationPolicy == ReconciliationPolicy.ADOPT_BROKER) {
      OrderCancelled ev = new OrderCancelled(wo.id, NOT_OPEN_AT_BROKER, now);
      wo.reason = NOT_OPEN_AT_BROKER;
      transition(wo, OrderStatus.CANCELLED, ev);
      log.info("order CANCELLED clientOrderId={} filled={} reason={}", wo.id, fmt(wo.filled), wo.reason);
      if (monitor != null) {
        monitor.afterOrderEvent(wo, ev);
      }
    } else {
      setTradingState(TradingState.HALTED, "ORDER_MISSING: clientOrderId=" + wo.id);
    }
  }

  // ---------------------------------------------------------------- trading state, failures

  public TradingState tradingState() {
    return tradingState;
  }

  public String tradingStateReason() {
    return tradingStateReason;
  }

  /** Changes the trading state and tells every strategy. */
  public void setTradingState(TradingState state, String reason) {
    if (state == tradingState && reason.equals(tradingStateReason)) {
      return;
    }
    TradingState before = tradingState;
    tradingState = state;
    tradingStateReason = state == TradingState.ACTIVE ? "" : reason;
    if (state == TradingState.ACTIVE) {
      log.info("trading state changed from={} to={} reason={}", before, state, reason);
    } else {
      log.warn("trading state changed from={} to={} reason={}", before, state, reason);
    }
    for (Slot s : slots) {
      if (!s.failed) {
        s.call("onTradingStateChanged", () -> s.strategy.onTradingStateChanged(s.ctx, state, reason));
      }
    }
  }

  private void strategyFailed(Slot slot, String callback, Throwable e) {
    slot.failed = true;
    counters.strategyErrors++;
    log.error("strategy threw; it receives no more callbacks and new orders are halted strategy={} callback={}",
        slot.strategy.name(), callback, e);
    alert(Severity.CRITICAL, "Strategy failed", "strategy=" + slot.strategy.name() + " callback=" + callback
        + " error=" + e, "strategy-failed:" + slot.strategy.name());
    setTradingState(TradingState.HALTED, "strategy " + slot.strategy.name() + " threw in " + callback + ": " + e);
    if (e instanceof VirtualMachineError) {
      throw (VirtualMachineError) e;
    }
  }

  /** Sends an alert; never throws. */
  public void alert(Severity severity, String title, String text, String key) {
    Alert a = new Alert(severity, title, text, clock.now(), key);
    try {
      alerter.send(a);
    } catch (RuntimeException e) {
      log.error("alerter threw; alert lost title={}", title, e);
    }
    store.recordAlert(a, 0);
  }

  // ---------------------------------------------------------------- day roll

  private void scheduleDayRoll(LocalDate day) {
    Instant end = calendar.endOf(day);
    timers.schedule(end, null, () -> rollDay(end), -1);
  }

  private void rollDay(Instant at) {
    LocalDate newDay = calendar.tradingDay(at);
    writeDailyPnl();
    Portfolio.DaySummary ended = portfolio.rollDay(newDay);
    if (ended != null) {
      log.info("trading day rolled from={} to={} dayPnl={} realized={} commissions={} fills={}", ended.day(), newDay,
          fmt(ended.endEquity() - ended.startEquity()), fmt(ended.realized()), fmt(ended.commissions()), ended.fills());
    }
    previousDayExecutionIds = executionIds;
    executionIds = new HashSet<>();
    // finished orders of past days live on in the store; the engine keeps only working ones
    orders.values().removeIf(wo -> wo.status.isTerminal());
    scheduleDayRoll(newDay);
    if (monitor != null) {
      monitor.onDayRoll(newDay);
    }
  }

  // ---------------------------------------------------------------- listener side (any thread)

  @Override
  public void onMarketData(MarketData data) {
    inbox.post(data);
  }

  @Override
  public void onFeedStatus(FeedStatus status) {
    inbox.post(status);
  }

  @Override
  public void onOrderEvent(OrderEvent event) {
    inbox.post(event);
  }

  @Override
  public void onPositions(PositionsReport report) {
    inbox.post(report);
  }

  @Override
  public void onOpenOrders(OpenOrdersReport report) {
    inbox.post(report);
  }

  @Override
  public void onAccount(AccountState account) {
    inbox.post(account);
  }

  @Override
  public void onStatus(BrokerStatus status) {
    inbox.post(status);
  }

  // ---------------------------------------------------------------- read side

  public Portfolio portfolio() {
    return portfolio;
  }

  public Counters counters() {
    return counters;
  }

  public Clock clock() {
    return clock;
  }

  public TradingCalendar calendar() {
    return calendar;
  }

  public AccountState brokerAccount() {
    return brokerAccount;
  }

  public ConnectionState brokerConnection() {
    return brokerConnection;
  }

  public List<Instrument> instrumentList() {
    List<Instrument> out = new ArrayList<>();
    for (InstrumentState s : instruments.values()) {
      out.add(s.instrument);
    }
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  /** Snapshots of working orders, oldest first. */
  public List<Order> workingOrders() {
    List<Order> out = new ArrayList<>();
    for (InstrumentState s : instruments.values()) {
      for (WorkingOrder wo : s.working) {
        out.add(wo.snapshot());
      }
    }
    out.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
    return out;
  }

  public Order order(ClientOrderId id) {
    WorkingOrder wo = orders.get(id);
    return wo == null ? null : wo.snapshot();
  }

  /** Every order this run knows, in id order. */
  public List<Order> allOrders() {
    List<Order> out = new ArrayList<>();
    for (WorkingOrder wo : orders.values()) {
      out.add(wo.snapshot());
    }
    out.sort((a, b) -> a.createdAt().compareTo(b.createdAt()) != 0 ? a.createdAt().compareTo(b.createdAt())
        : Long.compare(seqOf(a.clientOrderId()), seqOf(b.clientOrderId())));
    return out;
  }

  private static long seqOf(ClientOrderId id) {
    String v = id.value();
    int dash = v.lastIndexOf('-');
    try {
      return Long.parseLong(v.substring(dash + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public Quote lastQuote(InstrumentId id) {
    InstrumentState s = state(id);
    return s == null ? null : s.lastQuote;
  }

  public Instrument instrument(InstrumentId id) {
    InstrumentState s = state(id);
    if (s == null) {
      throw new IllegalArgumentException("instrument " + id + " is not registered with this system");
    }
    return s.instrument;
  }

  /** Per-instrument states, for the risk layer in this package. */
  Collection<InstrumentState> instrumentStates() {
    return instruments.values();
  }

  public boolean isStopping() {
    return stopping;
  }

  private String ownerName(int owner) {
    return owner < 0 ? "system" : slots[owner].strategy.name();
  }

  private static boolean overrides(Strategy s, String method, Class<?>... params) {
    try {
      return s.getClass().getMethod(method, params).getDeclaringClass() != Strategy.class;
    } catch (NoSuchMethodException | SecurityException e) {
      return true;
    }
  }

  /**
   * Records an order event with the order's state after it and returns the snapshot the owning
   * strategy will be shown, or null when its strategy overrides neither onOrderUpdate nor onFill:
   * then the store gets the working order itself as a view, valid during the call, and no
   * snapshot is built for the store alone.
   */
  private Order recordOrderEvent(WorkingOrder wo, OrderEvent e) {
    if (ownerWantsSnapshot(wo)) {
      Order snap = wo.snapshot();
      store.recordOrderEvent(e, snap);
      return snap;
    }
    store.recordOrderEvent(e, (OrderView) wo);
    return null;
  }

  /** Whether anyone will look at a snapshot of this order after an event. */
  private boolean snapshotWanted(WorkingOrder wo) {
    return storeEnabled || ownerWantsSnapshot(wo);
  }

  /** Whether the order's owning strategy overrides onOrderUpdate or onFill. */
  private boolean ownerWantsSnapshot(WorkingOrder wo) {
    return wo.owner >= 0 && (slots[wo.owner].wantsOrderUpdates || slots[wo.owner].wantsFills);
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  // ---------------------------------------------------------------- strategy slots

  private final class Slot {
    final int index;
    final Strategy strategy;
    final Context ctx;
    boolean failed;

    /** Whether the strategy overrides onOrderUpdate / onFill: if not, no snapshots are made for it. */
    final boolean wantsOrderUpdates;
    final boolean wantsFills;

    Slot(int index, Strategy strategy) {
      this.index = index;
      this.strategy = strategy;
      this.ctx = new Context(this);
      this.wantsOrderUpdates = overrides(strategy, "onOrderUpdate", StrategyContext.class, Order.class, OrderEvent.class);
      this.wantsFills = overrides(strategy, "onFill", StrategyContext.class, Fill.class);
    }

    void call(String callback, Runnable r) {
      try {
        r.run();
      } catch (RuntimeException | Error e) {
        strategyFailed(this, callback, e);
      }
    }
  }

  /** What the strategy and risk views both read. */
  private abstract class EngineReads {
    public Instant now() {
      return clock.now();
    }

    public Instrument instrument(InstrumentId id) {
      return Engine.this.instrument(id);
    }

    public Quote lastQuote(InstrumentId id) {
      return Engine.this.lastQuote(id);
    }

    public PortfolioView portfolio() {
      return portfolio;
    }
  }

  /** The context one strategy sees. */
  private final class Context extends EngineReads implements StrategyContext {
    private final Slot slot;

    Context(Slot slot) {
      this.slot = slot;
    }


    @Override
    public double position(InstrumentId id) {
      InstrumentState s = state(id);
      return s == null ? 0 : s.book.quantity;
    }


    @Override
    public TradingState tradingState() {
      return tradingState;
    }

    @Override
    public void targetPosition(InstrumentId id, double quantity) {
      Engine.this.targetPosition(id, quantity, slot.index);
    }

    @Override
    public ClientOrderId submit(OrderRequest request) {
      if (request == null) {
        throw new IllegalArgumentException("submit: request must not be null");
      }
      return submitOrder(request, slot.index);
    }

    @Override
    public void cancel(ClientOrderId id) {
      WorkingOrder wo = orders.get(id);
      if (wo != null) {
        cancelOrder(wo, "strategy " + slot.strategy.name());
      }
    }

    @Override
    public void cancelAll(InstrumentId id) {
      InstrumentState s = state(id);
      if (s != null) {
        for (WorkingOrder wo : new ArrayList<>(s.working)) {
          cancelOrder(wo, "strategy " + slot.strategy.name() + " cancelAll");
        }
      }
    }

    @Override
    public Order order(ClientOrderId id) {
      return Engine.this.order(id);
    }

    @Override
    public List<Order> openOrders(InstrumentId id) {
      InstrumentState s = state(id);
      List<Order> out = new ArrayList<>();
      if (s != null) {
        for (WorkingOrder wo : s.working) {
          out.add(wo.snapshot());
        }
      }
      return out;
    }

    @Override
    public Timer schedule(Instant time, Runnable action) {
      if (time == null || action == null) {
        throw new IllegalArgumentException("schedule: time and action must not be null");
      }
      return timers.schedule(time, null, action, slot.index);
    }

    @Override
    public Timer every(Duration period, Runnable action) {
      if (period == null || action == null) {
        throw new IllegalArgumentException("every: period and action must not be null");
      }
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("every: period must be > 0, was " + period);
      }
      return timers.schedule(clock.now().plus(period), period, action, slot.index);
    }
  }

  /** The read-only view risk rules get. */
  private final class EngineRiskContext extends EngineReads implements RiskContext {


    @Override
    public double workingBuyQuantity(InstrumentId id) {
      InstrumentState s = state(id);
      return s == null ? 0 : s.workingQuantity(1);
    }

    @Override
    public double workingSellQuantity(InstrumentId id) {
      InstrumentState s = state(id);
      return s == null ? 0 : s.workingQuantity(-1);
    }

    private List<InstrumentId> ids;

    @Override
    public List<InstrumentId> instrumentIds() {
      if (ids == null) {
        List<InstrumentId> out = new ArrayList<>(instruments.keySet());
        out.sort(null);
        ids = List.copyOf(out);
      }
      return ids;
    }

    @Override
    public double workingPriceBound(InstrumentId id, Side side) {
      InstrumentState s = state(id);
      double bound = Double.NaN;
      if (s != null) {
        for (int i = 0; i < s.working.size(); i++) {
          WorkingOrder wo = s.working.get(i);
          if (wo.request.side() == side && wo.remaining() > 0) {
            double p = wo.request.type().needsLimitPrice() ? wo.request.limitPrice() : wo.request.stopPrice();
            if (!Double.isNaN(p) && !(p <= bound)) {
              bound = p;
            }
          }
        }
      }
      return bound;
    }

    @Override
    public TradingState tradingState() {
      return tradingState;
    }

    @Override
    public AccountState brokerAccount() {
      return brokerAccount;
    }
  }
}
