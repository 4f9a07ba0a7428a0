package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.BrokerListener;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderSubmitted;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.store.BreakerState;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.paper.CommissionModel;
import dev.algotrade.core.paper.PaperBroker;
import dev.algotrade.core.paper.SimulatedVenue;
import dev.algotrade.core.risk.RiskLimits;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.core.time.TradingCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The circuit breaker in a replay: trips, flatten, halt, persistence, day roll, restart, live guard. */
class CircuitBreakerTest {
  static final Instrument AAPL = Instrument.stock("AAPL");
  static final InstrumentId ID = AAPL.id();
  static final Instant T0 = Instant.parse("2024-01-02T15:00:00Z");

  /** Zero-spread quotes one second apart, sizes unknown (a market order fills in full). */
  static List<Quote> quotes(Instant start, double... px) {
    List<Quote> out = new ArrayList<>();
    for (int i = 0; i < px.length; i++) {
      out.add(new Quote(ID, start.plusSeconds(i), px[i], px[i], 0, 0));
    }
    return out;
  }

  static PaperBroker paper() {
    return PaperBroker.builder().commission(CommissionModel.none()).build();
  }

  static TradingSystem.Builder replay(List<? extends MarketData> data, Probe p, Recorder rec, RiskLimits limits) {
    return TradingSystem.builder().replay().clock(new SimulatedClock(data.get(0).time())).instrument(AAPL)
        .feed(new ListFeed(data)).strategy(p).broker(paper()).store(rec).alerter(rec).riskLimits(limits)
        .killSwitchFile(null);
  }

  static long submittedBy(Recorder rec, String tag, Instant from) {
    return rec.orderEvents.stream().filter(e -> e instanceof OrderSubmitted).map(e -> (OrderSubmitted) e)
        .filter(e -> !e.time().isBefore(from) && e.request().tag().equals(tag)).count();
  }

  @ParameterizedTest(name = "limit {0}: trips={1}")
  @CsvSource({"499.75, true", "500.00, true", "500.25, false"})
  void dailyLossTripsAtTheFirstMarkAtOrPastTheLimitThenFlatAndNoNewOpeningOrders(double limit, boolean trips) {
    // long 100 from 100; the day's P&L at the marks: -400, -475, -500, -500, -500
    Probe p = new Probe();
    p.everyQuote = (ctx, q) -> ctx.targetPosition(ID, 100); // hostile: re-asserts its target on every quote
    p.at(5, (ctx, q) -> ctx.submit(OrderRequest.market(ID, Side.BUY, 10)));
    Recorder rec = new Recorder();
    List<Quote> data = quotes(T0, 100, 96, 95.25, 95.0, 95.0, 95.0);
    TradingSystem sys = replay(data, p, rec, RiskLimits.builder().dailyLossLimit(limit).build()).build();
    RunSummary s = sys.run();
    if (!trips) {
      assertThat(p.stateAtQuote).containsOnly(TradingState.ACTIVE);
      // the explicit buy of 10 went through; the target took it back on the next quote
      assertThat(rec.fills).extracting(f -> f.side() + " " + (long) f.quantity()).containsExactly("BUY 100", "BUY 10", "SELL 10");
      assertThat(sys.status().positions()).singleElement().satisfies(pos -> assertThat(pos.quantity()).isEqualTo(100));
      assertThat(rec.breakerStates).isEmpty();
      return;
    }
    // the quote at 95.0 (the 4th) is the first mark at or past the limit; the strategy sees HALTED on it
    assertThat(p.stateAtQuote).containsExactly(TradingState.ACTIVE, TradingState.ACTIVE, TradingState.ACTIVE,
        TradingState.HALTED, TradingState.HALTED, TradingState.HALTED);
    assertThat(p.stateChanges).singleElement().asString().startsWith("HALTED DAILY_LOSS_LIMIT: dayPnl=-500.00 limit=");
    assertThat(rec.fills).extracting(f -> f.side() + " " + (long) f.quantity() + " @" + f.price())
        .containsExactly("BUY 100 @100.0", "SELL 100 @95.0");
    assertThat(p.fills).as("the flatten order is the system's").hasSize(1);
    assertThat(sys.status().positions()).isEmpty();
    assertThat(sys.status().tradingState()).isEqualTo(TradingState.HALTED);
    // no opening order reached the broker after the trip; the explicit buy was denied
    Instant trip = data.get(3).time();
    assertThat(submittedBy(rec, "Probe", trip)).isZero();
    assertThat(submittedBy(rec, "circuit-breaker", trip)).isEqualTo(1);
    assertThat(p.denials).singleElement().satisfies(d -> assertThat(d.code()).isEqualTo("TRADING_HALTED"));
    assertThat(s.ordersSubmitted()).isEqualTo(2);
    BreakerState b = rec.breakerStates.get(rec.breakerStates.size() - 1);
    assertThat(b.state()).isEqualTo(TradingState.HALTED);
    assertThat(b.reason()).startsWith("DAILY_LOSS_LIMIT: dayPnl=-500.00");
    assertThat(b.tradingDay()).isEqualTo(LocalDate.of(2024, 1, 2));
    assertThat(b.since()).isEqualTo(trip);
    assertThat(rec.riskEvents).anySatisfy(e -> {
      assertThat(e.kind()).isEqualTo("BREAKER_TRIP");
      assertThat(e.code()).isEqualTo("DAILY_LOSS_LIMIT");
    });
    assertThat(rec.alerts).anySatisfy(a -> {
      assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(a.title()).isEqualTo("Circuit breaker tripped");
      assertThat(a.text()).contains("DAILY_LOSS_LIMIT", "AAPL");
    });
  }

