package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.BrokerListener;
import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.core.monitor.HealthMonitorConfig;
import dev.algotrade.core.time.SimulatedClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health monitor wired into a real system: the engine's observer calls and the timers. */
class HealthMonitorSystemTest {

  private static final Instrument AAPL = Instrument.stock("AAPL");
  private static final InstrumentId ID = AAPL.id();
  /** Tuesday 09:30 New York. */
  private static final Instant OPEN = Instant.parse("2024-01-02T14:30:00Z");
  /** Tuesday 20:00 New York. */
  private static final Instant NIGHT = Instant.parse("2024-01-03T01:00:00Z");

  @TempDir
  Path dir;

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(2);
    }
  }

  /** Ten quotes a second apart, a gap of {@code gap}, ten more. */
  private static List<Quote> withGap(Instant start, Duration gap) {
    List<Quote> q = new ArrayList<>(ListFeed.quotes(ID, start, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100));
    q.addAll(ListFeed.quotes(ID, start.plusSeconds(9).plus(gap), 100, 100, 100, 100, 100, 100, 100, 100, 100, 100));
    return q;
  }

  private static List<String> titles(Recorder rec) {
    return rec.alerts.stream().map(Alert::title).toList();
  }

  private RunSummary replay(Recorder rec, List<Quote> quotes, Strategy s, HealthMonitorConfig c) {
    TradingSystem.Builder b = TradingSystem.builder().replay().instrument(AAPL).feed(new ListFeed(quotes)).strategy(s)
        .alerter(rec).store(rec).killSwitchFile(null);
    if (c != null) {
      b.healthMonitor(c);
    }
    return b.build().run();
  }

  @Test
  void replayWithADataGapInSessionAlertsAndResumes() {
    Recorder rec = new Recorder();
    replay(rec, withGap(OPEN, Duration.ofMinutes(3)), new Strategy() {}, HealthMonitorConfig.ofDefaults());
    assertThat(titles(rec)).containsExactly("No market data", "Market data resumed");
    assertThat(rec.alerts.get(0).text()).contains("instrument=AAPL", "silentFor=60s");
    // stamped with the simulated clock: 60 s after the last quote seen by the 1 s check
    assertThat(rec.alerts.get(0).time()).isEqualTo(OPEN.plusSeconds(10 + 60));
  }

  @Test
  void replayWithTheSameGapAtNightRaisesNothing() {
    Recorder rec = new Recorder();
    replay(rec, withGap(NIGHT, Duration.ofMinutes(3)), new Strategy() {}, HealthMonitorConfig.ofDefaults());
    assertThat(rec.alerts).isEmpty();
  }

  @Test
  void replayHasNoMonitorUnlessAskedFor() {
    Recorder rec = new Recorder();
    replay(rec, withGap(OPEN, Duration.ofMinutes(3)), new Strategy() {}, null);
    assertThat(rec.alerts).isEmpty();
  }

  @Test
  void riskDenialsInARowThroughTheEngine() {
    Recorder rec = new Recorder();
    Strategy buyer = new Strategy() {
      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        ctx.submit(OrderRequest.market(ID, Side.BUY, 100));
      }
    };
    TradingSystem.builder().replay().instrument(AAPL).feed(new ListFeed(ListFeed.quotes(ID, NIGHT, 100, 100, 100, 100)))
        .strategy(buyer).alerter(rec).killSwitchFile(null).riskRule((o, ctx) -> RiskDecision.deny("MAX_ORDER_QTY", "qty=100 max=10"))
        .healthMonitor(HealthMonitorConfig.builder().denialsInARow(3).build()).build().run();
    assertThat(titles(rec)).containsExactly("Orders denied by risk checks");
    assertThat(rec.alerts.get(0).text()).contains("3 risk denials in a row", "code=MAX_ORDER_QTY", "qty=100 max=10");
  }

  @Test
  void liveBrokerOutageSendFailureAndHeartbeatFile() throws Exception {
    Recorder rec = new Recorder();
    SimulatedClock clock = new SimulatedClock(NIGHT);
    FlakyBroker broker = new FlakyBroker(clock);
    Path hb = dir.resolve("run").resolve("heartbeat");
    Strategy once = new Strategy() {
      boolean sent;

      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        if (!sent) {
          sent = true;
          ctx.submit(OrderRequest.market(ID, Side.BUY, 10));
        }
      }
    };
    TradingSystem sys = TradingSystem.builder().instrument(AAPL).clock(clock).broker(broker).strategy(once).alerter(rec)
        .feed(new ListFeed(ListFeed.quotes(ID, NIGHT, 100))).killSwitchFile(null)
        .healthMonitor(HealthMonitorConfig.builder().brokerDownAlertAfter(Duration.ofSeconds(30)).heartbeatFile(hb)
            .heartbeatPeriod(Duration.ofSeconds(5)).alertOnAbnormalExit(false).build())
        .build();
    sys.start();
    try {
      // the broker threw on submit: a rejection with its own title
      await("send failure alert", () -> titles(rec).contains("Order send failed"));
      assertThat(rec.alerts.get(0).text()).contains("SEND_FAILED", "broker is down");
      await("first heartbeat", () -> Files.exists(hb));
      assertThat(Files.readString(hb)).contains("time=" + NIGHT, "state=ACTIVE");

      broker.listener.onStatus(new BrokerStatus("flaky", ConnectionState.DISCONNECTED, "socket closed", clock.now()));
      // the engine must have taken the status before the clock moves, or the checks due meanwhile run first
      await("status taken", () -> sys.callOnEngine(() -> sys.engine().brokerConnection()) == ConnectionState.DISCONNECTED);
      // every check runs on the engine thread when the simulated clock passes its due time
      for (int i = 0; i < 30; i++) {
        clock.advance(Duration.ofSeconds(1));
      }
      await("broker lost alert", () -> titles(rec).contains("Broker connection lost"));
      Alert lost = rec.alerts.stream().filter(a -> a.title().equals("Broker connection lost")).findFirst().orElseThrow();
      assertThat(lost.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(lost.text()).contains("downFor=30s", "socket closed");
      broker.listener.onStatus(new BrokerStatus("flaky", ConnectionState.CONNECTED, "back", clock.now()));
      await("broker restored alert", () -> titles(rec).contains("Broker connection restored"));
      await("heartbeat moved on", () -> read(hb).contains("time=" + NIGHT.plusSeconds(30)));
    } finally {
      sys.close();
    }
    assertThat(Files.readString(hb)).contains("state=STOPPED");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** Connects, then throws on every submit. */
  private static final class FlakyBroker implements Broker {
    private final SimulatedClock clock;
    volatile BrokerListener listener;

    FlakyBroker(SimulatedClock clock) {
      this.clock = clock;
    }

    @Override
    public String name() {
      return "flaky";
    }

    @Override
    public AccountMode accountMode() {
      return AccountMode.PAPER;
    }

    @Override
    public void connect(BrokerListener l) {
      listener = l;
      l.onStatus(new BrokerStatus("flaky", ConnectionState.CONNECTED, "", clock.now()));
    }

    @Override
    public void submit(ClientOrderId id, OrderRequest request) {
      throw new IllegalStateException("broker is down");
    }

    @Override
    public void cancel(ClientOrderId id) {}

    @Override
    public void cancelAll() {}

    @Override
    public void requestPositions() {}

    @Override
    public void requestOpenOrders() {}

    @Override
    public void requestAccount() {}

    @Override
    public void close() {}
  }
}
