package dev.algotrade.core.internal;

import dev.algotrade.api.alert.Severity;
import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.broker.LiveTradingGuard;
import dev.algotrade.api.broker.PositionsReport;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderExpired;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.store.BreakerState;
import dev.algotrade.api.store.RecoveryState;
import dev.algotrade.api.store.RiskEvent;
import dev.algotrade.api.store.Store;
import dev.algotrade.core.risk.RiskLimits;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker and risk monitor, hooked into the engine. After every mark of an open
 * position and every fill it checks the day's P&L against the daily loss limit and the
 * drawdown from the day's peak against the alert, reducing and halt thresholds; after broker
 * rejects it counts consecutive rejects. A trip cancels every working order, flattens every
 * position with system-owned reducing market orders (split to respect the fat-finger limits;
 * retried as cancels and fills arrive until flat), halts trading, raises a CRITICAL alert and
 * persists the state. The day roll and {@link #reset} clear it; {@link #onStart} restores a
 * same-day trip from the store. It also re-checks the live-trading guard whenever the broker
 * reports. Confined to the engine thread, except {@link #state()} and {@link #reason()}, which
 * any thread may read.
 */
public final class Breaker implements EngineMonitor {
  private static final Logger log = LoggerFactory.getLogger(Breaker.class);

  /** Reason codes. */
  public static final String DAILY_LOSS = "DAILY_LOSS_LIMIT";
  public static final String DRAWDOWN = "DRAWDOWN_LIMIT";
  public static final String DRAWDOWN_REDUCING = "DRAWDOWN_REDUCING";
  public static final String REJECTS = "CONSECUTIVE_REJECTS";
  public static final String KILL_SWITCH = "KILL_SWITCH";
  public static final String MANUAL = "MANUAL";
  public static final String LIVE_REFUSED = "LIVE_ACCOUNT_REFUSED";
  public static final String LIVE_GUARD_HOLD =
      "LIVE_GUARD: account mode not known yet; trading starts once the broker reports a paper account";
  private static final int MAX_FLATTEN_REJECTS = 3;

  private final Engine engine;
  private final RiskLimits limits;
  private final Store store;
  private final Broker broker;
  private final LiveTradingGuard guard;
  private final boolean lossChecks;
  private final double dailyLoss;
  private final double ddAlert;
  private final double ddReducing;
  private final double ddHalt;
  private Consumer<String> stopSystem = why -> {};

  private volatile TradingState state = TradingState.ACTIVE;
  private volatile String reason = "";
  private LocalDate day;
  private boolean tripped;
  private boolean drawdownAlerted;
  private int consecutiveRejects;
  private boolean flattening;
  /** Instruments whose flatten was held back (logged once each). */
  private final Set<InstrumentId> heldBack = new HashSet<>();
  private int flattenRejects;
  private boolean liveRefused;
  private boolean awaitingAccountMode;
  private long trips;
  /** A halt that was in force before the breaker's own (e.g. a strategy failed); restored by a reset. */
  private TradingState outerState;
  private String outerReason;

  public Breaker(Engine engine, RiskLimits limits, Store store, Broker broker, LiveTradingGuard guard) {
    this.engine = engine;
    this.limits = limits;
    this.store = store;
    this.broker = broker;
    this.guard = guard;
    this.dailyLoss = limits.dailyLossLimit();
    this.ddAlert = limits.drawdownAlert();
    this.ddReducing = limits.reducingAbove();
    this.ddHalt = limits.drawdownHalt();
    this.lossChecks = dailyLoss > 0 || ddAlert > 0 || ddReducing > 0 || ddHalt > 0;
  }

  /** What to call when the system must stop (a live account found while live trading is off). */
  public void onStopRequired(Consumer<String> value) {
    this.stopSystem = value;
  }

  public TradingState state() {
    return state;
  }

  public String reason() {
    return reason;
  }

  public boolean isTripped() {
    return tripped;
  }

  /** Whether {@link Engine#start()} has run (the breaker knows the trading day). */
  public boolean isStarted() {
    return day != null;
  }

  /** How many times it tripped in this run. */
  public long trips() {
    return trips;
  }

  public RiskLimits limits() {
    return limits;
  }

  // ---------------------------------------------------------------- hooks

  @Override
  public void onStart(LocalDate tradingDay) {
    day = tradingDay;
    restore(tradingDay);
    if (!guard.liveAllowed() && broker.accountMode() == AccountMode.UNKNOWN) {
      // an adapter may learn its account only once connected: hold trading until it says PAPER
      awaitingAccountMode = true;
      log.warn("broker account mode unknown at start: trading held until the broker reports a paper account broker={}",
          broker.name());
      if (engine.tradingState() == TradingState.ACTIVE) {
        engine.setTradingState(TradingState.HALTED, LIVE_GUARD_HOLD);
      }
    }
  }

  private void restore(LocalDate tradingDay) {
    RecoveryState rs = engine.recoveredState();
    BreakerState b = rs == null ? null : rs.breaker();
    if (b == null || b.state() == TradingState.ACTIVE) {
      return;
    }
    if (!b.tradingDay().equals(tradingDay)) {
      log.info("circuit breaker state of an earlier trading day cleared by the day roll trippedDay={} today={} state={} reason={}",
          b.tradingDay(), tradingDay, b.state(), b.reason());
      persist("BREAKER_RESET", "DAY_ROLL", "state of " + b.tradingDay() + " cleared by the day roll; was " + b.reason());
      return;
    }
    if (b.reason().startsWith(KILL_SWITCH)) {
      // the kill-switch file was removed before this start (else start() refused): that removal is the reset
      log.warn("kill-switch halt of an earlier run not restored: the file was removed reason={} since={}", b.reason(),
          b.since());
      persist("BREAKER_RESET", KILL_SWITCH, "kill-switch file removed before restart; was " + b.reason());
      return;
    }
    state = b.state();
    reason = b.reason();
    tripped = b.state() == TradingState.HALTED;
    engine.setTradingState(b.state(), b.reason());
    String positions = engine.portfolio().positions().toString();
    log.error("circuit breaker still {} after restart: same trading day, not cleared tradingDay={} reason={} since={} positions={}",
        b.state(), tradingDay, b.reason(), b.since(), positions);
    engine.alert(Severity.CRITICAL, "Circuit breaker still active after restart",
        "state=" + b.state() + " reason=" + b.reason() + " since=" + b.since() + " positions=" + positions
            + "; it clears at the next trading-day roll or by an explicit reset", "breaker-restart");
  }

  @Override
  public void afterMark() {
    if (lossChecks && !tripped) {
      check();
    }
  }

  @Override
  public void afterFill(Fill fill) {
    consecutiveRejects = 0;
    if (flattening) {
      flattenStep();
    }
    if (lossChecks && !tripped) {
      check();
    }
  }

  @Override
  public void afterOrderEvent(WorkingOrder order, OrderEvent event) {
    if (event instanceof OrderRejected) {
      if (order.owner < 0 && flattening) {
        flattenRejects++;
        if (flattenRejects >= MAX_FLATTEN_REJECTS) {
          flattening = false;
          String positions = engine.portfolio().positions().toString();
          log.error("circuit breaker could not flatten: the broker rejected the flatten orders rejects={} positions={} lastReason={}",
              flattenRejects, positions, order.reason);
          engine.alert(Severity.CRITICAL, "Flatten failed", "the broker rejected " + flattenRejects
              + " flatten orders; positions still open: " + positions + " last reason: " + order.reason, "breaker-flatten");
          return;
        }
        flattenStep();
        return;
      }
      consecutiveRejects++;
      int max = limits.maxConsecutiveRejects();
      if (max > 0 && consecutiveRejects >= max && !tripped) {
        trip(REJECTS, "rejects=" + consecutiveRejects + " limit=" + max + " last=" + order.reason, true,
            "Circuit breaker tripped");
      }
    } else if (event instanceof OrderAccepted) {
      consecutiveRejects = 0;
    } else if (flattening && (event instanceof OrderCancelled || event instanceof OrderExpired)) {
      flattenStep();
    }
  }

  @Override
  public void onDayRoll(LocalDate newDay) {
    day = newDay;
    drawdownAlerted = false;
    consecutiveRejects = 0;
    if (state != TradingState.ACTIVE) {
      resetNow("trading day rolled to " + newDay, "DAY_ROLL");
    }
  }

  @Override
  public void onBrokerReport(Object report) {
    if (liveRefused) {
      return;
    }
    if (flattening && report instanceof BrokerStatus
        && ((BrokerStatus) report).state() == ConnectionState.CONNECTED) {
      // flatten orders were denied while the broker was down: send what is still open now
      log.warn("circuit breaker resumes flattening after the broker reconnected");
      flattenStep();
    }
    if (report instanceof PositionsReport) {
      if (flattening) {
        flattenStep(); // a position held back while in doubt may be settled now
      }
      return;
    }
    AccountMode mode = broker.accountMode();
    if (guard.liveAllowed()) {
      return;
    }
    if (mode == AccountMode.PAPER) {
      if (awaitingAccountMode) {
        awaitingAccountMode = false;
        log.info("broker reports a paper account: trading released broker={}", broker.name());
        if (engine.tradingStateReason().equals(LIVE_GUARD_HOLD)) {
          engine.setTradingState(TradingState.ACTIVE, "broker " + broker.name() + " reports a paper account");
        }
      }
      return;
    }
    // LIVE, or still UNKNOWN once the broker is connected or reports its account: counts as live
    boolean known = mode == AccountMode.LIVE || report instanceof dev.algotrade.api.portfolio.AccountState
        || engine.brokerConnection() == ConnectionState.CONNECTED;
    if (known) {
      liveRefused = true;
      String msg = guard.refusal("broker " + broker.name() + " (accountMode=" + mode + ")");
      log.error("{}", msg);
      trip(LIVE_REFUSED, "broker=" + broker.name() + " accountMode=" + mode, false, "Live trading refused");
      stopSystem.accept(msg);
    }
  }

  // ---------------------------------------------------------------- checks

  private void check() {
    Portfolio p = engine.portfolio();
    double eq = p.equity();
    double dayPnl = eq - p.dayStartEquity();
    if (dailyLoss > 0 && dayPnl <= -dailyLoss) {
      trip(DAILY_LOSS, "dayPnl=" + fmt(dayPnl) + " limit=" + fmt(dailyLoss) + " equity=" + fmt(eq), true,
          "Circuit breaker tripped");
      return;
    }
    double peak = Math.max(p.dayPeakTracked(), eq);
    double dd = peak - eq;
    if (ddHalt > 0 && dd >= ddHalt) {
      trip(DRAWDOWN, "drawdown=" + fmt(dd) + " limit=" + fmt(ddHalt) + " peak=" + fmt(peak) + " equity=" + fmt(eq), true,
          "Circuit breaker tripped");
      return;
    }
    if (ddReducing > 0 && dd >= ddReducing && state == TradingState.ACTIVE) {
      String why = DRAWDOWN_REDUCING + ": drawdown=" + fmt(dd) + " threshold=" + fmt(ddReducing);
      state = TradingState.REDUCING;
      reason = why;
      log.warn("trading switched to REDUCING: only reducing orders until the day rolls or a reset reason={}", why);
      if (engine.tradingState() != TradingState.ACTIVE) {
        outerState = engine.tradingState();
        outerReason = engine.tradingStateReason();
      } else {
        engine.setTradingState(TradingState.REDUCING, why);
      }
      engine.alert(Severity.WARNING, "Trading reducing only", why, "breaker-reducing");
      persist("REDUCING", DRAWDOWN_REDUCING, why);
    }
    if (ddAlert > 0 && dd >= ddAlert && !drawdownAlerted) {
      drawdownAlerted = true;
      String text = "drawdown=" + fmt(dd) + " threshold=" + fmt(ddAlert) + " peak=" + fmt(peak) + " equity=" + fmt(eq);
      log.warn("drawdown above the alert threshold {}", text);
      engine.alert(Severity.WARNING, "Drawdown alert", text, "drawdown");
      store.recordRiskEvent(new RiskEvent("DRAWDOWN_ALERT", "DRAWDOWN_ALERT", text, engine.clock().now()));
    }
  }

  // ---------------------------------------------------------------- trip, flatten, reset

  /**
   * Trips: halt, cancel every working order, flatten if asked, alert, persist. Tripping while
   * tripped repeats the cancel and the flatten.
   *
   * @param code stable reason code
   * @param details key=value facts
   * @param flatten whether to flatten every position
   * @param alertTitle the CRITICAL alert's title
   */
  public void trip(String code, String details, boolean flatten, String alertTitle) {
    String why = details.isEmpty() ? code : code + ": " + details;
    if (KILL_SWITCH.equals(code) && state != TradingState.ACTIVE && !reason.startsWith(KILL_SWITCH)) {
      // keep the earlier halt first: removing the kill-switch file must not clear a daily-loss trip at restart
      why = reason + " | then " + why;
    }
    if (outerState == null && engine.tradingState() != TradingState.ACTIVE && !engine.tradingStateReason().equals(reason)) {
      outerState = engine.tradingState();
      outerReason = engine.tradingStateReason();
    }
    tripped = true;
    trips++;
    state = TradingState.HALTED;
    reason = why;
    log.error("CIRCUIT BREAKER ACTIVATED - Trading halted reason={}", why);
    engine.setTradingState(TradingState.HALTED, why);
    int cancelled = engine.cancelAllWorking("circuit breaker");
    List<Position> open = engine.portfolio().positions();
    if (flatten) {
      flattening = true;
      flattenRejects = 0;
      heldBack.clear();
      flattenStep();
    }
    String text = "reason=" + why + " cancelledOrders=" + cancelled + " openPositions=" + open
        + flattenNote(flatten, open) + "; trading HALTED until the next trading-day roll or an explicit reset";
    engine.alert(Severity.CRITICAL, alertTitle, text, "breaker:" + code);
    persist("BREAKER_TRIP", code, why);
  }

  /**
   * What the trip alert says of the open positions: flattened, not flattened, or held back
   * because our position differs from the broker's and is being reconciled (the alert must not
   * say "flattening" of a position the breaker deliberately leaves alone).
   */
  private String flattenNote(boolean flatten, List<Position> open) {
    if (open.isEmpty()) {
      return "";
    }
    if (!flatten) {
      return " (NOT flattened)";
    }
    if (heldBack.isEmpty()) {
      return " (flattening with market orders)";
    }
    boolean others = open.stream().anyMatch(p -> !heldBack.contains(p.instrument()));
    return (others ? " (flattening with market orders, except " : " (NOT flattened yet: ") + heldBack
        + ", which differ from the broker's positions and are being reconciled; flattened once a broker report"
        + " confirms them)";
  }

  /** Back to ACTIVE (explicit reset). */
  public void reset(String why) {
    if (state == TradingState.ACTIVE && !tripped) {
      log.info("circuit breaker reset requested but it is not active why={}", why);
      return;
    }
    resetNow(why, MANUAL);
  }

  private void resetNow(String why, String code) {
    String was = reason;
    TradingState wasState = state;
    tripped = false;
    flattening = false;
    state = TradingState.ACTIVE;
    reason = "";
    consecutiveRejects = 0;
    TradingState outer = outerState;
    String outerWhy = outerReason;
    outerState = null;
    outerReason = null;
    if (engine.tradingState() != TradingState.ACTIVE && engine.tradingStateReason().equals(was)) {
      if (outer != null) {
        log.warn("circuit breaker reset, but the halt that came before it stays state={} reason={}", outer, outerWhy);
        engine.setTradingState(outer, outerWhy);
      } else {
        engine.setTradingState(TradingState.ACTIVE, why);
      }
    } else if (engine.tradingState() != TradingState.ACTIVE) {
      log.warn("circuit breaker reset, but trading stays {} for another reason reason={}", engine.tradingState(),
          engine.tradingStateReason());
    }
    log.warn("circuit breaker reset why={} was={} wasReason={}", why, wasState, was);
    engine.alert(Severity.WARNING, "Circuit breaker reset", "why=" + why + " was=" + wasState + " reason=" + was,
        "breaker-reset");
    persist("BREAKER_RESET", code, "why=" + why + " was=" + was);
  }

  /** Sends reducing market orders for whatever is open and not already being reduced. */
  private void flattenStep() {
    boolean open = false;
    for (InstrumentState s : engine.instrumentStates()) {
      double pos = s.book.quantity;
      if (pos == 0) {
        continue;
      }
      open = true;
      if (engine.positionInDoubt(s.instrument.id())) {
        if (heldBack.add(s.instrument.id())) {
          log.warn("circuit breaker holds back the flatten of {} qty={}: our position differs from the broker's and "
              + "is being reconciled; a flatten order could open a real position", s.instrument.id(), pos);
        }
        continue;
      }
      int sign = pos > 0 ? -1 : 1;
      double inFlight = s.workingQuantity(sign);
      double remaining = Math.abs(pos) - inFlight;
      double lot = s.instrument.lotSize();
      if (remaining < lot * 0.5) {
        continue;
      }
      double qty = s.instrument.roundQuantityDown(Math.min(remaining, chunk(s)));
      if (qty <= 0) {
        continue;
      }
      engine.submitSystemOrder(OrderRequest.market(s.instrument.id(), sign > 0 ? Side.BUY : Side.SELL, qty)
          .withTag("circuit-breaker"));
    }
    if (!open) {
      flattening = false;
      log.info("circuit breaker flatten complete: no open positions");
    }
  }

  /** The largest flatten order the fat-finger limits allow (at least one lot). */
  private double chunk(InstrumentState s) {
    double max = Double.POSITIVE_INFINITY;
    double q = limits.maxOrderQuantity().valueFor(s.instrument.id());
    if (q > 0) {
      max = q;
    }
    double n = limits.maxOrderNotional().valueFor(s.instrument.id());
    double px = s.book.mark;
    if (s.lastQuote != null) {
      px = Math.max(s.lastQuote.ask(), s.lastQuote.bid());
    }
    if (n > 0 && px > 0) {
      max = Math.min(max, n / (px * s.instrument.multiplier()));
    }
    return Math.max(max, s.instrument.lotSize());
  }

  private void persist(String kind, String code, String details) {
    Instant now = engine.clock().now();
    LocalDate d = day != null ? day : engine.calendar().tradingDay(now);
    store.recordBreakerState(new BreakerState(d, state, state == TradingState.ACTIVE ? "" : reason, now));
    store.recordRiskEvent(new RiskEvent(kind, code, details, now));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