  @Test
  void drawdownAlertsThenReducingOnlyThenHalts() {
    Probe p = new Probe();
    p.at(1, (ctx, q) -> ctx.targetPosition(ID, 100));
    p.at(4, (ctx, q) -> { // drawdown 300: REDUCING
      ctx.targetPosition(ID, 200); // skipped quietly
      ctx.submit(OrderRequest.market(ID, Side.BUY, 1)); // denied
      ctx.submit(OrderRequest.market(ID, Side.SELL, 50)); // reducing: accepted
    });
    Recorder rec = new Recorder();
    RiskLimits limits = RiskLimits.builder().drawdownAlert(200).reducingAbove(300).drawdownHalt(400).build();
    TradingSystem sys = replay(quotes(T0, 100, 103, 101, 100, 95, 95), p, rec, limits).build();
    sys.run();
    assertThat(p.stateAtQuote).containsExactly(TradingState.ACTIVE, TradingState.ACTIVE, TradingState.ACTIVE,
        TradingState.REDUCING, TradingState.HALTED, TradingState.HALTED);
    assertThat(rec.alerts).filteredOn(a -> a.title().equals("Drawdown alert")).singleElement()
        .satisfies(a -> assertThat(a.text()).contains("drawdown=200.00"));
    assertThat(p.denials).singleElement().satisfies(d -> assertThat(d.details()).contains("state=REDUCING"));
    assertThat(rec.fills).extracting(f -> f.side() + " " + (long) f.quantity())
        .containsExactly("BUY 100", "SELL 50", "SELL 50");
    assertThat(p.stateChanges.get(1)).startsWith("HALTED DRAWDOWN_LIMIT: drawdown=550.00 limit=400.00");
    assertThat(sys.status().positions()).isEmpty();
    assertThat(rec.breakerStates).extracting(BreakerState::state).containsExactly(TradingState.REDUCING, TradingState.HALTED);
  }

  @Test
  void consecutiveBrokerRejectsTripTheBreakerAndAnAcceptanceResetsTheCount() {
    Probe p = new Probe();
    OrderRequest huge = OrderRequest.market(ID, Side.BUY, 20_000); // 2,000,000 > 1x equity: rejected
    p.at(1, (ctx, q) -> ctx.submit(OrderRequest.market(ID, Side.BUY, 10)));
    p.at(2, (ctx, q) -> ctx.submit(huge));
    p.at(3, (ctx, q) -> ctx.submit(huge));
    p.at(4, (ctx, q) -> ctx.submit(OrderRequest.market(ID, Side.BUY, 10)));
    p.at(5, (ctx, q) -> ctx.submit(huge));
    p.at(6, (ctx, q) -> ctx.submit(huge));
    p.at(7, (ctx, q) -> ctx.submit(huge));
    Recorder rec = new Recorder();
    PaperBroker broker = PaperBroker.builder().commission(CommissionModel.none()).maxLeverage(1).build();
    TradingSystem sys = replay(quotes(T0, 100, 100, 100, 100, 100, 100, 100, 100), p, rec,
        RiskLimits.builder().maxConsecutiveRejects(3).build()).broker(broker).build();
    sys.run();
    assertThat(p.stateAtQuote.subList(0, 7)).containsOnly(TradingState.ACTIVE);
    assertThat(p.stateAtQuote.get(7)).isEqualTo(TradingState.HALTED);
    assertThat(p.stateChanges).singleElement().asString().startsWith("HALTED CONSECUTIVE_REJECTS: rejects=3 limit=3");
    assertThat(broker.positions()).isEmpty();
    assertThat(sys.status().positions()).isEmpty();
  }

