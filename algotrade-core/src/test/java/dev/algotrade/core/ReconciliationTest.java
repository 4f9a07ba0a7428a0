package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.BrokerListener;
import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.broker.OpenOrdersReport;
import dev.algotrade.api.broker.PositionsReport;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.BrokerOrderId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.store.RecoveryState;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.config.Settings;
import dev.algotrade.core.internal.Engine;
import dev.algotrade.core.monitor.HealthMonitorConfig;
import dev.algotrade.core.paper.SimulatedVenue;
import dev.algotrade.core.time.TradingCalendar;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation against a fake broker whose positions and open orders the test chooses, in
 * replay mode so the engine clock (and with it the reconciliation timer and the confirmation
 * delay) moves with the data: at start, after a reconnect, on the timer; orders missing at the
 * broker, foreign orders, adopted orders with history, replayed executions, position mismatches.
 */
class ReconciliationTest {
  private static final Instrument AAPL = Instrument.stock("AAPL");
  private static final InstrumentId ID = AAPL.id();
  private static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");
  /** An id in the engine's own format, as an earlier run of this system made it. */
  private static final ClientOrderId EARLIER = ClientOrderId.of("O20240102T130000-7");

  /** A broker whose reports the test sets, with a script keyed by quote number (1-based). */
  static final class FakeBroker implements Broker, SimulatedVenue {
    final Map<Integer, Consumer<FakeBroker>> script = new TreeMap<>();
    final List<Position> positions = new ArrayList<>();
    final List<Order> open = new ArrayList<>();
    final List<ClientOrderId> submitted = new ArrayList<>();
    final List<Instant> positionRequests = new ArrayList<>();
    final List<Instant> openOrderRequests = new ArrayList<>();
    /** Whether an accepted order is listed among the open orders. */
    boolean listAccepted = true;
    /** Whether open-orders reports wait for {@link #deliverHeld()} (made at request time). */
    boolean holdOpenOrders;
    final List<OpenOrdersReport> held = new ArrayList<>();
    BrokerListener listener;
    Clock clock;
    int quotes;
    long brokerIds = 100;

    @Override
    public void bind(Clock c, TradingCalendar cal, Collection<Instrument> instruments) {
      this.clock = c;
    }

    @Override
    public AccountMode accountMode() {
      return AccountMode.PAPER;
    }

    @Override
    public void onMarketData(MarketData data) {
      Consumer<FakeBroker> step = script.get(++quotes);
      if (step != null) {
        step.accept(this);
      }
    }

    @Override
    public void onTime(Instant now) {}

    @Override
    public Instant nextWakeup() {
      return null;
    }

    @Override
    public void connect(BrokerListener l) {
      this.listener = l;
      status(ConnectionState.CONNECTED, "fake");
    }

    @Override
    public void submit(ClientOrderId id, OrderRequest request) {
      submitted.add(id);
      BrokerOrderId bid = BrokerOrderId.of(brokerIds++);
      listener.onOrderEvent(new OrderAccepted(id, bid, clock.now()));
      if (listAccepted) {
        open.add(new Order(id, bid, request, OrderStatus.ACCEPTED, 0, Double.NaN, clock.now(), clock.now(), ""));
      }
    }

    @Override
    public void cancel(ClientOrderId id) {}

    @Override
    public void cancelAll() {}

    @Override
    public void requestPositions() {
      positionRequests.add(clock.now());
      listener.onPositions(new PositionsReport(positions, clock.now()));
    }

    @Override
    public void requestOpenOrders() {
      openOrderRequests.add(clock.now());
      OpenOrdersReport r = new OpenOrdersReport(open, clock.now());
      if (holdOpenOrders) {
        held.add(r);
      } else {
        listener.onOpenOrders(r);
      }
    }

    void deliverHeld() {
      for (OpenOrdersReport r : held) {
        listener.onOpenOrders(r);
      }
      held.clear();
    }

    @Override
    public void requestAccount() {}

    @Override
    public void close() {}

