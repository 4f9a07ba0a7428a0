package dev.algotrade.core;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Alerter;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.LiveTradingGuard;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.api.market.ReplayFeed;
import dev.algotrade.api.risk.RiskRule;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.store.Store;
import dev.algotrade.api.store.StoreHealth;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.alert.CompositeAlerter;
import dev.algotrade.core.alert.LogAlerter;
import dev.algotrade.core.config.Settings;
import dev.algotrade.core.internal.Breaker;
import dev.algotrade.core.internal.Engine;
import dev.algotrade.core.internal.Inbox;
import dev.algotrade.core.monitor.AbnormalExit;
import dev.algotrade.core.monitor.HealthMonitor;
import dev.algotrade.core.monitor.HealthMonitorConfig;
import dev.algotrade.core.monitor.Heartbeat;
import dev.algotrade.core.paper.PaperBroker;
import dev.algotrade.core.paper.SimulatedVenue;
import dev.algotrade.core.risk.CircuitBreaker;
import dev.algotrade.core.risk.MaxOrderRate;
import dev.algotrade.core.risk.RiskLimits;
import dev.algotrade.core.store.NoOpStore;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.core.time.SystemClock;
import dev.algotrade.core.time.TradingCalendar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete trading system: feed, broker, strategies, risk rules, store and alert channels
 * around one single-threaded engine. Assemble it with {@link #builder()}, then either
 *
 * <ul>
 *   <li>live: {@link #start()} (returns; the engine runs on its own thread), later
 *       {@link #stop()} / {@link #close()}; or {@link #run()} to block until it stops;
 *   <li>replay: {@link #run()} drives the engine from a {@link ReplayFeed} on the calling
 *       thread, as fast as possible, with a simulated clock, and returns a {@link RunSummary}.
 * </ul>
 *
 * The system owns what it was given: {@link #close()} stops the feed and closes the broker,
 * the store and the alert channels. {@code start}, {@code stop}, {@code close},
 * {@code status} and {@code awaitTermination} are thread-safe.
 */
public final class TradingSystem implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TradingSystem.class);

  /** Default reconciliation interval in live mode (a replay has no timer unless one is set). */
  public static final Duration DEFAULT_RECONCILIATION_INTERVAL = Duration.ofMinutes(5);
  /** Settings key of {@link Builder#reconciliationPolicy}: {@code adopt} or {@code halt}. */
  public static final String RECONCILIATION_POLICY = "RECONCILIATION_POLICY";
  /** Settings key of {@link Builder#reconciliationInterval}: {@code 5m}, {@code 30s}; {@code 0s} switches the timer off. */
  public static final String RECONCILIATION_INTERVAL = "RECONCILIATION_INTERVAL";
  /** Settings key of {@link Builder#reconciliationConfirmDelay}: {@code 10s}. */
  public static final String RECONCILIATION_CONFIRM_DELAY = "RECONCILIATION_CONFIRM_DELAY";

  /** Live (threads, real time) or replay (synchronous, simulated time, as fast as possible). */
  public enum Mode {
    LIVE,
    REPLAY
  }

  private final Mode mode;
  private final Clock clock;
  private final MarketDataFeed feed;
  private final Broker broker;
  private final Store store;
  private final Alerter alerter;
  private final List<Instrument> instruments;
  private final Path killSwitchFile;
  private final Duration stopTimeout;
  private final Engine engine;
  private final double startingEquity;
  private final Breaker breaker;
  private final LiveTradingGuard liveGuard;
  private final boolean flattenOnKillSwitch;
  private final CircuitBreaker breakerHandle = new BreakerHandle();
  private Instant killSwitchStopDeadline;
  private final HealthMonitorConfig monitorConfig;
  private HealthMonitor health;
  private Heartbeat heartbeat;
  private ExecutorService heartbeatIo;
  private volatile Thread exitHook;
  private volatile boolean stopDuringShutdown;

  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile boolean stopRequested;
  private volatile String stopReason = "stop requested";
  private volatile boolean running;
  private volatile Thread engineThread;
  private volatile RuntimeException failure;
  private volatile RunSummary lastSummary;
  private Instant firstEvent;
  private Instant lastEvent;
  private long wallStart;
  private long wallEnd;

  private TradingSystem(Builder b) {
    this.mode = b.mode;
    this.clock = b.clock;
    this.feed = b.feed;
    this.broker = b.broker;
    this.store = b.store;
    this.alerter = b.alerter;
    this.instruments = List.copyOf(b.instruments.values());
    this.killSwitchFile = b.killSwitchFile;
    this.stopTimeout = b.stopTimeout;
    this.startingEquity = b.startingCash;
    this.flattenOnKillSwitch = b.flattenOnKillSwitch;
    this.liveGuard = LiveTradingGuard.of(b.allowLiveTrading, b.environment);
    this.monitorConfig = b.monitorSet ? b.monitorConfig : (b.mode == Mode.LIVE ? HealthMonitorConfig.ofDefaults() : null);
    this.engine = new Engine(new Engine.Config(b.clock, b.calendar, b.broker, b.store, b.alerter,
        List.copyOf(b.strategies), allRules(b), instruments, b.startingCash, b.recordMarketData,
        b.cancelOrdersOnStop, b.reconciliationPolicy, b.inboxCapacity,
        b.reconciliationInterval != null ? b.reconciliationInterval
            : (b.mode == Mode.LIVE ? DEFAULT_RECONCILIATION_INTERVAL : Duration.ZERO),
        b.reconciliationConfirmDelay));
    if (b.engineSpin != null) {
      engine.inbox().spinNanos(b.engineSpin.toNanos());
    }
    this.breaker = new Breaker(engine, b.riskLimits, b.store, b.broker, liveGuard);
    breaker.onStopRequired(this::stop);
    engine.monitor(breaker);
  }

  /** The standard rules of the risk limits, then the user's, with the order-rate rule last. */
  private static List<RiskRule> allRules(Builder b) {
    List<RiskRule> standard = b.riskLimits.rules();
    List<RiskRule> out = new ArrayList<>();
    RiskRule rate = null;
    for (RiskRule r : standard) {
      if (r instanceof MaxOrderRate) {
        rate = r;
      } else {
        out.add(r);
      }
    }
    out.addAll(b.rules);
    if (rate != null) {
      out.add(rate);
    }
    return List.copyOf(out);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Mode mode() {
    return mode;
  }

  public Clock clock() {
    return clock;
  }

  public List<Instrument> instruments() {
    return instruments;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Live mode: starts the engine thread (which connects the broker and starts the feed) and
   * returns once the engine is up. In replay mode use {@link #run()}.
   *
   * @throws ConfigurationException if the kill-switch file is present, or the system was
   *     started before
   */
  public void start() {
    if (mode == Mode.REPLAY) {
      throw new IllegalStateException("a replay system is driven by run(), not start()");
    }
    checkStartable();
    installExitHook();
    CountDownLatch up = new CountDownLatch(1);
    Thread t = new Thread(() -> liveLoop(up), "algotrade-engine");
    engineThread = t;
    t.start();
    try {
      if (!up.await(30, TimeUnit.SECONDS)) {
        log.warn("engine thread slow to start");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
  }

  /** How long the engine thread watches an empty inbox before it parks ({@link Builder#engineSpin}). */
  public Duration engineSpin() {
    return Duration.ofNanos(engine.inbox().spinNanos());
  }

  /**
   * Replay: runs the whole replay on this thread and returns its summary. Live: starts and
   * blocks until the system stops (by {@link #stop()}, the kill switch or Ctrl+C handling in
   * the application), then returns the summary.
   */
  public RunSummary run() {
    if (mode == Mode.LIVE) {
      start();
      awaitTermination(null);
      RuntimeException f = failure;
      if (f != null) {
        throw f;
      }
      return summary();
    }
    checkStartable();
    engineThread = Thread.currentThread();
    try {
      replayLoop();
    } finally {
      terminated.countDown();
    }
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    return summary();
  }

  private void checkStartable() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("a TradingSystem can be started once; build a new one");
    }
    if (killSwitchFile != null && Files.exists(killSwitchFile)) {
      terminated.countDown();
      throw new ConfigurationException("kill-switch file " + killSwitchFile.toAbsolutePath()
          + " is present: refusing to trade. Remove it (rm " + killSwitchFile + ") once you know why it was created, then start again.");
    }
    try {
      // UNKNOWN may become known on connect (IB learns its account then): the breaker holds
      // trading until the broker reports PAPER, and refuses once a connected broker is LIVE or still UNKNOWN
      if (broker.accountMode() == dev.algotrade.api.broker.AccountMode.LIVE) {
        liveGuard.check(broker.accountMode(), "broker " + broker.name());
      }
    } catch (ConfigurationException e) {
      terminated.countDown();
      log.error("{}", e.getMessage());
      throw e;
    }
  }

  /** Asks the system to stop gracefully; returns at once. Idempotent. */
  public void stop() {
    stop("stop requested");
  }

  /** Asks the system to stop gracefully, with a reason for the log; returns at once. */
  public void stop(String reason) {
    if (!stopRequested) {
      stopReason = reason;
      stopDuringShutdown = exitHook != null && AbnormalExit.jvmShuttingDown();
      stopRequested = true;
    }
  }

  /** Waits for the system to stop; a null timeout waits for ever. Returns whether it stopped. */
  public boolean awaitTermination(Duration timeout) {
    try {
      if (timeout == null) {
        terminated.await();
        return true;
      }
      return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops gracefully (bounded by the stop timeout plus a margin) and releases everything. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stop("close");
    if (started.get() && Thread.currentThread() != engineThread) {
      if (!awaitTermination(stopTimeout.plusSeconds(10))) {
        log.error("engine did not stop in time; closing resources anyway timeout={}", stopTimeout.plusSeconds(10));
      }
    }
    if (!started.get()) {
      releaseResources();
    }
  }

  public boolean isRunning() {
    return running;
  }

  // ---------------------------------------------------------------- status

  /**
   * A consistent snapshot. While the engine runs it is taken on the engine thread (waits up
   * to 10 s); after it stopped, read directly.
   */
  public SystemStatus status() {
    return callOnEngine(this::engineStatus);
  }

  private SystemStatus engineStatus() {
    var p = engine.portfolio();
    return new SystemStatus(clock.now(), engine.tradingState(), engine.tradingStateReason(), p.positions(),
        engine.workingOrders(), p.equity(), p.dayPnl(), p.realizedPnl(), p.unrealizedPnl(), engine.counters().fills,
        engine.counters().events, engine.inbox().depth());
  }

  /** The run's summary (final once the system stopped). */
  public RunSummary summary() {
    RunSummary s = lastSummary;
    if (s != null) {
      return s;
    }
    return makeSummary();
  }

  private RunSummary makeSummary() {
    var c = engine.counters();
    var p = engine.portfolio();
    long end = wallEnd != 0 ? wallEnd : SystemClock.instance().nanoTime();
    Duration wall = Duration.ofNanos(wallStart == 0 ? 0 : end - wallStart);
    return new RunSummary(c.events, c.marketData, c.ordersSubmitted, c.ordersDenied, c.ordersRejected, c.fills,
        p.realizedPnl(), p.commissions(), startingEquity, p.equity(), p.maxDrawdown(), firstEvent, lastEvent, wall);
  }

  /**
   * Runs {@code action} on the engine thread and waits for its result (live), or runs it at
   * once (replay / stopped). For operations such as a manual breaker reset.
   */
  public <T> T callOnEngine(java.util.function.Supplier<T> action) {
    if (!running || Thread.currentThread() == engineThread) {
      return action.get();
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    engine.inbox().post((Runnable) () -> {
      try {
        f.complete(action.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the engine", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
          : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("engine did not answer within 10 s", e);
    }
  }

  /**
   * The circuit breaker: its state, and {@code trip(reason)} / {@code reset(why)} from any
   * thread (run on the engine thread; they wait for it). Trip and reset need a started system.
   */
  public CircuitBreaker circuitBreaker() {
    return breakerHandle;
  }

  /** The risk limits the system runs with. */
  public RiskLimits riskLimits() {
    return breaker.limits();
  }

  private final class BreakerHandle implements CircuitBreaker {
    @Override
    public TradingState state() {
      return breaker.state();
    }

    @Override
    public String reason() {
      return breaker.reason();
    }

    @Override
    public void trip(String reason) {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("trip reason must not be blank, was " + (reason == null ? "null" : "'" + reason + "'"));
      }
      onStartedEngine(() -> breaker.trip(Breaker.MANUAL, reason, true, "Circuit breaker tripped"));
    }

    @Override
    public void reset(String why) {
      if (why == null || why.isBlank()) {
        throw new IllegalArgumentException("reset why must not be blank, was " + (why == null ? "null" : "'" + why + "'"));
      }
      onStartedEngine(() -> breaker.reset(why));
    }

    private void onStartedEngine(Runnable r) {
      callOnEngine(() -> {
        if (!breaker.isStarted() || released.get()) {
          throw new IllegalStateException("the circuit breaker can be tripped or reset while the system runs");
        }
        r.run();
        return null;
      });
    }

    @Override
    public String toString() {
      return "CircuitBreaker[state=" + state() + " reason=" + reason() + "]";
    }
  }

  /** The engine, for other core parts (risk layer, monitors). Engine-thread use only. */
  Engine engine() {
    return engine;
  }

  // ---------------------------------------------------------------- live loop

  private void liveLoop(CountDownLatch up) {
    Inbox inbox = engine.inbox();
    try {
      wallStart = SystemClock.instance().nanoTime();
      createMonitor(true);
      engine.start();
      scheduleMonitor();
      for (Instrument i : instruments) {
        feed.subscribe(i);
      }
      feed.start(engine);
      if (killSwitchFile != null) {
        engine.scheduleSystem(clock.now().plus(KILL_SWITCH_POLL), KILL_SWITCH_POLL, this::checkKillSwitch);
      }
      running = true;
      log.info("trading system started mode=LIVE feed={} broker={} instruments={}", feed.name(), broker.name(),
          instruments.size());
    } catch (RuntimeException e) {
      failure = e;
      log.error("trading system failed to start", e);
      running = false;
      removeExitHook();
      up.countDown();
      releaseResources();
      terminated.countDown();
      return;
    }
    up.countDown();
    try {
      while (!stopRequested) {
        step(inbox, MAX_IDLE_WAIT_NANOS);
      }
      shutdownLive(inbox);
    } catch (RuntimeException | Error e) {
      failure = e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
      log.error("engine loop failed; stopping", e);
      try {
        shutdownLive(inbox);
      } catch (RuntimeException e2) {
        log.error("shutdown after failure also failed", e2);
      }
    } finally {
      running = false;
      removeExitHook();
      terminated.countDown();
    }
  }

  private static final Duration KILL_SWITCH_POLL = Duration.ofMillis(250);
  private static final long MAX_IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** One turn of the live loop: timers, then at most one external message plus local work. */
  private void step(Inbox inbox, long maxWaitNanos) {
    engine.drainLocal();
    Instant now = clock.now();
    engine.venueTime(now);
    engine.runTimers(now);
    Instant next = engine.nextTimerDue();
    long wait = maxWaitNanos;
    if (next != null) {
      long until = Duration.between(now, next).toNanos();
      wait = Math.max(0, Math.min(wait, until));
    }
    Object m;
    try {
      m = inboxPoll(inbox, wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop("interrupted");
      return;
    }
    if (m != null) {
      if (m instanceof MarketData) {
        noteEventTime(((MarketData) m).time());
      }
      engine.dispatch(m);
      engine.drainLocal();
    }
  }

  private static Object inboxPoll(Inbox inbox, long waitNanos) throws InterruptedException {
    return inbox.pollExternal(waitNanos);
  }

  private static Object pollNow(Inbox inbox) {
    try {
      return inbox.pollExternal(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void noteEventTime(Instant t) {
    if (firstEvent == null) {
      firstEvent = t;
    }
    lastEvent = t;
  }

  private void shutdownLive(Inbox inbox) {
    log.info("trading system stopping reason={}", stopReason);
    try {
      feed.stop();
    } catch (RuntimeException e) {
      log.warn("feed stop failed feed={}", feed.name(), e);
    }
    engine.beginStop(stopReason);
    long deadline = SystemClock.instance().nanoTime() + stopTimeout.toNanos();
    while (engine.hasWorkingOrders() && SystemClock.instance().nanoTime() - deadline < 0) {
      step(inbox, TimeUnit.MILLISECONDS.toNanos(20));
    }
    if (engine.hasWorkingOrders()) {
      log.warn("orders still working at shutdown; they stay at the broker orders={}", engine.workingOrders());
    }
    // whatever the broker already sent
    Object m;
    while ((m = pollNow(inbox)) != null) {
      engine.dispatch(m);
      engine.drainLocal();
    }
    engine.finish();
    if (heartbeat != null) {
      heartbeat.stopped(clock.now(), engine.portfolio().equity());
    }
    wallEnd = SystemClock.instance().nanoTime();
    lastSummary = makeSummary();
    releaseResources();
    log.info("trading system stopped {}", lastSummary.format().replace(System.lineSeparator(), " "));
  }

  private void checkKillSwitch() {
    if (stopRequested) {
      return;
    }
    if (killSwitchStopDeadline != null) {
      // flattening after the kill switch: stop once flat with nothing working, or at the deadline
      boolean flat = engine.portfolio().positions().isEmpty() && !engine.hasWorkingOrders();
      if (flat || !clock.now().isBefore(killSwitchStopDeadline)) {
        if (!flat) {
          log.error("kill switch: positions not flat by the deadline; stopping anyway positions={}",
              engine.portfolio().positions());
        }
        stop(breaker.reason());
      }
      return;
    }
    if (Files.exists(killSwitchFile)) {
      String details = "file=" + killSwitchFile.toAbsolutePath() + " flatten=" + flattenOnKillSwitch;
      String positions = engine.portfolio().positions().toString();
      log.error("KILL SWITCH: trading halted, working orders cancelled, {} openPositions={}",
          flattenOnKillSwitch ? "flattening, then shutting down" : "shutting down (positions not flattened)", positions);
      breaker.trip(Breaker.KILL_SWITCH, details, flattenOnKillSwitch, "Kill switch used");
      if (flattenOnKillSwitch) {
        killSwitchStopDeadline = clock.now().plus(stopTimeout);
      } else {
        stop(breaker.reason());
      }
    }
  }

  // ---------------------------------------------------------------- replay loop

  private void replayLoop() {
    ReplayFeed rf = (ReplayFeed) feed;
    SimulatedClock sc = (SimulatedClock) clock;
    Inbox inbox = engine.inbox();
    for (Instrument i : instruments) {
      rf.subscribe(i);
    }
    MarketData d = rf.next();
    if (d != null) {
      sc.advanceTo(d.time());
      firstEvent = d.time();
    }
    wallStart = SystemClock.instance().nanoTime();
    running = true;
    try {
      createMonitor(false);
      engine.start();
      scheduleMonitor();
      log.info("trading system started mode=REPLAY feed={} broker={} instruments={}", feed.name(), broker.name(),
          instruments.size());
      long n = 0;
      Instant last = null;
      while (d != null && !stopRequested) {
        Instant t = d.time();
        Instant due;
        while ((due = engine.nextTimerDue()) != null && !due.isAfter(t)) {
          sc.advanceTo(due);
          engine.venueTime(due);
          engine.runTimers(due);
        }
        sc.advanceTo(t);
        engine.onMarketDataDirect(d);
        engine.drainLocal();
        last = t;
        if ((++n & 1023) == 0) {
          Object m;
          while ((m = pollNow(inbox)) != null) {
            engine.dispatch(m);
            engine.drainLocal();
          }
        }
        d = rf.next();
      }
      lastEvent = last;
      engine.beginStop(stopRequested ? stopReason : "replay finished");
      Object m;
      while ((m = pollNow(inbox)) != null) {
        engine.dispatch(m);
        engine.drainLocal();
      }
      engine.finish();
      wallEnd = SystemClock.instance().nanoTime();
      lastSummary = makeSummary();
      log.info("replay finished {}", lastSummary.format().replace(System.lineSeparator(), " "));
    } catch (RuntimeException e) {
      failure = e;
      log.error("replay failed", e);
    } finally {
      running = false;
      releaseResources();
    }
  }

  private final AtomicBoolean released = new AtomicBoolean();

  private void releaseResources() {
    if (!released.compareAndSet(false, true)) {
      return;
    }
    closeQuietly("feed", feed::stop);
    closeQuietly("broker", broker::close);
    closeQuietly("store", () -> {
      store.flush();
      store.close();
    });
    closeQuietly("alerter", alerter::close);
    ExecutorService io = heartbeatIo;
    if (io != null) {
      io.shutdown();
    }
  }

  // ---------------------------------------------------------------- monitoring

  /** The health monitor, or null if switched off. Engine-thread use only. */
  HealthMonitor healthMonitor() {
    return health;
  }

  /** The heartbeat writer, or null if the health monitor is off. */
  Heartbeat heartbeat() {
    return heartbeat;
  }

  /** Before engine.start(), so the monitor sees the broker's first status. */
  private void createMonitor(boolean live) {
    HealthMonitorConfig c = monitorConfig;
    if (c == null) {
      return;
    }
    List<InstrumentId> ids = new ArrayList<>();
    for (Instrument i : instruments) {
      ids.add(i.id());
    }
    health = new HealthMonitor(c, ids, engine::alert, store instanceof StoreHealth ? (StoreHealth) store : null,
        clock.now());
    engine.observer(health);
    Executor io = Runnable::run;
    if (live && c.heartbeatFile() != null) {
      // file I/O off the engine thread: a stalled disk must not delay trading
      heartbeatIo = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "algotrade-heartbeat");
        t.setDaemon(true);
        return t;
      });
      io = heartbeatIo;
    }
    heartbeat = new Heartbeat(c.heartbeatFile(), store, io);
  }

  private void scheduleMonitor() {
    HealthMonitorConfig c = monitorConfig;
    if (c == null) {
      return;
    }
    Instant now = clock.now();
    engine.scheduleSystem(now.plus(c.checkPeriod()), c.checkPeriod(), () -> health.onTick(clock.now()));
    beat();
    engine.scheduleSystem(now.plus(c.heartbeatPeriod()), c.heartbeatPeriod(), this::beat);
    log.info("health monitor on staleAfter={} brokerDownAlertAfter={} denialsInARow={} heartbeatFile={} heartbeatPeriod={}",
        c.staleAfter(), c.brokerDownAlertAfter(), c.denialsInARow(), c.heartbeatFile(), c.heartbeatPeriod());
  }

  private void beat() {
    heartbeat.beat(clock.now(), engine.tradingState().name(), engine.portfolio().equity());
  }

  private void installExitHook() {
    if (monitorConfig == null || !monitorConfig.alertOnAbnormalExit()) {
      return;
    }
    Thread t = new Thread(this::onJvmExit, "algotrade-exit-watch");
    try {
      Runtime.getRuntime().addShutdownHook(t);
      exitHook = t;
    } catch (IllegalStateException e) {
      log.warn("JVM already shutting down; no abnormal-exit alert");
    }
  }

  private void removeExitHook() {
    Thread t = exitHook;
    if (t != null && t != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(t);
      } catch (IllegalStateException e) {
        // shutdown in progress: the hook runs anyway and finds the system stopped
      }
    }
  }

  /** Shutdown hook: alerts if the JVM is exiting under a running system, then stops it. */
  private void onJvmExit() {
    if (!AbnormalExit.isAbnormal(running, stopRequested, stopDuringShutdown)) {
      return;
    }
    String text = "pid=" + ProcessHandle.current().pid() + " the JVM is exiting while the system was trading"
        + " (System.exit, a signal without the application's handler, or a fatal error); stopping now."
        + " Check positions and open orders at the broker.";
    log.error("abnormal exit: {}", text);
    try {
      alerter.send(new Alert(Severity.CRITICAL, "Process exiting while trading", text, clock.now(), "abnormal-exit"));
    } catch (RuntimeException e) {
      log.error("abnormal-exit alert failed", e);
    }
    stop("JVM exiting");
    if (!awaitTermination(stopTimeout.plusSeconds(5))) {
      // the engine did not stop: still give the alert channels their chance to deliver
      closeQuietly("alerter", alerter::close);
    }
  }

  private static void closeQuietly(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.warn("closing {} failed", what, e);
    }
  }

  // ---------------------------------------------------------------- builder

  /**
   * Assembles a {@link TradingSystem}. Every setter validates at once; {@link #build()} checks
   * the combination and names what is missing.
   */
  public static final class Builder {
    private Mode mode = Mode.LIVE;
    private Clock clock;
    private MarketDataFeed feed;
    private Broker broker;
    private Store store = NoOpStore.INSTANCE;
    private final List<Alerter> alerters = new ArrayList<>();
    private Alerter alerter;
    private final Map<InstrumentId, Instrument> instruments = new LinkedHashMap<>();
    private final List<Strategy> strategies = new ArrayList<>();
    private final List<RiskRule> rules = new ArrayList<>();
    private TradingCalendar calendar = TradingCalendar.DEFAULT;
    private double startingCash = 1_000_000;
    private boolean recordMarketData = true;
    private boolean cancelOrdersOnStop = true;
    private ReconciliationPolicy reconciliationPolicy = ReconciliationPolicy.ADOPT_BROKER;
    private Duration reconciliationInterval;
    private Duration reconciliationConfirmDelay = Engine.DEFAULT_CONFIRM_DELAY;
    private int inboxCapacity = 65_536;
    private Path killSwitchFile = Path.of("STOP");
    private Duration stopTimeout = Duration.ofSeconds(10);
    private Duration engineSpin;
    private RiskLimits riskLimits = RiskLimits.NONE;
    private boolean flattenOnKillSwitch;
    private boolean allowLiveTrading;
    private Map<String, String> environment = System.getenv();
    private HealthMonitorConfig monitorConfig;
    private boolean monitorSet;

    private Builder() {}

    /**
     * The health monitor and heartbeat (default: on with {@link HealthMonitorConfig#ofDefaults()}
     * in live mode, off in replay). See docs/monitoring.md.
     */
    public Builder healthMonitor(HealthMonitorConfig value) {
      this.monitorConfig = require(value, "healthMonitor");
      this.monitorSet = true;
      return this;
    }

    /** Switches the health monitor, the heartbeat and the abnormal-exit alert off. */
    public Builder noHealthMonitor() {
      this.monitorConfig = null;
      this.monitorSet = true;
      return this;
    }

    /** Adds an instrument to trade (repeatable; the same id twice is an error). */
    public Builder instrument(Instrument value) {
      require(value, "instrument");
      if (instruments.putIfAbsent(value.id(), value) != null) {
        throw new ConfigurationException("instrument " + value.id() + " was added twice");
      }
      return this;
    }

    public Builder feed(MarketDataFeed value) {
      this.feed = require(value, "feed");
      return this;
    }

    public Builder broker(Broker value) {
      this.broker = require(value, "broker");
      return this;
    }

    /** Adds a strategy (repeatable). */
    public Builder strategy(Strategy value) {
      strategies.add(require(value, "strategy"));
      return this;
    }

    /** Adds a pre-trade risk rule (repeatable); rules run in the order added. */
    public Builder riskRule(RiskRule value) {
      rules.add(require(value, "riskRule"));
      return this;
    }

    public Builder store(Store value) {
      this.store = require(value, "store");
      return this;
    }

    /**
     * Adds an alert channel (repeatable). The log channel is always on. Channels given here are
     * put behind a {@link CompositeAlerter} (de-duplication, rate limits, retries, own threads);
     * a single {@code CompositeAlerter} is used as it is, with your own routing.
     */
    public Builder alerter(Alerter value) {
      alerters.add(require(value, "alerter"));
      return this;
    }

    /** The clock; default: the system clock (live) or a simulated clock (replay). */
    public Builder clock(Clock value) {
      this.clock = require(value, "clock");
      return this;
    }

    /** Replay mode: run() drains the (replay) feed as fast as possible on a simulated clock. */
    public Builder replay() {
      this.mode = Mode.REPLAY;
      return this;
    }

    public Builder mode(Mode value) {
      this.mode = require(value, "mode");
      return this;
    }

    /** Zone and time of the trading-day roll (default America/New_York 17:00). */
    public Builder tradingDay(ZoneId zone, LocalTime rollTime) {
      this.calendar = new TradingCalendar(require(zone, "tradingDay zone"), require(rollTime, "tradingDay rollTime"));
      return this;
    }

    /** Cash the engine's book starts with (default 1,000,000). */
    public Builder startingCash(double value) {
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new ConfigurationException("startingCash must be finite and > 0, was " + value);
      }
      this.startingCash = value;
      return this;
    }

    /** Whether every market event goes to the store (default true). */
    public Builder recordMarketData(boolean value) {
      this.recordMarketData = value;
      return this;
    }

    /** Whether a graceful stop cancels working orders (default true). */
    public Builder cancelOrdersOnStop(boolean value) {
      this.cancelOrdersOnStop = value;
      return this;
    }

    /**
     * What a confirmed reconciliation finding does (default {@code ADOPT_BROKER}): take the
     * broker's view, or halt trading. Findings are logged, stored and alerted either way; see
     * {@link ReconciliationPolicy} and docs/risk.md.
     */
    public Builder reconciliationPolicy(ReconciliationPolicy value) {
      this.reconciliationPolicy = require(value, "reconciliationPolicy");
      return this;
    }

    /**
     * How often positions and open orders are requested from the broker and reconciled while it
     * is connected (they are also reconciled at start and after every reconnect). Default 5
     * minutes live, off in a replay; {@link Duration#ZERO} switches the timer off; otherwise at
     * least 1 second. Runs on the engine clock.
     */
    public Builder reconciliationInterval(Duration value) {
      require(value, "reconciliationInterval");
      if (value.isNegative() || (!value.isZero() && value.compareTo(Duration.ofSeconds(1)) < 0)) {
        throw new ConfigurationException("reconciliationInterval must be 0 (off) or at least 1s, was " + value);
      }
      this.reconciliationInterval = value;
      return this;
    }

    /**
     * How long a position mismatch must persist, the same size in every report, before the policy
     * applies (default 10 s; the engine asks for positions again after this long). Fills in flight
     * when the broker made its report settle in the meantime. At least 0, at most 1 hour.
     */
    public Builder reconciliationConfirmDelay(Duration value) {
      require(value, "reconciliationConfirmDelay");
      if (value.isNegative() || value.compareTo(Duration.ofHours(1)) > 0) {
        throw new ConfigurationException("reconciliationConfirmDelay must be between 0 and 1h, was " + value);
      }
      this.reconciliationConfirmDelay = value;
      return this;
    }

    /**
     * Reconciliation settings from {@code .env} / the environment, each only if set:
     * {@value TradingSystem#RECONCILIATION_POLICY} ({@code adopt} or {@code halt}),
     * {@value TradingSystem#RECONCILIATION_INTERVAL} ({@code 5m}; {@code 0s} off) and
     * {@value TradingSystem#RECONCILIATION_CONFIRM_DELAY} ({@code 10s}). A bad value fails
     * with a message naming the key and the value.
     */
    public Builder reconciliation(Settings settings) {
      require(settings, "reconciliation settings");
      Optional<String> policy = settings.get(RECONCILIATION_POLICY);
      if (policy.isPresent()) {
        switch (policy.get().toLowerCase(Locale.ROOT)) {
          case "adopt":
          case "adopt_broker":
            reconciliationPolicy(ReconciliationPolicy.ADOPT_BROKER);
            break;
          case "halt":
            reconciliationPolicy(ReconciliationPolicy.HALT);
            break;
          default:
            throw new ConfigurationException(RECONCILIATION_POLICY + " must be adopt or halt, was '" + policy.get() + "'");
        }
      }
      Duration interval = settings.getDuration(RECONCILIATION_INTERVAL, null);
      if (interval != null) {
        try {
          reconciliationInterval(interval);
        } catch (ConfigurationException e) {
          throw new ConfigurationException(RECONCILIATION_INTERVAL + " must be 0s (off) or at least 1s, was '"
              + settings.get(RECONCILIATION_INTERVAL).orElse("") + "'");
        }
      }
      Duration confirm = settings.getDuration(RECONCILIATION_CONFIRM_DELAY, null);
      if (confirm != null) {
        try {
          reconciliationConfirmDelay(confirm);
        } catch (ConfigurationException e) {
          throw new ConfigurationException(RECONCILIATION_CONFIRM_DELAY + " must be between 0s and 1h, was '"
              + settings.get(RECONCILIATION_CONFIRM_DELAY).orElse("") + "'");
        }
      }
      return this;
    }

    /** Capacity of the inbox other threads post into (default 65,536, at least 16). */
    public Builder inboxCapacity(int value) {
      if (value < 16) {
        throw new ConfigurationException("inboxCapacity must be >= 16, was " + value);
      }
      this.inboxCapacity = value;
      return this;
    }

    /** The kill-switch file (default {@code STOP} in the working directory); null switches it off. */
    public Builder killSwitchFile(Path value) {
      this.killSwitchFile = value;
      return this;
    }

    /**
     * The risk limits: installs the standard rules ({@link RiskLimits#rules()}; they run before
     * the rules added with {@link #riskRule}, except the order-rate rule, which runs last) and
     * arms the circuit breaker with the daily loss, drawdown and reject limits. Default: none.
     */
    public Builder riskLimits(RiskLimits value) {
      this.riskLimits = require(value, "riskLimits");
      return this;
    }

    /**
     * Whether the kill switch flattens positions (through the circuit breaker) before the
     * system stops; default false: positions are listed in the log and the alert and left open.
     */
    public Builder flattenOnKillSwitch(boolean value) {
      this.flattenOnKillSwitch = value;
      return this;
    }

    /**
     * Switches live trading on in code. A broker whose account is LIVE or UNKNOWN is refused
     * unless this is true AND the environment has {@code ALGOTRADE_LIVE=yes}. Default false.
     */
    public Builder allowLiveTrading(boolean value) {
      this.allowLiveTrading = value;
      return this;
    }

    /** The environment the live-trading guard reads (default {@code System.getenv()}). */
    public Builder environment(Map<String, String> value) {
      this.environment = Map.copyOf(require(value, "environment"));
      return this;
    }

    /**
     * How long the engine thread keeps watching an empty inbox (yielding the core between looks)
     * before it parks; default zero: it parks at once (or {@code -Dalgotrade.inbox.spinMicros}).
     * A watching engine takes a message that arrives within the spin without a wake-up, which on
     * a virtual machine costs several to tens of microseconds of tick-to-order latency; the price
     * is a core kept busy while the market is active. Worth it only with a core to spare for the
     * engine thread (docs/performance.md). At most one second.
     */
    public Builder engineSpin(Duration value) {
      require(value, "engineSpin");
      if (value.isNegative() || value.compareTo(Duration.ofNanos(Inbox.MAX_SPIN_NANOS)) > 0) {
        throw new ConfigurationException("engineSpin must be between 0 and 1s, was " + value);
      }
      this.engineSpin = value;
      return this;
    }

    /** How long a graceful stop waits for cancels to be confirmed (default 10 s). */
    public Builder stopTimeout(Duration value) {
      require(value, "stopTimeout");
      if (value.isNegative()) {
        throw new ConfigurationException("stopTimeout must be >= 0, was " + value);
      }
      this.stopTimeout = value;
      return this;
    }

    public TradingSystem build() {
      List<String> problems = new ArrayList<>();
      if (instruments.isEmpty()) {
        problems.add("no instrument: add at least one with instrument(Instrument.stock(\"AAPL\"))");
      }
      if (strategies.isEmpty()) {
        problems.add("no strategy: add at least one with strategy(..)");
      }
      if (feed == null) {
        problems.add("no feed: set one with feed(..)");
      }
      if (mode == Mode.REPLAY) {
        if (feed != null && !(feed instanceof ReplayFeed)) {
          problems.add("replay mode needs a ReplayFeed, but feed " + feed.name() + " is a "
              + feed.getClass().getSimpleName());
        }
        if (clock != null && !(clock instanceof SimulatedClock)) {
          problems.add("replay mode needs a SimulatedClock, but clock is " + clock);
        }
        if (broker != null && !(broker instanceof SimulatedVenue)) {
          problems.add("replay mode needs a simulated broker (e.g. PaperBroker), but broker is " + broker.name());
        }
      }
      if (!problems.isEmpty()) {
        throw new ConfigurationException("TradingSystem cannot be built: " + String.join("; ", problems));
      }
      if (clock == null) {
        clock = mode == Mode.REPLAY ? new SimulatedClock(Instant.EPOCH) : SystemClock.instance();
      }
      if (broker == null) {
        broker = PaperBroker.builder().startingCash(startingCash).build();
      }
      if (alerters.isEmpty()) {
        alerter = new LogAlerter();
      } else if (alerters.size() == 1 && alerters.get(0) instanceof CompositeAlerter) {
        alerter = alerters.get(0); // the user's own routing; it logs every alert itself
      } else {
        // log always, plus every channel given, behind de-duplication and rate limits
        CompositeAlerter.Builder cb = CompositeAlerter.builder().clock(clock);
        for (Alerter a : alerters) {
          cb.channel(a, Severity.INFO);
        }
        if (mode == Mode.REPLAY) {
          cb.summaryInterval(Duration.ZERO); // no timer thread in a replay; close() flushes
        }
        alerter = cb.build();
      }
      return new TradingSystem(this);
    }

    private static <T> T require(T value, String what) {
      if (value == null) {
        throw new ConfigurationException(what + " must not be null");
      }
      return value;
    }
  }
}