  @Test
  void explicitTripFlattensAndResetResumesTrading() {
    AtomicReference<TradingSystem> ref = new AtomicReference<>();
    Probe p = new Probe();
    p.everyQuote = (ctx, q) -> ctx.targetPosition(ID, 100);
    p.at(3, (ctx, q) -> ref.get().circuitBreaker().trip("operator says stop"));
    p.at(5, (ctx, q) -> ref.get().circuitBreaker().reset("operator checked the book"));
    Recorder rec = new Recorder();
    TradingSystem sys = replay(quotes(T0, 100, 100, 100, 100, 100, 100, 100), p, rec, RiskLimits.NONE).build();
    ref.set(sys);
    assertThatThrownBy(() -> sys.circuitBreaker().trip("too early")).isInstanceOf(IllegalStateException.class);
    sys.run();
    assertThat(p.stateAtQuote).containsExactly(TradingState.ACTIVE, TradingState.ACTIVE, TradingState.ACTIVE,
        TradingState.HALTED, TradingState.HALTED, TradingState.ACTIVE, TradingState.ACTIVE);
    assertThat(rec.fills).extracting(f -> f.side() + " " + (long) f.quantity()).containsExactly("BUY 100", "SELL 100", "BUY 100");
    assertThat(rec.breakerStates).extracting(b -> b.state() + " " + b.reason())
        .containsExactly("HALTED MANUAL: operator says stop", "ACTIVE ");
    assertThat(rec.riskEvents).extracting(e -> e.kind() + " " + e.code()).containsSubsequence("BREAKER_TRIP MANUAL",
        "BREAKER_RESET MANUAL");
    assertThat(sys.circuitBreaker().state()).isEqualTo(TradingState.ACTIVE);
  }