    void status(ConnectionState s, String detail) {
      listener.onStatus(new BrokerStatus("fake", s, detail, clock.now()));
    }

    void fill(ClientOrderId id, String exec, Side side, double qty, double px, Instant at) {
      listener.onOrderEvent(new OrderFilled(new Fill(id, exec, ID, side, qty, px, 1.0, at)));
    }

    void position(double qty, double avg) {
      positions.clear();
      if (qty != 0) {
        positions.add(new Position(ID, qty, avg));
      }
    }
  }

  /** Submits one BUY LIMIT at a chosen quote and records its order updates and status per quote. */
  static final class OneOrder implements Strategy {
    final int atQuote;
    final List<String> updates = new ArrayList<>();
    final Map<Integer, OrderStatus> statusAt = new TreeMap<>();
    ClientOrderId id;
    int quotes;

    OneOrder(int atQuote) {
      this.atQuote = atQuote;
    }

    @Override
    public void onQuote(StrategyContext ctx, Quote q) {
      if (++quotes == atQuote) {
        id = ctx.submit(OrderRequest.limit(ID, Side.BUY, 10, 90));
      }
      if (id != null) {
        statusAt.put(quotes, ctx.order(id).status());
      }
    }

    @Override
    public void onOrderUpdate(StrategyContext ctx, Order order, OrderEvent event) {
      String reason = event instanceof OrderCancelled ? ":" + ((OrderCancelled) event).reason() : "";
      updates.add(event.getClass().getSimpleName() + ":" + order.status() + reason);
    }
  }

