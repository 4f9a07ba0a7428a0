package dev.algotrade.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.store.StoreHealth;
import dev.algotrade.core.time.SimulatedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {

  private static final InstrumentId AAPL = InstrumentId.of("AAPL");
  private static final InstrumentId MSFT = InstrumentId.of("MSFT");
  /** Tuesday 2024-01-02 10:00 New York (EST, UTC-5): inside US equities' session. */
  private static final Instant TUE_10_00 = Instant.parse("2024-01-02T15:00:00Z");
  /** Tuesday 2024-01-02 20:00 New York: after the close. */
  private static final Instant TUE_20_00 = Instant.parse("2024-01-03T01:00:00Z");
  /** Saturday 2024-01-06 12:00 New York. */
  private static final Instant SAT_12_00 = Instant.parse("2024-01-06T17:00:00Z");

  private final List<Alert> alerts = new ArrayList<>();
  private SimulatedClock clock;
  private HealthMonitor monitor;

  private HealthMonitor start(Instant t0, HealthMonitorConfig config, StoreHealth store, InstrumentId... ids) {
    clock = new SimulatedClock(t0);
    monitor = new HealthMonitor(config, List.of(ids), (sev, title, text, key) ->
        alerts.add(new Alert(sev, title, text, clock.now(), key)), store, t0);
    monitor.onBrokerStatus(new BrokerStatus("paper", ConnectionState.CONNECTED, "", t0));
    return monitor;
  }

  /** Advances the clock second by second, running the periodic check each second, as the engine timer does. */
  private void run(Duration d) {
    for (long s = 0; s < d.getSeconds(); s++) {
      clock.advance(Duration.ofSeconds(1));
      monitor.onTick(clock.now());
    }
  }

  private List<String> titles() {
    return alerts.stream().map(Alert::title).toList();
  }

  @Test
  void instrumentSilentDuringSessionRaisesOneAlertThenResumes() {
    start(TUE_10_00, HealthMonitorConfig.builder().staleAfter(Duration.ofSeconds(60)).build(), null, AAPL);
    monitor.onMarketData(AAPL, clock.now());
    run(Duration.ofSeconds(59));
    assertThat(alerts).isEmpty();
    run(Duration.ofSeconds(5));
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.severity()).isEqualTo(Severity.WARNING);
      assertThat(a.title()).isEqualTo("No market data");
      assertThat(a.text()).contains("instrument=AAPL", "silentFor=60s", "staleAfter=60s");
      assertThat(a.key()).isEqualTo("no-data:AAPL");
    });
    run(Duration.ofMinutes(10));
    assertThat(alerts).hasSize(1); // once, not every second
    monitor.onMarketData(AAPL, clock.now());
    run(Duration.ofSeconds(1));
    assertThat(titles()).containsExactly("No market data", "Market data resumed");
    assertThat(alerts.get(1).severity()).isEqualTo(Severity.INFO);
  }

  @Test
  void steadyDataRaisesNothing() {
    start(TUE_10_00, HealthMonitorConfig.ofDefaults(), null, AAPL);
    for (int i = 0; i < 600; i++) {
      monitor.onMarketData(AAPL, clock.now());
      run(Duration.ofSeconds(30)); // a tick every 30 s, limit 60 s
    }
    assertThat(alerts).isEmpty();
  }

  @Test
  void noAlertOutsideSessionHoursAtNightOrOnTheWeekend() {
    start(TUE_20_00, HealthMonitorConfig.ofDefaults(), null, AAPL);
    run(Duration.ofHours(3)); // 20:00 .. 23:00 New York, no data at all
    assertThat(alerts).isEmpty();

    alerts.clear();
    start(SAT_12_00, HealthMonitorConfig.ofDefaults(), null, AAPL);
    run(Duration.ofHours(2));
    assertThat(alerts).isEmpty();
  }

  @Test
  void silenceIsCountedFromTheSessionOpenNotFromTheEvening() {
    // Tuesday 09:00 New York: quiet until the 09:30 open, then no data for 60 s after it
    start(Instant.parse("2024-01-02T14:00:00Z"), HealthMonitorConfig.ofDefaults(), null, AAPL);
    run(Duration.ofMinutes(30).plusSeconds(59));
    assertThat(alerts).isEmpty();
    run(Duration.ofSeconds(1));
    assertThat(alerts).singleElement().satisfies(a -> assertThat(a.text()).contains("silentFor=60s"));
  }

  @Test
  void holidayHasNoSession() {
    SessionHours hours = SessionHours.US_EQUITIES.withHolidays(java.util.Set.of(java.time.LocalDate.of(2024, 1, 2)));
    start(TUE_10_00, HealthMonitorConfig.builder().session(hours).build(), null, AAPL);
    run(Duration.ofMinutes(10));
    assertThat(alerts).isEmpty();
  }

  @Test
  void perInstrumentStaleLimitAndSession() {
    HealthMonitorConfig c = HealthMonitorConfig.builder().staleAfter(Duration.ofMinutes(10))
        .staleAfter(MSFT, Duration.ofSeconds(5)).session(AAPL, SessionHours.ALWAYS).build();
    start(TUE_20_00, c, null, AAPL, MSFT);
    run(Duration.ofMinutes(9));
    assertThat(alerts).isEmpty(); // MSFT's session is closed; AAPL's limit is 10 min
    run(Duration.ofMinutes(1));
    assertThat(alerts).singleElement().satisfies(a -> assertThat(a.text()).contains("instrument=AAPL"));
  }

  @Test
  void riskDenialsInARowRaiseOneWarningAndASentOrderResetsTheCount() {
    start(TUE_10_00, HealthMonitorConfig.builder().denialsInARow(3).build(), null, AAPL);
    OrderRequest req = OrderRequest.market(AAPL, Side.BUY, 100);
    monitor.onOrderDenied(denial(req, 1));
    monitor.onOrderDenied(denial(req, 2));
    monitor.onOrderSubmitted(req);
    monitor.onOrderDenied(denial(req, 3));
    monitor.onOrderDenied(denial(req, 4));
    assertThat(alerts).isEmpty();
    monitor.onOrderDenied(denial(req, 5));
    monitor.onOrderDenied(denial(req, 6));
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.severity()).isEqualTo(Severity.WARNING);
      assertThat(a.title()).isEqualTo("Orders denied by risk checks");
      assertThat(a.text()).contains("3 risk denials in a row", "threshold 3", "code=MAX_NOTIONAL", "limit=5000");
    });
    monitor.onOrderSubmitted(req);
    for (int i = 0; i < 3; i++) {
      monitor.onOrderDenied(denial(req, 10 + i));
    }
    assertThat(alerts).hasSize(2); // a new streak alerts again
  }

  private OrderDenied denial(OrderRequest req, int n) {
    return new OrderDenied(new ClientOrderId("O-" + n), req, "MAX_NOTIONAL", "notional=15000 limit=5000", clock.now());
  }

  @Test
  void feedDisconnectAndRestoreAlertOnce() {
    start(TUE_10_00, HealthMonitorConfig.ofDefaults(), null, AAPL);
    FeedStatus down = FeedStatus.of("ib", FeedState.DISCONNECTED, "socket closed", clock.now());
    monitor.onFeedStatus(down);
    monitor.onFeedStatus(down);
    monitor.onFeedStatus(FeedStatus.of("ib", FeedState.CONNECTED, "", clock.now()));
    monitor.onFeedStatus(FeedStatus.of("ib", FeedState.CONNECTED, "", clock.now()));
    assertThat(titles()).containsExactly("Feed disconnected", "Feed restored");
    assertThat(alerts.get(0).severity()).isEqualTo(Severity.WARNING);
    assertThat(alerts.get(0).text()).contains("feed=ib", "socket closed");
  }

  @Test
  void feedDisconnectAtNightIsOnlyLogged() {
    start(TUE_20_00, HealthMonitorConfig.ofDefaults(), null, AAPL);
    monitor.onFeedStatus(FeedStatus.of("ib", FeedState.DISCONNECTED, "nightly restart", clock.now()));
    monitor.onFeedStatus(FeedStatus.of("ib", FeedState.CONNECTED, "", clock.now()));
    assertThat(alerts).isEmpty();
    // a per-instrument session that is open makes the whole feed matter
    start(TUE_20_00, HealthMonitorConfig.builder().session(MSFT, SessionHours.ALWAYS).build(), null, AAPL, MSFT);
    monitor.onFeedStatus(FeedStatus.of("ib", FeedState.DISCONNECTED, "socket closed", clock.now()));
    assertThat(titles()).containsExactly("Feed disconnected");
  }

  @Test
  void feedStaleAlertsInSessionOnly() {
    start(TUE_20_00, HealthMonitorConfig.ofDefaults(), null, AAPL);
    monitor.onFeedStatus(new FeedStatus("ib", FeedState.STALE, AAPL, "no tick for 30s", clock.now()));
    assertThat(alerts).isEmpty();
    start(TUE_10_00, HealthMonitorConfig.ofDefaults(), null, AAPL);
    monitor.onFeedStatus(new FeedStatus("ib", FeedState.STALE, AAPL, "no tick for 30s", clock.now()));
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.title()).isEqualTo("Feed stale");
      assertThat(a.text()).contains("instrument=AAPL", "no tick for 30s");
    });
  }

  @Test
  void brokerDownLongerThanLimitIsCriticalAndRestoreIsReported() {
    start(TUE_20_00, HealthMonitorConfig.builder().brokerDownAlertAfter(Duration.ofSeconds(30)).build(), null, AAPL);
    // a short blip: no alert
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.DISCONNECTED, "1100", clock.now()));
    run(Duration.ofSeconds(20));
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.CONNECTED, "1102", clock.now()));
    run(Duration.ofMinutes(2));
    assertThat(alerts).isEmpty();
    // a real outage
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.DISCONNECTED, "socket closed", clock.now()));
    run(Duration.ofSeconds(29));
    assertThat(alerts).isEmpty();
    run(Duration.ofSeconds(1));
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(a.title()).isEqualTo("Broker connection lost");
      assertThat(a.text()).contains("broker=ib", "downFor=30s", "threshold=30s", "socket closed");
    });
    run(Duration.ofMinutes(5));
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.CONNECTED, "reconnected", clock.now()));
    assertThat(titles()).containsExactly("Broker connection lost", "Broker connection restored");
    assertThat(alerts.get(1).severity()).isEqualTo(Severity.INFO);
    assertThat(alerts.get(1).text()).contains("downFor=330s");
  }

  @Test
  void anOutageThatBeginsInTheMaintenanceWindowIsAlertedOnlyIfItOutlastsIt() {
    // TUE_20_00 is 20:00 in New York: a 10-minute window from 20:01 New York time
    MaintenanceWindow window = MaintenanceWindow.daily(java.time.LocalTime.of(20, 1), Duration.ofMinutes(10),
        java.time.ZoneId.of("America/New_York"));
    start(TUE_20_00, HealthMonitorConfig.builder().brokerDownAlertAfter(Duration.ofSeconds(30))
        .brokerMaintenance(window).build(), null, AAPL);
    // outside the window: the usual 30 s
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.DISCONNECTED, "socket closed", clock.now()));
    run(Duration.ofSeconds(30));
    assertThat(titles()).containsExactly("Broker connection lost");
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.CONNECTED, "back", clock.now()));
    alerts.clear();
    // the nightly restart: down at 20:02, back at 20:05: no alert at all
    run(Duration.ofSeconds(90)); // 20:02:00
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.DISCONNECTED, "restart", clock.now()));
    run(Duration.ofMinutes(3));
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.CONNECTED, "back after restart", clock.now()));
    run(Duration.ofMinutes(1));
    assertThat(alerts).isEmpty();
    // down again at 20:06 and not back: alerted 30 s after the window's end (20:11:30), not before
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.DISCONNECTED, "restart failed", clock.now()));
    run(Duration.ofSeconds(329)); // 20:11:29
    assertThat(alerts).isEmpty();
    run(Duration.ofSeconds(1));
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.title()).isEqualTo("Broker connection lost");
      assertThat(a.text()).contains("downFor=330s", "maintenance window daily 20:01");
    });
  }

  @Test
  void degradedCountsAsDownAndAnOutageThatChangesStateIsOneOutage() {
    start(TUE_20_00, HealthMonitorConfig.builder().brokerDownAlertAfter(Duration.ofSeconds(30)).build(), null, AAPL);
    // IB 1100: the socket is up, IB lost its own link; 1102 back within the limit: nothing sent
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.DEGRADED, "code=1100", clock.now()));
    run(Duration.ofSeconds(29));
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.CONNECTED, "code=1102", clock.now()));
    run(Duration.ofMinutes(1));
    assertThat(alerts).isEmpty();
    // degraded, then the socket drops too, then it reconnects degraded: one outage from the first report
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.DEGRADED, "code=1100", clock.now()));
    run(Duration.ofSeconds(10));
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.DISCONNECTED, "socket closed", clock.now()));
    run(Duration.ofSeconds(10));
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.DEGRADED, "code=1100 after reconnect", clock.now()));
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.DEGRADED, "code=1100 repeated", clock.now()));
    run(Duration.ofSeconds(9));
    assertThat(alerts).isEmpty();
    run(Duration.ofSeconds(1));
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(a.title()).isEqualTo("Broker connection lost");
      assertThat(a.text()).contains("downFor=30s", "state=DEGRADED code=1100 after reconnect");
    });
    run(Duration.ofMinutes(10));
    assertThat(alerts).hasSize(1);
    monitor.onBrokerStatus(new BrokerStatus("ib", ConnectionState.CONNECTED, "code=1102", clock.now()));
    assertThat(titles()).containsExactly("Broker connection lost", "Broker connection restored");
    assertThat(alerts.get(1).text()).contains("downFor=630s");
  }

  @Test
  void brokerThatNeverConnectsAlertsAndAClosedBrokerDoesNot() {
    clock = new SimulatedClock(TUE_20_00);
    monitor = new HealthMonitor(HealthMonitorConfig.ofDefaults(), List.of(AAPL), (sev, title, text, key) ->
        alerts.add(new Alert(sev, title, text, clock.now(), key)), null, TUE_20_00);
    run(Duration.ofSeconds(30));
    assertThat(titles()).containsExactly("Broker connection lost");
    assertThat(alerts.get(0).text()).contains("not connected yet");

    alerts.clear();
    start(TUE_20_00, HealthMonitorConfig.ofDefaults(), null, AAPL);
    monitor.onBrokerStatus(new BrokerStatus("paper", ConnectionState.CLOSED, "closed", clock.now()));
    run(Duration.ofMinutes(5));
    assertThat(alerts).isEmpty();
  }

  @Test
  void storeQueueBackingUpForLongerThanLimitAlertsThenRecovers() {
    FakeStore store = new FakeStore();
    start(TUE_20_00, HealthMonitorConfig.builder().storeBackedUp(0.8, Duration.ofSeconds(10)).build(), store, AAPL);
    store.depth = 900; // first seen at the next check, so 10 s of backlog are seen 11 checks later
    run(Duration.ofSeconds(10));
    assertThat(alerts).isEmpty();
    store.depth = 100; // drained in time: no alert, and the count starts again
    run(Duration.ofSeconds(1));
    store.depth = 850;
    run(Duration.ofSeconds(11));
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.title()).isEqualTo("Store queue backing up");
      assertThat(a.text()).contains("queueDepth=850", "queueCapacity=1000", "fill=85%", "for=10s");
    });
    store.depth = 0;
    run(Duration.ofSeconds(1));
    assertThat(titles()).containsExactly("Store queue backing up", "Store queue recovered");
  }

  @Test
  void storeDroppingRecordsAlertsWithTheNewCount() {
    FakeStore store = new FakeStore();
    store.dropped = 7; // dropped before the monitor started: not reported
    start(TUE_20_00, HealthMonitorConfig.ofDefaults(), store, AAPL);
    run(Duration.ofSeconds(3));
    assertThat(alerts).isEmpty();
    store.dropped = 12;
    run(Duration.ofSeconds(1));
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.title()).isEqualTo("Store dropped records");
      assertThat(a.text()).contains("dropped=5", "totalDropped=12");
    });
  }

  private static final class FakeStore implements StoreHealth {
    int depth;
    long dropped;

    @Override
    public int queueDepth() {
      return depth;
    }

    @Override
    public int queueCapacity() {
      return 1000;
    }

    @Override
    public long dropped() {
      return dropped;
    }
  }
}