  @Test
  void theTripLogsTheSeedsLineExactly() {
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    AtomicReference<TradingSystem> ref = new AtomicReference<>();
    Probe p = new Probe().at(1, (ctx, q) -> ref.get().circuitBreaker().trip("operator says stop"));
    TradingSystem sys = replay(quotes(T0, 100, 100), p, new Recorder(), RiskLimits.NONE).build();
    ref.set(sys);
    System.setErr(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      sys.run();
    } finally {
      System.setErr(err);
    }
    // slf4j-simple (the test binding) writes to System.err
    assertThat(buf.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("CIRCUIT BREAKER ACTIVATED - Trading halted reason=MANUAL: operator says stop");
  }

  @Test
  void aResetDoesNotClearAHaltThatCameBeforeTheTrip() {
    AtomicReference<TradingSystem> ref = new AtomicReference<>();
    Probe healthy = new Probe();
    healthy.at(3, (ctx, q) -> ref.get().circuitBreaker().trip("operator"));
    healthy.at(4, (ctx, q) -> ref.get().circuitBreaker().reset("operator done"));
    Probe failing = new Probe().at(2, (ctx, q) -> {
      throw new IllegalStateException("bug");
    });
    Recorder rec = new Recorder();
    TradingSystem sys = replay(quotes(T0, 100, 100, 100, 100, 100), healthy, rec, RiskLimits.NONE).strategy(failing)
        .build();
    ref.set(sys);
    sys.run();
    // the failing strategy halts trading on quote 2 (after the healthy one saw it); trip on 3, reset on 4
    assertThat(healthy.stateAtQuote).containsExactly(TradingState.ACTIVE, TradingState.ACTIVE, TradingState.HALTED,
        TradingState.HALTED, TradingState.HALTED);
    assertThat(healthy.stateChanges.get(healthy.stateChanges.size() - 1)).startsWith("HALTED strategy Probe threw");
    assertThat(sys.status().tradingStateReason()).startsWith("strategy Probe threw in onQuote");
    assertThat(sys.circuitBreaker().state()).isEqualTo(TradingState.ACTIVE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // tripped on trading day D (evening of D-1 counts toward D); the roll is 17:00 New York on D
      "spring forward (EST to EDT), 2024-03-09T23:30:00Z, 2024-03-10T20:59:59Z, 2024-03-10T21:00:01Z, 2024-03-10",
      "fall back (EDT to EST), 2024-11-02T21:30:00Z, 2024-11-03T21:59:59Z, 2024-11-03T22:00:01Z, 2024-11-03"})
  void theDayRollResetsTheBreakerAcrossDaylightSavingChanges(String name, Instant trip, Instant beforeRoll,
      Instant afterRoll, LocalDate day) {
    AtomicReference<TradingSystem> ref = new AtomicReference<>();
    Probe p = new Probe();
    p.at(1, (ctx, q) -> ref.get().circuitBreaker().trip("test"));
    Recorder rec = new Recorder();
    List<Quote> data = List.of(new Quote(ID, trip, 100, 100, 0, 0), new Quote(ID, beforeRoll, 100, 100, 0, 0),
        new Quote(ID, afterRoll, 100, 100, 0, 0));
    TradingSystem sys = replay(data, p, rec, RiskLimits.NONE).build();
    ref.set(sys);
    sys.run();
    assertThat(TradingCalendar.DEFAULT.tradingDay(trip)).isEqualTo(day);
    // quote 1 is seen ACTIVE, then tripped in its callback
    assertThat(p.stateAtQuote).containsExactly(TradingState.ACTIVE, TradingState.HALTED, TradingState.ACTIVE);
    assertThat(rec.breakerStates).extracting(b -> b.tradingDay() + " " + b.state())
        .containsExactly(day + " HALTED", day.plusDays(1) + " ACTIVE");
    assertThat(rec.breakerStates.get(1).since()).isEqualTo(TradingCalendar.DEFAULT.endOf(day));
    assertThat(p.stateChanges.get(1)).startsWith("ACTIVE trading day rolled to " + day.plusDays(1));
  }

  @Test
  void aRestartOnTheSameTradingDayStaysHaltedAndALaterDayStartsActive() {
    AtomicReference<TradingSystem> ref = new AtomicReference<>();
    Probe first = new Probe();
    first.at(2, (ctx, q) -> ref.get().circuitBreaker().trip("first run"));
    Recorder rec1 = new Recorder();
    TradingSystem sys1 = replay(quotes(T0, 100, 100, 100), first, rec1, RiskLimits.NONE).build();
    ref.set(sys1);
    sys1.run();
    BreakerState persisted = rec1.recoverBreaker;
    assertThat(persisted.state()).isEqualTo(TradingState.HALTED);

    // same trading day, later: comes back HALTED and says so
    Recorder rec2 = new Recorder();
    rec2.recoverBreaker = persisted;
    Probe second = new Probe();
    second.onStart = (ctx, v) -> ctx.submit(OrderRequest.market(ID, Side.BUY, 10));
    second.everyQuote = (ctx, q) -> ctx.targetPosition(ID, 100);
    TradingSystem sys2 = replay(quotes(T0.plusSeconds(3600), 100, 100), second, rec2, RiskLimits.NONE).build();
    sys2.run();
    assertThat(second.stateAtStart).isEqualTo(TradingState.HALTED);
    assertThat(second.stateAtQuote).containsOnly(TradingState.HALTED);
    assertThat(second.denials).singleElement().satisfies(d -> assertThat(d.code()).isEqualTo("TRADING_HALTED"));
    assertThat(second.fills).isEmpty();
    assertThat(sys2.status().tradingStateReason()).isEqualTo("MANUAL: first run");
    assertThat(sys2.circuitBreaker().isTripped()).isTrue();
    assertThat(rec2.alerts).anySatisfy(a -> {
      assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(a.title()).isEqualTo("Circuit breaker still active after restart");
    });

    // the next trading day: the roll cleared it
    Recorder rec3 = new Recorder();
    rec3.recoverBreaker = persisted;
    Probe third = new Probe();
    third.everyQuote = (ctx, q) -> ctx.targetPosition(ID, 100);
    TradingSystem sys3 = replay(quotes(T0.plusSeconds(86_400), 100, 100), third, rec3, RiskLimits.NONE).build();
    sys3.run();
    assertThat(third.stateAtStart).isEqualTo(TradingState.ACTIVE);
    assertThat(third.fills).hasSize(1);
    assertThat(rec3.riskEvents).anySatisfy(e -> assertThat(e.kind() + " " + e.code()).isEqualTo("BREAKER_RESET DAY_ROLL"));
    assertThat(rec3.breakerStates).singleElement().satisfies(b -> {
      assertThat(b.state()).isEqualTo(TradingState.ACTIVE);
      assertThat(b.tradingDay()).isEqualTo(LocalDate.of(2024, 1, 3));
    });
  }

  @Test
  void aKillSwitchHaltIsNotRestoredOnceTheFileIsGone() {
    Recorder rec = new Recorder();
    rec.recoverBreaker = new BreakerState(LocalDate.of(2024, 1, 2), TradingState.HALTED,
        "KILL_SWITCH: file=/tmp/STOP flatten=false", T0.minusSeconds(60));
    Probe p = new Probe();
    TradingSystem sys = replay(quotes(T0, 100), p, rec, RiskLimits.NONE).build();
    sys.run();
    assertThat(p.stateAtStart).isEqualTo(TradingState.ACTIVE);
    assertThat(rec.riskEvents).anySatisfy(e -> assertThat(e.kind() + " " + e.code()).isEqualTo("BREAKER_RESET KILL_SWITCH"));
  }

  // ---------------------------------------------------------------- live guard

  /** A paper broker that claims whatever account mode the test sets. */
  static class ModeBroker implements Broker, SimulatedVenue {
    final PaperBroker paper = paper();
    volatile AccountMode mode;

    ModeBroker(AccountMode mode) {
      this.mode = mode;
    }

    @Override
    public AccountMode accountMode() {
      return mode;
    }

    @Override
    public void bind(Clock clock, TradingCalendar calendar, Collection<Instrument> instruments) {
      paper.bind(clock, calendar, instruments);
    }

    @Override
    public void onMarketData(MarketData data) {
      paper.onMarketData(data);
    }

    @Override
    public void onTime(Instant now) {
      paper.onTime(now);
    }

    @Override
    public Instant nextWakeup() {
      return paper.nextWakeup();
    }

    @Override
    public void connect(BrokerListener listener) {
      paper.connect(listener);
    }

    @Override
    public void submit(ClientOrderId id, OrderRequest request) {
      paper.submit(id, request);
    }

    @Override
    public void cancel(ClientOrderId id) {
      paper.cancel(id);
    }

    @Override
    public void cancelAll() {
      paper.cancelAll();
    }

    @Override
    public void requestPositions() {
      paper.requestPositions();
    }

    @Override
    public void requestOpenOrders() {
      paper.requestOpenOrders();
    }

    @Override
    public void requestAccount() {
      paper.requestAccount();
    }

    @Override
    public void close() {
      paper.close();
    }
  }

  @Test
  void aLiveAccountIsRefusedAtStartUnlessSwitchedOnTwice() {
    Probe p = new Probe();
    List<Quote> data = quotes(T0, 100, 100);
    assertThatThrownBy(() -> replay(data, p, new Recorder(), RiskLimits.NONE).broker(new ModeBroker(AccountMode.LIVE))
        .environment(Map.of()).build().run())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("live trading refused")
        .hasMessageContaining("allowLiveTrading(true)").hasMessageContaining("ALGOTRADE_LIVE=yes");
    assertThatThrownBy(() -> replay(data, p, new Recorder(), RiskLimits.NONE).broker(new ModeBroker(AccountMode.LIVE))
        .allowLiveTrading(true).environment(Map.of()).build().run()).isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> replay(data, p, new Recorder(), RiskLimits.NONE).broker(new ModeBroker(AccountMode.LIVE))
        .environment(Map.of("ALGOTRADE_LIVE", "yes")).build().run()).isInstanceOf(ConfigurationException.class);
    assertThat(p.quotes).isZero();
    RunSummary s = replay(data, p, new Recorder(), RiskLimits.NONE).broker(new ModeBroker(AccountMode.LIVE))
        .allowLiveTrading(true).environment(Map.of("ALGOTRADE_LIVE", "yes")).build().run();
    assertThat(s.marketEvents()).isEqualTo(2);
  }

