package dev.algotrade.ib;

import static dev.algotrade.ib.Frames.commission;
import static dev.algotrade.ib.Frames.error;
import static dev.algotrade.ib.Frames.exec;
import static dev.algotrade.ib.Frames.openOrder;
import static dev.algotrade.ib.Frames.orderStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelRejected;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.AccountState;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.ib.internal.IbHandler;
import dev.algotrade.testkit.Await;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IbBroker against a scripted fake TWS over a loopback socket. */
class IbBrokerTest {

  private static final InstrumentId AAPL = InstrumentId.of("AAPL");
  private static final ClientOrderId C1 = ClientOrderId.of("c-1");

  private final SimulatedClock clock = SimulatedClock.atDefaultStart();
  private final RecordingBrokerListener events = new RecordingBrokerListener();
  private final AtomicLong marker = new AtomicLong();
  private FakeTws tws;
  private IbBroker broker;

  @BeforeEach
  void setUp() throws IOException {
    tws = new FakeTws();
  }

  @AfterEach
  void tearDown() throws IOException {
    if (broker != null) {
      broker.close();
    }
    tws.close();
  }

  /** Connects to the fake TWS with {@code account}; consumes the start-up requests. */
  private void connect(String account) throws Exception {
    IbConfig config = IbConfig.builder().port(tws.port()).clientId(7).connectTimeout(Duration.ofSeconds(5))
        .commissionTimeout(Duration.ofSeconds(2))
        .keepalive(Duration.ZERO, Duration.ofSeconds(20)) // the fake TWS reads exact frames: no reqCurrentTime pings
        .build();
    broker = IbBroker.create(config, clock);
    broker.client().addHandler(new IbHandler() {
      @Override
      public void currentTime(long epochSeconds) {
        marker.set(epochSeconds);
      }
    });
    broker.connect(events);
    tws.handshake(account, 100);
    Await.until("connected", () -> events.statuses.stream().anyMatch(s -> s.state() == ConnectionState.CONNECTED));
    assertThat(tws.read()).isEqualTo("5|1|");
    // executions since midnight New York (2024-01-02T05:00Z), reqId from the shared counter
    assertThat(tws.read()).isEqualTo("7|3|100|0|" + account + "|20240102-05:00:00|||||");
  }

  /** Waits until everything sent so far has been handled (a currentTime marker round-trip). */
  private void sync() throws IOException {
    long m = marker.get() + 1;
    tws.send("49|1|" + m + "|");
    Await.until("marker " + m, () -> marker.get() == m);
  }

  /** Submits c-1 (BUY 100 AAPL LMT 150.25) and checks the placeOrder frame. */
  private void submitLimit() throws IOException {
    broker.submit(C1, OrderRequest.limit(AAPL, Side.BUY, 100, 150.25));
    String placed = tws.read();
    assertThat(placed).startsWith("3|101|0|AAPL|STK||0.0|||SMART||USD|||||BUY|100|LMT|150.25||DAY||DU123456||0|c-1|1|0|");
    assertThat(placed.chars().filter(c -> c == '|').count()).isEqualTo(114);
  }

