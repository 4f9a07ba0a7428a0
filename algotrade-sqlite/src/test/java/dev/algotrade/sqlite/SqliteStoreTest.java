package dev.algotrade.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.BrokerOrderId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.OrderSubmitted;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.store.DailyPnl;
import dev.algotrade.api.store.StoreHealth;
import dev.algotrade.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {
  static final InstrumentId AAPL = InstrumentId.of("AAPL");
  static final LocalDate DAY = LocalDate.of(2024, 1, 2);
  static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  @TempDir
  Path dir;

  static Fill fill(String client, String exec, double qty, double price, long second) {
    return new Fill(ClientOrderId.of(client), exec, AAPL, Side.BUY, qty, price, 0.5, T0.plusSeconds(second));
  }

  static Quote quote(long micros) {
    return new Quote(AAPL, T0.plusNanos(micros * 1000), 100, 100.01, 10, 20);
  }

  static String text(SqliteStore store, String sql) {
    return store.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
  }

  static long count(SqliteStore store, String sql) {
    return store.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  @Test
  void createsTheDirectoriesAndAWalFileAtTheLatestVersion() {
    Path path = dir.resolve("a").resolve("b").resolve("store.db");
    try (SqliteStore store = SqliteStore.open(path)) {
      assertThat(Files.exists(path)).isTrue();
      assertThat(store.schemaVersion()).isEqualTo(SqliteStore.latestSchemaVersion());
      String mode = store.jdbi().withHandle(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
      assertThat(mode).isEqualToIgnoringCase("wal");
      assertThat(store.integrityCheck()).isEqualTo("ok");
    }
  }

  @Test
  void ordersAndFillsAreCommittedWithoutAFlush() {
    try (SqliteStore store = SqliteStore.builder().path(dir.resolve("s.db"))
        .orderCommitWindow(Duration.ofMillis(20)).build()) {
      store.recordFill(fill("O-1", "E1", 10, 100, 0), 0, DAY);
      // a separate connection sees it once the writer's window has passed: no flush was asked for
      Await.until("fill visible to another connection", Duration.ofSeconds(10),
          () -> count(store, "SELECT COUNT(*) FROM fills") == 1);
      assertThat(store.stats().batches()).isGreaterThanOrEqualTo(1);
      assertThat(store.stats().written()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aFullQueueDropsTicksLoudlyButKeepsEveryFill() throws Exception {
    Path path = dir.resolve("full.db");
    try (SqliteStore store = SqliteStore.builder().path(path).queueCapacity(8).build();
        Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + path)) {
      try (Statement st = blocker.createStatement()) {
        st.execute("BEGIN IMMEDIATE"); // holds the write lock: the writer stalls as on a stuck disk
      }
      store.recordFill(fill("O-0", "E0", 1, 100, 0), 0, DAY);
      Await.until("writer took the first fill", () -> store.stats().queueDepth() == 0);
      for (int i = 0; i < 20; i++) {
        store.recordMarketData(quote(i));
      }
      for (int i = 1; i <= 5; i++) {
        store.recordFill(fill("O-" + i, "E" + i, 1, 100, i), 0, DAY);
      }
      StoreStats stalled = store.stats();
      assertThat(stalled.queueDepth()).isEqualTo(8);
      assertThat(stalled.droppedTicks()).isEqualTo(12);
      assertThat(stalled.spilled()).isEqualTo(5);
      assertThat(stalled.spillDepth()).isEqualTo(5);
      // what a health monitor reads through the API's StoreHealth
      StoreHealth health = store;
      assertThat(health.queueDepth()).isEqualTo(8 + 5);
      assertThat(health.queueCapacity()).isEqualTo(8);
      assertThat(health.dropped()).isEqualTo(12);

      try (Statement st = blocker.createStatement()) {
        st.execute("ROLLBACK");
      }
      store.flush();
      assertThat(count(store, "SELECT COUNT(*) FROM fills")).isEqualTo(6);
      assertThat(count(store, "SELECT COUNT(*) FROM quotes")).isEqualTo(8);
      assertThat(store.stats().queueDepth()).isZero();
      assertThat(store.stats().spillDepth()).isZero();
      assertThat(store.stats().failedWrites()).isZero();
    }
  }

  @Test
  void closeWritesEverythingThatWasQueued() {
    Path path = dir.resolve("close.db");
    SqliteStore store = SqliteStore.builder().path(path).tickBatchWindow(Duration.ofMinutes(1))
        .orderCommitWindow(Duration.ofMinutes(1)).build();
    for (int i = 0; i < 30_000; i++) {
      store.recordMarketData(quote(i));
      if (i % 300 == 0) {
        store.recordFill(fill("O-" + i, "E" + i, 1, 100, i), 0, DAY);
      }
    }
    store.close();
    try (SqliteStore reopened = SqliteStore.open(path)) {
      assertThat(count(reopened, "SELECT COUNT(*) FROM quotes")).isEqualTo(30_000 - store.stats().droppedTicks());
      assertThat(store.stats().droppedTicks()).isZero();
      assertThat(count(reopened, "SELECT COUNT(*) FROM fills")).isEqualTo(100);
    }
  }

  @Test
  void withoutTicksOnlyBarsOfTheMarketDataAreStored() {
    try (SqliteStore store = SqliteStore.builder().path(dir.resolve("nt.db")).recordTicks(false).build()) {
      store.recordMarketData(quote(1));
      store.recordMarketData(new Bar(AAPL, T0, Duration.ofMinutes(1), 100, 101, 99, 100.5, 1000));
      store.recordMarketData(new Bar(AAPL, T0, Duration.ofMinutes(1), 100, 102, 99, 101.5, 1500));
      store.flush();
      assertThat(count(store, "SELECT COUNT(*) FROM quotes")).isZero();
      assertThat(count(store, "SELECT COUNT(*) FROM bars")).as("a bar is upserted by start").isEqualTo(1);
      assertThat(count(store, "SELECT CAST(close * 10 AS INTEGER) FROM bars")).isEqualTo(1015);
    }
  }

  /**
   * The writer merges an order's upserts within a batch; the rows must be those of one upsert
   * per event, as a store that commits after every event writes them: the latest state, the
   * first created_ns, the latest non-null broker id, and every event row.
   */
  @Test
  void anOrdersEventsInOneBatchLeaveTheSameRowsAsOneCommitPerEvent() {
    Path one = dir.resolve("per-event.db");
    Path merged = dir.resolve("one-batch.db");
    try (SqliteStore perEvent = SqliteStore.open(one);
        SqliteStore batch = SqliteStore.builder().path(merged).tickBatchWindow(Duration.ofMinutes(1))
            .orderCommitWindow(Duration.ofMinutes(1)).build()) {
      for (SqliteStore store : List.of(perEvent, batch)) {
        OrderRequest buy = OrderRequest.limit(AAPL, Side.BUY, 10, 100).withTag("a");
        OrderRequest sell = OrderRequest.market(AAPL, Side.SELL, 5);
        ClientOrderId a = ClientOrderId.of("O-2");
        ClientOrderId b = ClientOrderId.of("O-1");
        Instant t = T0;
        record(store, perEvent, new OrderSubmitted(a, buy, t),
            new Order(a, null, buy, OrderStatus.PENDING_SUBMIT, 0, Double.NaN, t, t, ""));
        record(store, perEvent, new OrderSubmitted(b, sell, t.plusSeconds(1)),
            new Order(b, null, sell, OrderStatus.PENDING_SUBMIT, 0, Double.NaN, t.plusSeconds(1), t.plusSeconds(1), ""));
        record(store, perEvent, new OrderAccepted(a, BrokerOrderId.of("7"), t.plusSeconds(2)),
            new Order(a, BrokerOrderId.of("7"), buy, OrderStatus.ACCEPTED, 0, Double.NaN, t, t.plusSeconds(2), ""));
        Fill f = new Fill(a, "E1", AAPL, Side.BUY, 4, 99.9, 0.4, t.plusSeconds(3));
        // a later state without the broker id and with another created time: the upsert keeps
        // the stored broker id (COALESCE) and the created time of the insert
        record(store, perEvent, new OrderFilled(f), new Order(a, null, buy, OrderStatus.PARTIALLY_FILLED, 4, 99.9,
            t.plusSeconds(9), t.plusSeconds(3), "part"));
        store.recordFill(f, 0, DAY);
        record(store, perEvent, new dev.algotrade.api.order.OrderCancelled(b, "user", t.plusSeconds(4)),
            new Order(b, null, sell, OrderStatus.CANCELLED, 0, Double.NaN, t.plusSeconds(1), t.plusSeconds(4), "user"));
        record(store, perEvent, new dev.algotrade.api.order.OrderCancelled(a, "done", t.plusSeconds(5)),
            new Order(a, null, buy, OrderStatus.CANCELLED, 4, 99.9, t.plusSeconds(9), t.plusSeconds(5), "done"));
        store.flush();
      }
      assertThat(batch.stats().batches()).as("one transaction for all of it").isEqualTo(1);
      String orders = "SELECT rowid, * FROM orders ORDER BY rowid";
      String events = "SELECT * FROM order_events ORDER BY id";
      assertThat(rows(batch, orders)).hasSize(2).isEqualTo(rows(perEvent, orders));
      assertThat(rows(batch, events)).hasSize(6).isEqualTo(rows(perEvent, events));
      assertThat(rows(batch, "SELECT broker_order_id, created_ns, status FROM orders WHERE client_order_id = 'O-2'"))
          .containsExactly(Map.of("broker_order_id", "7", "created_ns", StoreWriter.nanos(T0), "status", "CANCELLED"));
    }
  }

  /** Records, and for {@code perEvent} commits at once, so each event is its own upsert. */
  private static void record(SqliteStore store, SqliteStore perEvent, dev.algotrade.api.order.OrderEvent e, Order o) {
    store.recordOrderEvent(e, o);
    if (store == perEvent) {
      store.flush();
    }
  }

  static List<Map<String, Object>> rows(SqliteStore store, String sql) {
    return store.jdbi().withHandle(h -> h.createQuery(sql).mapToMap().list());
  }

  @Test
  void theViewsTellTradesPnlAndTheLifeOfAnOrder() {
    try (SqliteStore store = SqliteStore.open(dir.resolve("views.db"))) {
      OrderRequest req = OrderRequest.limit(AAPL, Side.BUY, 10, 100).withTag("signal=ma-cross");
      ClientOrderId id = ClientOrderId.of("O20240102T143000-1");
      Instant t = T0;
      store.recordOrderEvent(new OrderSubmitted(id, req, t),
          new Order(id, null, req, OrderStatus.PENDING_SUBMIT, 0, Double.NaN, t, t, ""));
      store.recordOrderEvent(new OrderAccepted(id, BrokerOrderId.of("7"), t.plusSeconds(1)),
          new Order(id, BrokerOrderId.of("7"), req, OrderStatus.ACCEPTED, 0, Double.NaN, t, t.plusSeconds(1), ""));
      Fill f1 = new Fill(id, "E1", AAPL, Side.BUY, 4, 99.9, 0.4, t.plusSeconds(2));
      Fill f2 = new Fill(id, "E2", AAPL, Side.BUY, 6, 100, 0.6, t.plusSeconds(3));
      store.recordOrderEvent(new OrderFilled(f1), new Order(id, BrokerOrderId.of("7"), req,
          OrderStatus.PARTIALLY_FILLED, 4, 99.9, t, t.plusSeconds(2), ""));
      store.recordFill(f1, 0, DAY);
      store.recordOrderEvent(new OrderFilled(f2), new Order(id, BrokerOrderId.of("7"), req,
          OrderStatus.FILLED, 10, 99.96, t, t.plusSeconds(3), ""));
      store.recordFill(f2, 0, DAY);
      store.recordDailyPnl(new DailyPnl(DAY, 0, -0.4, 1.0, 100_000, 99_998.6, 100_000, 99_998.6, 2, t.plusSeconds(60)));
      store.flush();

      Map<String, Object> trades = store.jdbi().withHandle(h -> h.createQuery(
          "SELECT trading_day, instrument, fills, bought, sold, commissions FROM v_trades_per_day").mapToMap().one());
      assertThat(trades).containsEntry("trading_day", "2024-01-02").containsEntry("fills", 2)
          .containsEntry("bought", 10.0).containsEntry("sold", 0.0).containsEntry("commissions", 1.0);

      Map<String, Object> pnl = store.jdbi().withHandle(h -> h.createQuery(
          "SELECT fills, fills_commissions, start_equity, end_equity FROM v_pnl_per_day").mapToMap().one());
      assertThat(pnl).containsEntry("fills", 2).containsEntry("fills_commissions", 1.0)
          .containsEntry("start_equity", 100_000.0).containsEntry("end_equity", 99_998.6);

      List<String> life = store.jdbi().withHandle(h -> h.createQuery(
          "SELECT step FROM v_order_life WHERE client_order_id = :id ORDER BY ts_ns, step")
          .bind("id", id.value()).mapTo(String.class).list());
      assertThat(life).containsExactly("OrderSubmitted", "OrderAccepted", "Fill", "OrderFilled", "Fill", "OrderFilled");
      String submitted = store.jdbi().withHandle(h -> h.createQuery(
          "SELECT reason FROM order_events WHERE event = 'OrderSubmitted'").mapTo(String.class).one());
      assertThat(submitted).isEqualTo("BUY 10 AAPL LIMIT limit=100.0 DAY tag=signal=ma-cross");
    }
  }

  @Test
  void everyCommittedQuoteIsCoveredByExactlyOneQuoteBlock() {
    Path path = dir.resolve("blocks.db");
    int n = 0;
    for (int session = 0; session < 2; session++) {
      try (SqliteStore store = SqliteStore.builder().path(path).maxBatchRows(700).build()) {
        for (int batch = 0; batch < 3; batch++) {
          for (int i = 0; i < 1000; i++) {
            store.recordMarketData(quote(n++));
          }
          store.flush();
        }
      }
    }
    try (SqliteStore store = SqliteStore.open(path)) {
      assertThat(count(store, "SELECT COUNT(*) FROM quotes")).isEqualTo(n);
      assertThat(count(store, "SELECT COUNT(*) FROM quotes q JOIN quote_blocks b"
          + " ON q.rowid BETWEEN b.first_rowid AND b.last_rowid"
          + " WHERE q.ts_ns BETWEEN b.min_ts_ns AND b.max_ts_ns")).isEqualTo(n);
      assertThat(count(store, "SELECT COUNT(*) FROM quote_blocks")).isGreaterThanOrEqualTo(6);
    }
  }

  @Test
  void withBackpressureAFullQueueMakesTheRecorderWaitAndLosesNothing() throws Exception {
    Path path = dir.resolve("bp.db");
    try (SqliteStore store = SqliteStore.builder().path(path).queueCapacity(8).backpressure(true).build();
        Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + path)) {
      try (Statement st = blocker.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
      }
      Thread producer = new Thread(() -> {
        store.recordFill(fill("O-0", "E0", 1, 100, 0), 0, DAY);
        for (int i = 0; i < 100; i++) {
          store.recordMarketData(quote(i));
        }
        store.recordFill(fill("O-1", "E1", 1, 100, 1), 0, DAY);
      }, "producer");
      producer.start();
      Await.until("producer waits on a full queue",
          () -> store.stats().queueDepth() == 8 && producer.getState() == Thread.State.TIMED_WAITING);
      try (Statement st = blocker.createStatement()) {
        st.execute("ROLLBACK");
      }
      producer.join(10_000);
      assertThat(producer.isAlive()).isFalse();
      store.flush();
      assertThat(count(store, "SELECT COUNT(*) FROM quotes")).isEqualTo(100);
      assertThat(count(store, "SELECT COUNT(*) FROM fills")).isEqualTo(2);
      assertThat(store.stats().droppedTicks()).isZero();
      assertThat(store.stats().spilled()).isZero();
    }
  }

  @Test
  void theAuditRecordsLandInTheirTables() {
    try (SqliteStore store = SqliteStore.open(dir.resolve("audit.db"))) {
      store.recordInstrument(dev.algotrade.api.market.Instrument.stock("AAPL").withTickSize(0.05));
      store.recordRiskEvent(new dev.algotrade.api.store.RiskEvent("DENIAL", "MAX_NOTIONAL",
          "instrument=AAPL after=12400.00 limit=10000.00", T0));
      store.recordBreakerState(new dev.algotrade.api.store.BreakerState(DAY,
          dev.algotrade.api.risk.TradingState.HALTED, "DAILY_LOSS_LIMIT loss=-2100", T0));
      store.recordAlert(dev.algotrade.api.alert.Alert.of(dev.algotrade.api.alert.Severity.CRITICAL, "breaker",
          "tripped", T0), 7);
      store.recordHeartbeat(T0);
      store.recordHeartbeat(T0.plusSeconds(1));
      store.recordPositions(List.of(new dev.algotrade.api.portfolio.Position(AAPL, 10, 100)), "broker", T0);
      store.flush();

      assertThat(text(store, "SELECT tick_size FROM instruments WHERE instrument = 'AAPL'")).isEqualTo("0.05");
      assertThat(text(store, "SELECT kind || ' ' || code || ' ' || details FROM risk_events")).isEqualTo("DENIAL MAX_NOTIONAL instrument=AAPL after=12400.00 limit=10000.00");
      assertThat(text(store, "SELECT state || ' ' || reason FROM breaker_states")).isEqualTo("HALTED DAILY_LOSS_LIMIT loss=-2100");
      assertThat(text(store, "SELECT severity || ' ' || title || ' ' || suppressed FROM alerts")).isEqualTo("CRITICAL breaker 7");
      assertThat(count(store, "SELECT ts_ns FROM heartbeat")).isEqualTo(StoreWriter.nanos(T0.plusSeconds(1)));
      assertThat(text(store, "SELECT source || ' ' || instrument || ' ' || quantity"
          + " FROM position_snapshots")).isEqualTo("broker AAPL 10.0");
    }
  }

  @Test
  void recordsAfterCloseAreIgnored() {
    Path path = dir.resolve("closed.db");
    SqliteStore store = SqliteStore.open(path);
    store.close();
    store.recordFill(fill("O-1", "E1", 1, 100, 0), 0, DAY);
    store.flush();
    try (SqliteStore reopened = SqliteStore.open(path)) {
      assertThat(count(reopened, "SELECT COUNT(*) FROM fills")).isZero();
    }
  }

  @Test
  void theConfigCanComeFromEnvironmentVariables() {
    SqliteStoreConfig c = SqliteStore.builder().fromEnvironment(Map.of(
        "ALGOTRADE_SQLITE_PATH", dir.resolve("env.db").toString(),
        "ALGOTRADE_SQLITE_ORDER_COMMIT_MS", "20",
        "ALGOTRADE_SQLITE_TICK_BATCH_MS", "500",
        "ALGOTRADE_SQLITE_QUEUE_CAPACITY", "1024",
        "ALGOTRADE_SQLITE_RECORD_TICKS", "false",
        "UNRELATED", "x")).toConfig();
    assertThat(c.path()).isEqualTo(dir.resolve("env.db"));
    assertThat(c.orderCommitWindow()).isEqualTo(Duration.ofMillis(20));
    assertThat(c.tickBatchWindow()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.queueCapacity()).isEqualTo(1024);
    assertThat(c.recordTicks()).isFalse();
    assertThatThrownBy(() -> SqliteStore.builder().fromEnvironment(Map.of("ALGOTRADE_SQLITE_QUEUE_CAPACITY", "lots")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ALGOTRADE_SQLITE_QUEUE_CAPACITY")
        .hasMessageContaining("lots");
    assertThatThrownBy(() -> SqliteStore.builder().fromEnvironment(Map.of("ALGOTRADE_SQLITE_RECORD_TICKS", "maybe")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maybe");
  }

  @Test
  void aRecordTheDatabaseRefusesIsLostAloneAndCounted() throws Exception {
    Path path = dir.resolve("poison.db");
    SqliteStore.open(path).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + path); Statement st = c.createStatement()) {
      st.execute("CREATE TRIGGER poison BEFORE INSERT ON fills WHEN NEW.execution_id = 'BAD'"
          + " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    }
    try (SqliteStore store = SqliteStore.builder().path(path).orderCommitWindow(Duration.ofMinutes(1))
        .tickBatchWindow(Duration.ofMinutes(1)).build()) {
      // one transaction: ticks, a good fill, the bad one, another good fill, more ticks
      for (int i = 0; i < 10; i++) {
        store.recordMarketData(quote(i));
      }
      store.recordFill(fill("O-1", "E1", 1, 100, 1), 0, DAY);
      store.recordFill(fill("O-2", "BAD", 1, 100, 2), 0, DAY);
      store.recordFill(fill("O-3", "E3", 1, 100, 3), 0, DAY);
      for (int i = 10; i < 20; i++) {
        store.recordMarketData(quote(i));
      }
      store.flush();
      assertThat(store.stats().failedWrites()).isEqualTo(1);
      assertThat(text(store, "SELECT group_concat(execution_id, ',') FROM fills")).isEqualTo("E1,E3");
      assertThat(count(store, "SELECT COUNT(*) FROM quotes")).isEqualTo(20);
      assertThat(count(store, "SELECT COUNT(*) FROM quotes q JOIN quote_blocks b"
          + " ON q.rowid BETWEEN b.first_rowid AND b.last_rowid")).isEqualTo(20);
      // the writer carries on
      store.recordFill(fill("O-4", "E4", 1, 100, 4), 0, DAY);
      store.flush();
      assertThat(count(store, "SELECT COUNT(*) FROM fills")).isEqualTo(3);
    }
  }

  @Test
  void theBuilderNamesABadValue() {
    assertThatThrownBy(() -> SqliteStore.builder().orderCommitWindow(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("orderCommitWindow").hasMessageContaining("-0.001");
    assertThatThrownBy(() -> SqliteStore.builder().queueCapacity(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queueCapacity").hasMessageContaining("0");
    assertThatThrownBy(() -> SqliteStore.builder().path(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path");
    assertThatThrownBy(() -> SqliteStore.builder().orderCommitWindow(Duration.ofSeconds(5))
        .tickBatchWindow(Duration.ofSeconds(1)).toConfig())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT5S").hasMessageContaining("PT1S");
  }
}