  @Test
  void anUnknownAccountHoldsTradingAndIsRefusedOnceTheConnectedBrokerStillCannotSay() {
    Probe p = new Probe();
    p.onStart = (ctx, v) -> ctx.submit(OrderRequest.market(ID, Side.BUY, 10));
    Recorder rec = new Recorder();
    TradingSystem sys = replay(quotes(T0, 100, 100), p, rec, RiskLimits.NONE).broker(new ModeBroker(AccountMode.UNKNOWN))
        .environment(Map.of()).build();
    sys.run();
    assertThat(p.stateAtStart).isEqualTo(TradingState.HALTED);
    assertThat(p.denials).singleElement().satisfies(d -> assertThat(d.code()).isEqualTo("TRADING_HALTED"));
    assertThat(p.quotes).as("stopped before the first quote").isZero();
    assertThat(sys.status().tradingStateReason()).startsWith("LIVE_ACCOUNT_REFUSED: broker=ModeBroker accountMode=UNKNOWN");
    assertThat(rec.fills).isEmpty();
  }

  @Test
  void anUnknownAccountThatTurnsOutPaperOnceConnectedIsReleased() {
    // like IB: connect() returns at once, the account id arrives with the CONNECTED status later
    ModeBroker broker = new ModeBroker(AccountMode.UNKNOWN) {
      BrokerListener engine;
      boolean connecting;

      @Override
      public void connect(BrokerListener listener) {
        engine = listener;
        connecting = true;
        paper.connect(new BrokerListener() {
          @Override
          public void onOrderEvent(dev.algotrade.api.order.OrderEvent event) {
            listener.onOrderEvent(event);
          }

          @Override
          public void onPositions(dev.algotrade.api.broker.PositionsReport report) {
            listener.onPositions(report);
          }

          @Override
          public void onOpenOrders(dev.algotrade.api.broker.OpenOrdersReport report) {
            listener.onOpenOrders(report);
          }

          @Override
          public void onAccount(dev.algotrade.api.portfolio.AccountState account) {
            if (!connecting) {
              listener.onAccount(account);
            }
          }

          @Override
          public void onStatus(dev.algotrade.api.broker.BrokerStatus status) {
            if (!connecting) {
              listener.onStatus(status);
            }
          }
        });
      }

      @Override
      public void onMarketData(MarketData data) {
        if (connecting) {
          connecting = false;
          mode = AccountMode.PAPER;
          engine.onStatus(new dev.algotrade.api.broker.BrokerStatus("ModeBroker",
              dev.algotrade.api.broker.ConnectionState.CONNECTED, "account DU123", data.time()));
        }
        super.onMarketData(data);
      }
    };
    Probe p = new Probe();
    p.onStart = (ctx, v) -> ctx.submit(OrderRequest.market(ID, Side.BUY, 10));
    p.at(2, (ctx, q) -> ctx.targetPosition(ID, 10));
    TradingSystem sys = replay(quotes(T0, 100, 100, 100), p, new Recorder(), RiskLimits.NONE).broker(broker)
        .environment(Map.of()).build();
    sys.run();
    assertThat(p.stateAtStart).isEqualTo(TradingState.HALTED);
    assertThat(p.denials).singleElement().satisfies(d -> assertThat(d.details()).contains("LIVE_GUARD"));
    assertThat(p.stateChanges).anySatisfy(c -> assertThat(c).startsWith("ACTIVE broker").endsWith("reports a paper account"));
    assertThat(sys.status().tradingState()).isEqualTo(TradingState.ACTIVE);
    assertThat(sys.status().positions()).hasSize(1);
  }

  @Test
  void aBrokerThatRevealsALiveAccountMidRunHaltsAndStopsTheSystem() {
    ModeBroker broker = new ModeBroker(AccountMode.PAPER);
    Probe p = new Probe();
    p.at(1, (ctx, q) -> ctx.targetPosition(ID, 10));
    p.at(2, (ctx, q) -> {
      broker.mode = AccountMode.LIVE; // e.g. an account summary names a live account
      broker.requestAccount();
    });
    Recorder rec = new Recorder();
    TradingSystem sys = replay(quotes(T0, 100, 100, 100, 100, 100), p, rec, RiskLimits.NONE).broker(broker)
        .environment(Map.of()).build();
    sys.run();
    assertThat(p.quotes).isEqualTo(2);
    assertThat(sys.status().tradingState()).isEqualTo(TradingState.HALTED);
    assertThat(sys.status().tradingStateReason()).startsWith("LIVE_ACCOUNT_REFUSED");
    assertThat(rec.alerts).anySatisfy(a -> assertThat(a.title()).isEqualTo("Live trading refused"));
    assertThat(sys.status().positions()).as("a refused live account is not traded, not even to flatten").hasSize(1);
  }
}