  @Test
  void acceptedOnceWhateverTheStatusRepeats() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(openOrder(101, "c-1", "LMT", "150.25", "PreSubmitted"));
    tws.send(orderStatus(101, "PreSubmitted", 0, 100, "0.0"));
    tws.send(orderStatus(101, "PreSubmitted", 0, 100, "0.0"));
    tws.send(orderStatus(101, "Submitted", 0, 100, "0.0"));
    sync();
    assertThat(events.events).hasSize(1);
    OrderAccepted a = (OrderAccepted) events.events.get(0);
    assertThat(a.clientOrderId()).isEqualTo(C1);
    assertThat(a.brokerOrderId().value()).isEqualTo("101");
    assertThat(broker.accountMode()).isEqualTo(AccountMode.PAPER);
  }

  @Test
  void partialFillsThenFillWithCommissions() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(orderStatus(101, "Submitted", 0, 100, "0.0"));
    tws.send(exec(-1, 101, "0001.01", "BOT", 40, "150.25", 40, "c-1"));
    tws.send(commission("0001.01", "1.0"));
    tws.send(orderStatus(101, "Submitted", 40, 60, "150.25"));
    tws.send(exec(-1, 101, "0002.01", "BOT", 60, "150.2", 100, "c-1"));
    tws.send(orderStatus(101, "Filled", 100, 0, "150.22"));
    tws.send(commission("0002.01", "1.25"));
    sync();
    assertThat(events.of(OrderAccepted.class)).hasSize(1);
    assertThat(events.of(OrderFilled.class)).extracting(OrderFilled::fill)
        .extracting(Fill::executionId, Fill::quantity, Fill::price, Fill::commission, Fill::side, Fill::clientOrderId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("0001.01", 40.0, 150.25, 1.0, Side.BUY, C1),
            org.assertj.core.groups.Tuple.tuple("0002.01", 60.0, 150.2, 1.25, Side.BUY, C1));
    Fill first = events.of(OrderFilled.class).get(0).fill();
    assertThat(first.time()).isEqualTo(Instant.parse("2024-01-02T14:31:05Z"));
    assertThat(first.instrument()).isEqualTo(AAPL);
    assertThat(events.of(OrderCancelled.class)).isEmpty();
  }

  @Test
  void rejectionCarriesIbCodeAndText() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(error(101, 201, "Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. INSUFFICIENT EQUITY"));
    tws.send(orderStatus(101, "Cancelled", 0, 100, "0.0"));
    tws.send(error(101, 202, "Order Canceled - reason:"));
    sync();
    assertThat(events.events).hasSize(1);
    OrderRejected r = (OrderRejected) events.events.get(0);
    assertThat(r.clientOrderId()).isEqualTo(C1);
    assertThat(r.code()).isEqualTo("201");
    assertThat(r.reason()).contains("INSUFFICIENT EQUITY");
  }

  @Test
  void cancelledBeforeAcceptanceAfterAnErrorIsARejectionWithThatCode() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(error(101, 10311, "This order will be directly routed to NASDAQ."));
    tws.send(orderStatus(101, "Inactive", 0, 100, "0.0"));
    sync();
    assertThat(events.events).hasSize(1);
    assertThat(((OrderRejected) events.events.get(0)).code()).isEqualTo("10311");
  }

  @Test
  void duplicateExecDetailsGiveOneFill() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(exec(-1, 101, "0001.01", "BOT", 100, "150.25", 100, "c-1"));
    tws.send(exec(-1, 101, "0001.01", "BOT", 100, "150.25", 100, "c-1"));
    tws.send(commission("0001.01", "1.0"));
    tws.send(exec(100, 101, "0001.01", "BOT", 100, "150.25", 100, "c-1")); // replay of reqExecutions
    tws.send("55|1|100|");
    sync();
    assertThat(events.of(OrderFilled.class)).hasSize(1);
    assertThat(broker.duplicateExecutions()).isEqualTo(2);
  }

  @Test
  void correctionIsNotASecondFill() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(exec(-1, 101, "0001.01", "BOT", 100, "150.25", 100, "c-1"));
    tws.send(commission("0001.01", "1.0"));
    tws.send(exec(-1, 101, "0001.02", "BOT", 100, "150.24", 100, "c-1"));
    sync();
    assertThat(events.of(OrderFilled.class)).hasSize(1);
    assertThat(broker.executionCorrections()).isEqualTo(1);
  }

  @Test
  void statusesOutOfOrderNeverAcceptAfterAFill() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(exec(-1, 101, "0001.01", "BOT", 100, "150.25", 100, "c-1"));
    tws.send(commission("0001.01", "1.0"));
    tws.send(orderStatus(101, "Filled", 100, 0, "150.25"));
    tws.send(orderStatus(101, "Submitted", 0, 100, "0.0")); // late
    tws.send(openOrder(101, "c-1", "LMT", "150.25", "Submitted")); // later still
    sync();
    assertThat(events.events).hasSize(1);
    assertThat(events.events.get(0)).isInstanceOf(OrderFilled.class);
  }

  @Test
  void filledStatusBeforeSubmittedStillGivesOnlyTheFill() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(orderStatus(101, "Filled", 100, 0, "150.25"));
    tws.send(orderStatus(101, "Submitted", 0, 100, "0.0"));
    tws.send(exec(-1, 101, "0001.01", "BOT", 100, "150.25", 100, "c-1"));
    tws.send(commission("0001.01", "1.0"));
    sync();
    assertThat(events.events).singleElement().isInstanceOf(OrderFilled.class);
  }

  @Test
  void fillWithoutCommissionGoesOutWithZeroAfterTheTimeout() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(exec(-1, 101, "0001.01", "BOT", 100, "150.25", 100, "c-1"));
    sync();
    broker.sweep();
    assertThat(events.of(OrderFilled.class)).isEmpty();
    clock.advance(Duration.ofMillis(1999));
    broker.sweep();
    assertThat(events.of(OrderFilled.class)).isEmpty();
    clock.advance(Duration.ofMillis(1));
    broker.sweep();
    assertThat(events.of(OrderFilled.class)).singleElement()
        .satisfies(f -> assertThat(f.fill().commission()).isEqualTo(0.0));
    tws.send(commission("0001.01", "1.0")); // late: logged, no second fill
    sync();
    assertThat(events.of(OrderFilled.class)).hasSize(1);
  }

  @Test
  void commissionBeforeItsExecutionIsParked() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(commission("0001.01", "0.85"));
    tws.send(exec(-1, 101, "0001.01", "BOT", 100, "150.25", 100, "c-1"));
    sync();
    assertThat(events.of(OrderFilled.class)).singleElement()
        .satisfies(f -> assertThat(f.fill().commission()).isEqualTo(0.85));
  }

  @Test
  void cancelOfAPartlyFilledOrderComesAfterItsHeldFill() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(orderStatus(101, "Submitted", 0, 100, "0.0"));
    tws.send(exec(-1, 101, "0001.01", "BOT", 40, "150.25", 40, "c-1"));
    broker.cancel(C1);
    assertThat(tws.read()).isEqualTo("4|1|101||");
    tws.send(orderStatus(101, "Cancelled", 40, 0, "150.25"));
    tws.send(error(101, 202, "Order Canceled - reason:"));
    sync();
    assertThat(events.events).hasSize(1); // accepted; the cancel waits for the fill
    tws.send(commission("0001.01", "1.0"));
    sync();
    assertThat(events.events).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("OrderAccepted", "OrderFilled", "OrderCancelled");
  }

  @Test
  void cancelConfirmedOnce() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(orderStatus(101, "Submitted", 0, 100, "0.0"));
    broker.cancel(C1);
    assertThat(tws.read()).isEqualTo("4|1|101||");
    tws.send(orderStatus(101, "PendingCancel", 0, 100, "0.0"));
    tws.send(error(101, 202, "Order Canceled - reason:"));
    tws.send(orderStatus(101, "Cancelled", 0, 100, "0.0"));
    sync();
    assertThat(events.of(OrderCancelled.class)).singleElement()
        .satisfies(c -> assertThat(c.reason()).contains("202"));
  }

  @Test
  void cancelRefusalsAndUnknownOrders() throws Exception {
    connect("DU123456");
    broker.cancel(ClientOrderId.of("nope"));
    submitLimit();
    tws.send(orderStatus(101, "Submitted", 0, 100, "0.0"));
    broker.cancel(C1);
    tws.read();
    tws.send(error(101, 10148, "OrderId 101 that needs to be cancelled can not be cancelled, state: Filled."));
    sync();
    assertThat(events.of(OrderCancelRejected.class)).hasSize(2);
    assertThat(events.of(OrderCancelRejected.class).get(1).reason()).startsWith("10148");
  }

  @Test
  void globalCancel() throws Exception {
    connect("DU123456");
    broker.cancelAll();
    assertThat(tws.read()).isEqualTo("58|1|");
  }

  @Test
  void orderFromBeforeARestartIsRecognisedByOrderRef() throws Exception {
    connect("DU123456");
    tws.send(openOrder(55, "c-9", "LMT", "150.25", "Submitted"));
    tws.send(orderStatus(55, "Submitted", 0, 100, "0.0"));
    sync();
    broker.cancel(ClientOrderId.of("c-9"));
    assertThat(tws.read()).isEqualTo("4|1|55||");
    tws.send(orderStatus(55, "Cancelled", 0, 100, "0.0"));
    sync();
    assertThat(events.of(OrderCancelled.class)).singleElement()
        .satisfies(c -> assertThat(c.clientOrderId()).isEqualTo(ClientOrderId.of("c-9")));
    // and the next order id stays above 55 (it is already 101+ here)
    submitLimitWithId("c-10");
  }

  private void submitLimitWithId(String id) throws IOException {
    broker.submit(ClientOrderId.of(id), OrderRequest.limit(AAPL, Side.BUY, 100, 150.25));
    assertThat(tws.read()).startsWith("3|101|");
  }

  @Test
  void openOrdersReport() throws Exception {
    connect("DU123456");
    broker.requestOpenOrders();
    assertThat(tws.read()).isEqualTo("5|1|");
    tws.send(openOrder(101, "c-1", "LMT", "150.25", "Submitted"));
    tws.send(openOrder(102, "", "MKT", "0.0", "PreSubmitted"));
    tws.send("53|1|");
    Await.until("report", () -> !events.openOrders.isEmpty());
    assertThat(events.openOrders.get(0).orders()).hasSize(2);
    Order o = events.openOrders.get(0).orders().get(0);
    assertThat(o.clientOrderId()).isEqualTo(C1);
    assertThat(o.brokerOrderId().value()).isEqualTo("101");
    assertThat(o.status()).isEqualTo(OrderStatus.ACCEPTED);
    assertThat(o.request()).isEqualTo(OrderRequest.limit(AAPL, Side.BUY, 100, 150.25).withTag("c-1"));
    assertThat(events.openOrders.get(0).orders().get(1).clientOrderId()).isNull();
  }

  @Test
  void positionsReport() throws Exception {
    connect("DU123456");
    broker.requestPositions();
    assertThat(tws.read()).isEqualTo("61|1|");
    tws.send("61|3|DU123456|265598|AAPL|STK||0.0|||NASDAQ|USD|AAPL|NMS|100|150.1|");
    tws.send("61|3|DU123456|76792991|TSLA|STK||0.0|||NASDAQ|USD|TSLA|NMS|-20|240.5|");
    tws.send("61|3|DU999999|265598|AAPL|STK||0.0|||NASDAQ|USD|AAPL|NMS|5|150.0|"); // other account
    tws.send("61|3|DU123456|4815747|NVDA|STK||0.0|||NASDAQ|USD|NVDA|NMS|0|0.0|"); // flat
    tws.send("62|1|");
    assertThat(tws.read()).isEqualTo("64|1|");
    Await.until("report", () -> !events.positions.isEmpty());
    assertThat(events.positions.get(0).positions()).containsExactly(
        new Position(AAPL, 100, 150.1), new Position(InstrumentId.of("TSLA"), -20, 240.5));
  }

  @Test
  void accountSummary() throws Exception {
    connect("DU123456");
    broker.requestAccount();
    assertThat(tws.read()).isEqualTo("62|1|101|All|NetLiquidation,TotalCashValue,GrossPositionValue,AvailableFunds|");
    tws.send("63|1|101|DU123456|NetLiquidation|100250.75|USD|");
    tws.send("63|1|101|DU123456|TotalCashValue|85000.00|USD|");
    tws.send("63|1|101|DU123456|GrossPositionValue|15250.75|USD|");
    tws.send("63|1|101|DU123456|AvailableFunds|80000.25|USD|");
    tws.send("64|1|101|");
    assertThat(tws.read()).isEqualTo("63|1|101|");
    Await.until("account", () -> !events.accounts.isEmpty());
    assertThat(events.accounts.get(0)).isEqualTo(new AccountState("DU123456", "USD", 100250.75, 85000.0, 15250.75,
        80000.25, clock.now()));
  }

  @Test
  void anAccountRequestMadeBeforeTheConnectionIsReadyIsSentOnceConnected() throws Exception {
    IbConfig config = IbConfig.builder().port(tws.port()).clientId(7).connectTimeout(Duration.ofSeconds(5)).build();
    broker = IbBroker.create(config, clock);
    broker.connect(events);
    broker.requestAccount(); // what the engine does right after connect(), before nextValidId
    tws.handshake("DU123456", 100);
    assertThat(tws.read()).isEqualTo("5|1|");
    assertThat(tws.read()).isEqualTo("7|3|100|0|DU123456|20240102-05:00:00|||||");
    assertThat(tws.read()).isEqualTo("62|1|101|All|NetLiquidation,TotalCashValue,GrossPositionValue,AvailableFunds|");
    tws.send("63|1|101|DU123456|NetLiquidation|100250.75|USD|");
    tws.send("64|1|101|");
    Await.until("account", () -> !events.accounts.isEmpty());
    assertThat(events.accounts.get(0).netLiquidation()).isEqualTo(100250.75);
  }

  @Test
  void liveAccountIsRefusedWithoutBothSwitches() throws Exception {
    connect("U1234567");
    assertThat(broker.accountMode()).isEqualTo(AccountMode.LIVE);
    broker.submit(C1, OrderRequest.market(AAPL, Side.BUY, 1));
    OrderRejected r = (OrderRejected) events.events.get(0);
    assertThat(r.code()).isEqualTo("LIVE_ACCOUNT_REFUSED");
    assertThat(r.reason()).contains("liveTrading(true)").contains("ALGOTRADE_LIVE=yes");
    broker.cancelAll();
    assertThat(tws.read()).isEqualTo("58|1|"); // the placeOrder never went out
  }

  @Test
  void statusFromAnotherClientIdIsMatchedByPermId() throws Exception {
    connect("DU123456");
    submitLimit();
    tws.send(openOrder(101, "c-1", "LMT", "150.25", "PreSubmitted")); // learns permId
    // a status as a master client would see it: client id 0, same permId
    tws.send("3|101|Cancelled|0|100|0.0|" + Frames.permId(101) + "|0|0.0|0||0.0|");
    sync();
    assertThat(events.events).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("OrderAccepted", "OrderCancelled");
  }

  @Test
  void unacknowledgedOrderTriggersAnOpenOrdersRequestOnce() throws Exception {
    connect("DU123456");
    submitLimit();
    clock.advance(Duration.ofSeconds(10));
    broker.sweep();
    clock.advance(Duration.ofSeconds(1));
    broker.sweep();
    broker.sweep();
    assertThat(tws.read()).isEqualTo("5|1|");
    broker.cancelAll();
    assertThat(tws.read()).isEqualTo("58|1|"); // only one reqOpenOrders went out
  }

  /**
   * The acknowledgement check walks only orders that may still be waiting, oldest first: an
   * acknowledged one is dropped, a late one is reported once, a younger one later in its turn.
   */
  @Test
  void eachUnacknowledgedOrderIsReportedOnceInItsTurn() throws Exception {
    connect("DU123456");
    broker.submit(ClientOrderId.of("a-1"), OrderRequest.limit(AAPL, Side.BUY, 100, 150.25));
    assertThat(tws.read()).startsWith("3|101|");
    tws.send(orderStatus(101, "Submitted", 0, 100, "0.0"));
    clock.advance(Duration.ofSeconds(1));
    broker.submit(ClientOrderId.of("a-2"), OrderRequest.limit(AAPL, Side.BUY, 100, 150.25));
    assertThat(tws.read()).startsWith("3|102|");
    clock.advance(Duration.ofSeconds(5));
    broker.submit(ClientOrderId.of("a-3"), OrderRequest.limit(AAPL, Side.BUY, 100, 150.25));
    assertThat(tws.read()).startsWith("3|103|");
    sync(); // a-1's status is in
    clock.advance(Duration.ofMillis(5_500)); // a-2 waited 10.5 s, a-3 5.5 s
    broker.sweep();
    broker.sweep();
    assertThat(tws.read()).isEqualTo("5|1|");
    clock.advance(Duration.ofSeconds(5)); // a-3 waited 10.5 s
    broker.sweep();
    broker.sweep();
    assertThat(tws.read()).isEqualTo("5|1|");
    broker.cancelAll();
    assertThat(tws.read()).isEqualTo("58|1|"); // two requests, no more
  }

  @Test
  void pricesLoseTickRoundingNoise() {
    assertThat(IbBroker.clean(0.1 + 0.2)).isEqualTo(0.3);
    assertThat(IbBroker.clean(150.25000000000003)).isEqualTo(150.25);
    assertThat(Double.toString(IbBroker.clean(3006 * 0.05))).isEqualTo("150.3");
  }

  @Test
  void submitBeforeConnectIsRejectedNotQueued() {
    IbConfig config = IbConfig.builder().port(tws.port()).clientId(7).build();
    broker = IbBroker.create(config, clock);
    broker.connect(events);
    broker.submit(C1, OrderRequest.market(AAPL, Side.BUY, 1));
    assertThat(events.of(OrderRejected.class)).singleElement()
        .satisfies(r -> assertThat(r.code()).isEqualTo("NOT_CONNECTED"));
  }
}