  /** Quotes every {@code stepSeconds} from T0, {@code n} of them. */
  private static ListFeed quotes(int n, int stepSeconds) {
    List<Quote> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Quote(ID, T0.plusSeconds((long) i * stepSeconds), 99.99, 100.01, 1000, 1000));
    }
    return new ListFeed(out);
  }

  private static TradingSystem.Builder system(FakeBroker b, Strategy s, Recorder rec, ListFeed feed) {
    return TradingSystem.builder().replay().instrument(AAPL).killSwitchFile(null).broker(b).strategy(s)
        .alerter(rec).store(rec).feed(feed);
  }

  /** The text of the one breaker-trip alert. */
  private static String tripText(Recorder rec) {
    return rec.alerts.stream().filter(a -> a.title().equals("Circuit breaker tripped")).map(Alert::text)
        .reduce((a, b) -> {
          throw new AssertionError("more than one trip alert: " + a + " / " + b);
        }).orElseThrow();
  }

  private static List<String> titles(Recorder rec) {
    return rec.alerts.stream().map(Alert::title).toList();
  }

  private static List<String> riskCodes(Recorder rec) {
    return rec.riskEvents.stream().map(e -> e.kind() + "/" + e.code()).toList();
  }

  private static double position(TradingSystem sys) {
    return sys.engine().portfolio().position(ID);
  }

  // ---------------------------------------------------------------- timer, settings

  @Test
  void theTimerAsksOnTheEngineClockOnlyWhileConnectedAndAReconnectAsksAtOnce() {
    FakeBroker b = new FakeBroker();
    // quotes every 10 s for 290 s; timer every 60 s
    b.script.put(8, x -> x.status(ConnectionState.DISCONNECTED, "socket closed"));      // t=70
    b.script.put(12, x -> x.status(ConnectionState.DEGRADED, "code=1100"));             // t=110
    b.script.put(20, x -> x.status(ConnectionState.CONNECTED, "code=1102"));            // t=190
    Recorder rec = new Recorder();
    TradingSystem sys = system(b, new Strategy() {}, rec, quotes(30, 10))
        .reconciliationInterval(Duration.ofMinutes(1)).build();
    sys.run();
    // start, the timer at 60 s, (120 s and 180 s skipped: down), the reconnect at 190 s, the timer at 240 s
    assertThat(b.positionRequests).containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(190), T0.plusSeconds(240));
    assertThat(b.openOrderRequests).isEqualTo(b.positionRequests);
  }

  @Test
  void aReplayHasNoTimerUnlessOneIsSet() {
    FakeBroker b = new FakeBroker();
    TradingSystem sys = system(b, new Strategy() {}, new Recorder(), quotes(30, 60)).build();
    sys.run();
    assertThat(b.positionRequests).containsExactly(T0);
  }

  @Test
  void settingsAreValidatedAndNameTheBadValue() {
    TradingSystem.Builder builder = TradingSystem.builder();
    assertThatThrownBy(() -> builder.reconciliationInterval(Duration.ofMillis(500)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("reconciliationInterval must be 0 (off) or at least 1s, was PT0.5S");
    assertThatThrownBy(() -> builder.reconciliationInterval(Duration.ofSeconds(-5)))
        .hasMessageContaining("reconciliationInterval").hasMessageContaining("PT-5S");
    assertThatThrownBy(() -> builder.reconciliationInterval(null)).hasMessageContaining("reconciliationInterval");
    assertThatThrownBy(() -> builder.reconciliationConfirmDelay(Duration.ofHours(2)))
        .hasMessage("reconciliationConfirmDelay must be between 0 and 1h, was PT2H");
    assertThatThrownBy(() -> builder.reconciliation(Settings.of(Map.of("RECONCILIATION_POLICY", "maybe"))))
        .hasMessage("RECONCILIATION_POLICY must be adopt or halt, was 'maybe'");
    assertThatThrownBy(() -> builder.reconciliation(Settings.of(Map.of("RECONCILIATION_INTERVAL", "100ms"))))
        .hasMessage("RECONCILIATION_INTERVAL must be 0s (off) or at least 1s, was '100ms'");
    assertThatThrownBy(() -> builder.reconciliation(Settings.of(Map.of("RECONCILIATION_INTERVAL", "often"))))
        .hasMessageContaining("RECONCILIATION_INTERVAL").hasMessageContaining("'often'");
    assertThatThrownBy(() -> builder.reconciliation(Settings.of(Map.of("RECONCILIATION_CONFIRM_DELAY", "2h"))))
        .hasMessage("RECONCILIATION_CONFIRM_DELAY must be between 0s and 1h, was '2h'");
    // unset keys leave the defaults; zero switches the timer off
    builder.reconciliation(Settings.of(Map.of())).reconciliationInterval(Duration.ZERO);
  }

  @Test
  void theRepositorysEnvExampleHasTheKeysAndTheirValuesLoad() throws Exception {
    java.nio.file.Path example = java.nio.file.Path.of("..", ".env.example");
    String text = java.nio.file.Files.readString(example);
    for (String key : new String[] {TradingSystem.RECONCILIATION_POLICY, TradingSystem.RECONCILIATION_INTERVAL,
        TradingSystem.RECONCILIATION_CONFIRM_DELAY}) {
      assertThat(text).as(key).containsPattern("(?m)^" + key + "=");
    }
    Settings s = Settings.load(example, Map.of());
    assertThat(s.getDuration(TradingSystem.RECONCILIATION_INTERVAL, null))
        .isEqualTo(TradingSystem.DEFAULT_RECONCILIATION_INTERVAL);
    assertThat(s.getDuration(TradingSystem.RECONCILIATION_CONFIRM_DELAY, null)).isEqualTo(Engine.DEFAULT_CONFIRM_DELAY);
    TradingSystem.builder().reconciliation(s); // every value valid
  }

  @Test
  void settingsFromTheEnvironmentDriveTheTimerAndThePolicy() {
    FakeBroker b = new FakeBroker();
    b.position(25, 99.5); // a real difference: halts under "halt"
    Recorder rec = new Recorder();
    TradingSystem sys = system(b, new Strategy() {}, rec, quotes(9, 10))
        .reconciliation(Settings.of(Map.of("RECONCILIATION_POLICY", "Halt", "RECONCILIATION_INTERVAL", "30s",
            "RECONCILIATION_CONFIRM_DELAY", "20s")))
        .build();
    sys.run();
    // start; the confirmation at 20 s (positions only); the timer at 30 s and 60 s
    assertThat(b.positionRequests).containsExactly(T0, T0.plusSeconds(20), T0.plusSeconds(30), T0.plusSeconds(60));
    assertThat(b.openOrderRequests).containsExactly(T0, T0.plusSeconds(30), T0.plusSeconds(60));
    assertThat(sys.engine().tradingState()).isEqualTo(TradingState.HALTED);
    assertThat(position(sys)).isZero();
  }

  // ---------------------------------------------------------------- orders missing at the broker

  @Test
  void anOrderMissingFromTwoReportsIsClosedHereUnderAdopt() {
    FakeBroker b = new FakeBroker();
    b.listAccepted = false; // the broker accepts it, then loses it
    OneOrder s = new OneOrder(2); // t=10
    Recorder rec = new Recorder();
    TradingSystem sys = system(b, s, rec, quotes(15, 10)).reconciliationInterval(Duration.ofMinutes(1)).build();
    sys.run();
    // the timer at 60 s: first absence, logged only; at 120 s: closed
    assertThat(s.statusAt.get(7)).isEqualTo(OrderStatus.ACCEPTED);   // t=60
    assertThat(s.statusAt.get(12)).isEqualTo(OrderStatus.ACCEPTED);  // t=110
    assertThat(s.statusAt.get(13)).isEqualTo(OrderStatus.CANCELLED); // t=120
    Order o = sys.engine().order(s.id);
    assertThat(o.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(o.reason()).isEqualTo(Engine.NOT_OPEN_AT_BROKER);
    assertThat(s.updates).containsExactly("OrderSubmitted:PENDING_SUBMIT", "OrderAccepted:ACCEPTED",
        "OrderCancelled:CANCELLED:not open at broker (reconciliation)");
    assertThat(sys.engine().workingOrders()).isEmpty();
    assertThat(riskCodes(rec)).containsExactly("RECONCILIATION/ORDER_MISSING");
    assertThat(rec.riskEvents.get(0).details()).contains("clientOrderId=" + s.id, "absentReports=2",
        "policy=ADOPT_BROKER");
    assertThat(titles(rec)).containsExactly("Order not open at broker");
    assertThat(rec.orderEvents).anySatisfy(e -> assertThat(e).isInstanceOf(OrderCancelled.class));
    assertThat(sys.engine().tradingState()).isEqualTo(TradingState.ACTIVE);
  }

  @Test
  void anOrderMissingFromTwoReportsHaltsUnderHaltAndIsAlertedOnce() {
    FakeBroker b = new FakeBroker();
    b.listAccepted = false;
    OneOrder s = new OneOrder(2);
    Recorder rec = new Recorder();
    TradingSystem sys = system(b, s, rec, quotes(30, 10)).reconciliationInterval(Duration.ofMinutes(1))
        .reconciliationPolicy(ReconciliationPolicy.HALT).build();
    sys.run();
    assertThat(sys.engine().tradingState()).isEqualTo(TradingState.HALTED);
    assertThat(sys.engine().tradingStateReason()).isEqualTo("ORDER_MISSING: clientOrderId=" + s.id);
    assertThat(sys.engine().order(s.id).status()).isEqualTo(OrderStatus.ACCEPTED); // left for a human
    assertThat(titles(rec)).containsExactly("Order not open at broker"); // reports at 180 s, 240 s: no repeat
    assertThat(riskCodes(rec)).containsExactly("RECONCILIATION/ORDER_MISSING");
  }

  @Test
  void reportsRequestedBeforeAnOrderWasSentDoNotCountItAsMissing() {
    FakeBroker b = new FakeBroker();
    b.holdOpenOrders = true;
    OneOrder s = new OneOrder(8); // t=70, after both requests below
    b.script.put(7, x -> {                                   // t=60, after the timer's request
      x.status(ConnectionState.DISCONNECTED, "blip");
      x.status(ConnectionState.CONNECTED, "back");          // a second request
    });
    b.script.put(9, FakeBroker::deliverHeld);                // t=80: two reports without the order
    Recorder rec = new Recorder();
    TradingSystem sys = system(b, s, rec, quotes(12, 10)).reconciliationInterval(Duration.ofMinutes(1)).build();
    sys.run();
    assertThat(b.openOrderRequests).containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(60));
    assertThat(sys.engine().order(s.id).status()).isEqualTo(OrderStatus.ACCEPTED);
    assertThat(sys.engine().counters().ordersMissingAtBroker).isZero();
    assertThat(rec.alerts).isEmpty();
  }

  // ---------------------------------------------------------------- foreign orders

  private static Order foreign(ClientOrderId ref, long brokerId) {
    return new Order(ref, BrokerOrderId.of(brokerId), OrderRequest.limit(ID, Side.SELL, 5, 120),
        OrderStatus.ACCEPTED, 0, Double.NaN, T0.minusSeconds(3600), T0.minusSeconds(3600), "");
  }

  @Test
  void foreignOrdersAreReportedOnceAndNotManagedUnderAdopt() {
    FakeBroker b = new FakeBroker();
    b.open.add(foreign(null, 777));
    b.open.add(foreign(ClientOrderId.of("manual-1"), 778)); // an orderRef, but not one of ours
    Recorder rec = new Recorder();
    TradingSystem sys = system(b, new Strategy() {}, rec, quotes(20, 10))
        .reconciliationInterval(Duration.ofMinutes(1)).build();
    sys.run();
    assertThat(titles(rec)).containsExactly("Unknown order at broker", "Unknown order at broker");
    assertThat(riskCodes(rec)).containsExactly("RECONCILIATION/UNKNOWN_ORDER", "RECONCILIATION/UNKNOWN_ORDER");
    assertThat(rec.riskEvents.get(0).details()).contains("brokerOrderId=777", "SELL 5 AAPL LIMIT limit=120", "policy=ADOPT_BROKER");
    assertThat(sys.engine().workingOrders()).isEmpty();
    assertThat(sys.engine().allOrders()).isEmpty();
    assertThat(sys.engine().tradingState()).isEqualTo(TradingState.ACTIVE);
    assertThat(sys.engine().counters().unknownOrdersAtBroker).isEqualTo(2);
  }

  @Test
  void aForeignOrderHaltsUnderHalt() {
    FakeBroker b = new FakeBroker();
    b.open.add(foreign(null, 777));
    Recorder rec = new Recorder();
    TradingSystem sys = system(b, new Strategy() {}, rec, quotes(3, 10))
        .reconciliationPolicy(ReconciliationPolicy.HALT).build();
    sys.run();
    assertThat(sys.engine().tradingState()).isEqualTo(TradingState.HALTED);
    assertThat(sys.engine().tradingStateReason()).isEqualTo("UNKNOWN_ORDER: brokerOrderId=777");
    assertThat(titles(rec)).containsExactly("Unknown order at broker");
  }

  // ---------------------------------------------------------------- adoption with history, replayed executions

  @Test
  void anAdoptedOrderKeepsItsHistoryAndItsFillsAreBookedOnce() {
    FakeBroker b = new FakeBroker();
    OrderRequest req = OrderRequest.limit(ID, Side.BUY, 100, 99);
    Instant placed = T0.minusSeconds(3600);
    b.open.add(new Order(EARLIER, BrokerOrderId.of(55), req, OrderStatus.PARTIALLY_FILLED, 40, 99, placed, placed, ""));
    b.position(40, 99);
    // the broker replays the execution of the 40 (before the adoption), then a new one fills the rest
    b.script.put(2, x -> x.fill(EARLIER, "E1", Side.BUY, 40, 99, placed.plusSeconds(60)));
    b.script.put(3, x -> {
      x.fill(EARLIER, "E1", Side.BUY, 40, 99, placed.plusSeconds(60)); // the adapter re-sends it
      x.fill(EARLIER, "E2", Side.BUY, 60, 98.5, x.clock.now());
      x.position(100, 98.7);
    });
    Recorder rec = new Recorder();
    TradingSystem sys = system(b, new Strategy() {}, rec, quotes(20, 1)).build();
    sys.run();
    Order o = sys.engine().order(EARLIER);
    assertThat(o.status()).isEqualTo(OrderStatus.FILLED);
    assertThat(o.filledQuantity()).isEqualTo(100);
    assertThat(o.brokerOrderId()).isEqualTo(BrokerOrderId.of(55));
    assertThat(o.averageFillPrice()).isCloseTo(98.7, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(position(sys)).isEqualTo(100);
    assertThat(sys.engine().counters().adoptedHistoryFills).isEqualTo(1);
    assertThat(sys.engine().counters().duplicateFills).isEqualTo(1);
    assertThat(rec.fills).extracting(Fill::executionId).containsExactly("E1", "E2");
    // the start report's difference (the 40 not booked yet) was gone by the confirmation
    assertThat(rec.alerts).isEmpty();
    assertThat(sys.engine().counters().reconciliationMismatchesUnconfirmed).isEqualTo(1);
    assertThat(sys.engine().counters().reconciliationMismatches).isZero();
  }

  @Test
  void afterARestartFillsTheStoreBookedAreNotBookedAgainAndMissedOnesAreBookedOnce() {
    FakeBroker b = new FakeBroker();
    OrderRequest req = OrderRequest.limit(ID, Side.BUY, 100, 99);
    Instant placed = T0.minusSeconds(3600);
    Order stored = new Order(EARLIER, BrokerOrderId.of(55), req, OrderStatus.PARTIALLY_FILLED, 40, 99, placed,
        placed, "");
    Recorder store = new Recorder();
    store.recovery = new RecoveryState(T0.atZone(java.time.ZoneOffset.UTC).toLocalDate(), 0, Double.NaN, Double.NaN,
        null, List.of(stored), List.of(new Position(ID, 40, 99)), 8, Set.of("E1"));
    // while the process was down the order filled 30 more (E2); it is still open at the broker
    b.open.add(new Order(EARLIER, BrokerOrderId.of(55), req, OrderStatus.PARTIALLY_FILLED, 70, 99, placed,
        T0, ""));
    b.position(70, 99);
    b.script.put(2, x -> {
      x.fill(EARLIER, "E1", Side.BUY, 40, 99, placed.plusSeconds(60)); // booked before the restart
      x.fill(EARLIER, "E2", Side.BUY, 30, 99, placed.plusSeconds(120)); // missed: booked now, once
    });
    b.script.put(4, x -> {
      x.fill(EARLIER, "E3", Side.BUY, 30, 99, x.clock.now());
      x.position(100, 99);
    });
    TradingSystem sys = TradingSystem.builder().replay().instrument(AAPL).killSwitchFile(null).broker(b)
        .strategy(new Strategy() {}).alerter(store).store(store).feed(quotes(20, 1)).build();
    sys.run();
    assertThat(position(sys)).isEqualTo(100);
    Order o = sys.engine().order(EARLIER);
    assertThat(o.status()).isEqualTo(OrderStatus.FILLED);
    assertThat(o.filledQuantity()).isEqualTo(100);
    assertThat(sys.engine().counters().duplicateFills).isEqualTo(1);
    assertThat(store.fills).extracting(Fill::executionId).containsExactly("E2", "E3");
    assertThat(store.alerts).isEmpty();
  }

  // ---------------------------------------------------------------- position mismatches

  /**
   * A database written for another broker restores a short position the broker does not have;
   * marked at this market it trips the daily-loss breaker on the first quote. The breaker must
   * not flatten it (a BUY would open a real long at the broker): it holds the flatten back while
   * reconciliation confirms the difference, and after the broker's flat position is adopted there
   * is nothing left to flatten.
   */
  @Test
  void theBreakerDoesNotFlattenARestoredPositionTheBrokerDoesNotHave() {
    FakeBroker b = new FakeBroker(); // flat
    Recorder store = new Recorder();
    TradingSystem sys = restoredShortWithLossLimit(b, store);
    sys.run();
    assertThat(titles(store)).contains("Circuit breaker tripped", "Position mismatch");
    assertThat(tripText(store)).contains("NOT flattened yet: [" + ID + "]").doesNotContain("flattening");
    assertThat(b.submitted).isEmpty();
    assertThat(position(sys)).isZero(); // the broker's, adopted
    assertThat(sys.engine().tradingState()).isEqualTo(TradingState.HALTED); // the trip stands
  }

  /**
   * A system whose store restores short 100 at 50 (quotes are at 100: a 5,000 loss) under a daily
   * loss limit of 2,000, so the first quote trips the breaker.
   */
  private static TradingSystem restoredShortWithLossLimit(FakeBroker b, Recorder store) {
    store.recovery = new RecoveryState(T0.atZone(java.time.ZoneOffset.UTC).toLocalDate(), 0, Double.NaN, Double.NaN,
        null, List.of(), List.of(new Position(ID, -100, 50)), 1, Set.of());
    return TradingSystem.builder().replay().instrument(AAPL).killSwitchFile(null).broker(b)
        .strategy(new Strategy() {}).alerter(store).store(store).feed(quotes(30, 1))
        .riskLimits(dev.algotrade.core.risk.RiskLimits.builder().dailyLossLimit(2_000).build()).build();
  }

  /** The same restored position, confirmed by the broker: the breaker flattens it. */
  @Test
  void theBreakerFlattensARestoredPositionTheBrokerConfirms() {
    FakeBroker b = new FakeBroker();
    b.position(-100, 50);
    Recorder store = new Recorder();
    TradingSystem sys = restoredShortWithLossLimit(b, store);
    sys.run();
    assertThat(titles(store)).contains("Circuit breaker tripped").doesNotContain("Position mismatch");
    assertThat(tripText(store)).contains("(flattening with market orders)").doesNotContain("NOT flattened");
    assertThat(b.submitted).hasSize(1);
    assertThat(store.orderEvents).filteredOn(e -> e instanceof dev.algotrade.api.order.OrderSubmitted)
        .singleElement().satisfies(e -> assertThat(((dev.algotrade.api.order.OrderSubmitted) e).request().side())
            .isEqualTo(Side.BUY));
  }

  @Test
  void aMismatchFromAFillInFlightResolvesWithoutHaltingUnderHalt() {
    FakeBroker b = new FakeBroker();
    // the broker's position already has an execution whose fill reaches us 3 s later
    b.position(10, 100);
    b.script.put(4, x -> x.fill(null, "X1", Side.BUY, 10, 100, x.clock.now().minusSeconds(5)));
    Recorder rec = new Recorder();
    TradingSystem sys = system(b, new Strategy() {}, rec, quotes(30, 1))
        .reconciliationPolicy(ReconciliationPolicy.HALT).build();
    sys.run();
    assertThat(sys.engine().tradingState()).isEqualTo(TradingState.ACTIVE);
    assertThat(position(sys)).isEqualTo(10);
    assertThat(b.positionRequests).containsExactly(T0, T0.plusSeconds(10));
    assertThat(rec.alerts).isEmpty();
    assertThat(rec.riskEvents).isEmpty();
  }

  @Test
  void aMismatchThatPersistsHaltsOnceConfirmedAndIsAlertedOnce() {
    FakeBroker b = new FakeBroker();
    b.position(25, 99.5);
    Recorder rec = new Recorder();
    List<TradingState> states = new ArrayList<>();
    Strategy watcher = new Strategy() {
      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        states.add(ctx.tradingState());
      }
    };
    TradingSystem sys = system(b, watcher, rec, quotes(30, 5)).reconciliationInterval(Duration.ofMinutes(1))
        .reconciliationPolicy(ReconciliationPolicy.HALT).build();
    sys.run();
    assertThat(states.get(1)).isEqualTo(TradingState.ACTIVE);  // t=5: seen once, not yet acted on
    assertThat(states.get(2)).isEqualTo(TradingState.HALTED);  // t=10: confirmed
    assertThat(sys.engine().tradingStateReason()).isEqualTo("POSITION_MISMATCH: instrument=AAPL broker=25 ours=0");
    assertThat(position(sys)).isZero(); // HALT keeps our book
    assertThat(titles(rec)).containsExactly("Position mismatch"); // the timer's reports at 60 s, 120 s: no repeat
    assertThat(riskCodes(rec)).containsExactly("RECONCILIATION/POSITION_MISMATCH");
  }

  @Test
  void otherHoldingsOfTheAccountAreNotReconciled() {
    FakeBroker b = new FakeBroker();
    b.positions.add(new Position(InstrumentId.of("MSFT"), 50, 300));
    Recorder rec = new Recorder();
    TradingSystem sys = system(b, new Strategy() {}, rec, quotes(30, 1))
        .reconciliationPolicy(ReconciliationPolicy.HALT).build();
    sys.run();
    assertThat(sys.engine().tradingState()).isEqualTo(TradingState.ACTIVE);
    assertThat(rec.alerts).isEmpty();
    assertThat(sys.engine().counters().reconciliationMismatchesUnconfirmed).isZero();
  }

  @Test
  void aDifferenceThatChangesStartsItsConfirmationOver() {
    FakeBroker b = new FakeBroker();
    b.position(25, 99.5);
    b.script.put(6, x -> {                                    // t=5: the broker's position moved
      x.position(30, 99.6);
      x.status(ConnectionState.DISCONNECTED, "blip");
      x.status(ConnectionState.CONNECTED, "back");           // a report at once: 30, seen for the first time
    });
    Recorder rec = new Recorder();
    List<Double> positions = new ArrayList<>();
    Strategy watcher = new Strategy() {
      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        positions.add(ctx.position(ID));
      }
    };
    TradingSystem sys = system(b, watcher, rec, quotes(20, 1)).build();
    sys.run();
    // the confirmation asked at 10 s sees 30 since 5 s: not yet; the one at 15 s adopts it
    assertThat(b.positionRequests).containsExactly(T0, T0.plusSeconds(5), T0.plusSeconds(10), T0.plusSeconds(15));
    assertThat(positions.get(14)).isZero();
    assertThat(positions.get(15)).isEqualTo(30);
    assertThat(sys.status().positions()).containsExactly(new Position(ID, 30, 99.6));
    assertThat(titles(rec)).containsExactly("Position mismatch");
    assertThat(rec.alerts.get(0).text()).contains("instrument=AAPL broker=30 ours=0", "policy=ADOPT_BROKER");
  }

  // ---------------------------------------------------------------- connection events reach the monitor

  @Test
  void brokerOutagesReachTheHealthMonitorAndAReconnectReconciles() {
    FakeBroker b = new FakeBroker();
    b.script.put(11, x -> x.status(ConnectionState.DEGRADED, "code=1100"));   // t=10
    b.script.put(31, x -> x.status(ConnectionState.DEGRADED, "code=1100"));   // a repeat changes nothing
    b.script.put(61, x -> x.status(ConnectionState.CONNECTED, "code=1102"));  // t=60
    b.script.put(71, x -> x.status(ConnectionState.DISCONNECTED, "socket closed")); // t=70
    b.script.put(91, x -> x.status(ConnectionState.CONNECTED, "reconnected")); // t=90, 20 s: under the threshold
    Recorder rec = new Recorder();
    TradingSystem sys = system(b, new Strategy() {}, rec, quotes(120, 1))
        .healthMonitor(HealthMonitorConfig.builder().brokerDownAlertAfter(Duration.ofSeconds(30)).staleAfter(
            Duration.ofHours(1)).build())
        .build();
    sys.run();
    assertThat(titles(rec)).containsExactly("Broker connection lost", "Broker connection restored");
    assertThat(rec.alerts.get(0).text()).contains("downFor=30s", "state=DEGRADED code=1100");
    assertThat(rec.alerts.get(1).text()).contains("downFor=50s");
    // each way back from an outage asks for positions and open orders again
    assertThat(b.positionRequests).containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(90));
  }
}
