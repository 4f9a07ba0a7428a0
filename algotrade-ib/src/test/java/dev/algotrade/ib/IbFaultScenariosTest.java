package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelRejected;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.core.time.SystemClock;
import dev.algotrade.ib.testkit.FaultPoint;
import dev.algotrade.ib.testkit.SimFill;
import dev.algotrade.ib.testkit.SimOrder;
import dev.algotrade.ib.testkit.SimPosition;
import dev.algotrade.ib.testkit.SimulatedGateway;
import dev.algotrade.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fault scenarios over a real loopback socket: an {@link IbBroker} and an {@link IbFeed} sharing
 * one {@link IbClient}, against a {@link SimulatedGateway} whose faults are scripted. Each test
 * asserts the final state (fills counted once, positions, terminal states, subscriptions)
 * against the gateway's own books.
 */
class IbFaultScenariosTest {

  private static final String SYMBOL = "AAPL";
  private static final Instrument AAPL = Instrument.stock(SYMBOL);
  private static final int CLIENT_ID = 9;
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private SimulatedGateway gateway;
  private IbClient client;
  private IbBroker broker;
  private IbFeed feed;
  private final RecordingBrokerListener events = new RecordingBrokerListener();
  private final RecordingFeedListener data = new RecordingFeedListener();

  @BeforeEach
  void startGateway() {
    gateway = SimulatedGateway.builder().port(0).instrument(SYMBOL, 265598, 0.01, 100.00).build().start();
    gateway.setQuote(SYMBOL, 100.00, 100.02, 1000, 1000);
  }

  @AfterEach
  void stop() {
    if (feed != null) {
      feed.stop();
    }
    if (broker != null) {
      broker.close();
    }
    if (client != null) {
      client.close();
    }
    gateway.close();
  }

  private void connect(boolean withFeed) {
    // a short backoff on the system clock: a reconnect takes a fraction of a second
    IbConfig config = IbConfig.builder().host("127.0.0.1").port(gateway.port()).clientId(CLIENT_ID)
        .connectTimeout(Duration.ofSeconds(5)).commissionTimeout(Duration.ofSeconds(2))
        .reconnect(ReconnectPolicy.ofDefaults().withDelays(Duration.ofMillis(50), Duration.ofMillis(400))).build();
    client = IbClient.create(config, SystemClock.instance());
    broker = IbBroker.on(client);
    broker.connect(events);
    if (withFeed) {
      feed = IbFeed.on(client);
      feed.subscribe(AAPL);
      feed.start(data);
      await("first quote", () -> !data.of(Quote.class).isEmpty());
    }
    await("broker connected", () -> lastStatus() == ConnectionState.CONNECTED);
  }

  private static void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition);
  }

  private ConnectionState lastStatus() {
    List<BrokerStatus> s = events.statuses;
    return s.isEmpty() ? null : s.get(s.size() - 1).state();
  }

  private SimOrder gatewayOrder(ClientOrderId id) {
    return gateway.orders().stream().filter(o -> o.orderRef().equals(id.value())).findFirst().orElse(null);
  }

  private List<OrderFilled> fillsOf(ClientOrderId id) {
    return events.of(OrderFilled.class).stream().filter(f -> id.equals(f.fill().clientOrderId()))
        .collect(Collectors.toList());
  }

  private <T extends OrderEvent> List<T> eventsOf(Class<T> type, ClientOrderId id) {
    return events.of(type).stream().filter(e -> e.clientOrderId().equals(id)).collect(Collectors.toList());
  }

  private double gatewayPosition() {
    return gateway.positions().stream().filter(p -> p.symbol().equals(SYMBOL)).mapToDouble(SimPosition::quantity)
        .sum();
  }

  /** The position the broker reports now (asks for a fresh report and waits for it). */
  private double reportedPosition() {
    int before = events.positions.size();
    broker.requestPositions();
    await("positions report", () -> events.positions.size() > before);
    return events.positions.get(events.positions.size() - 1).positions().stream()
        .filter(p -> p.instrument().equals(AAPL.id())).mapToDouble(Position::quantity).sum();
  }

  /** Fills the broker reported, by execution id, each exactly once, equal to the gateway's. */
  private void assertFillsMatchGateway() {
    List<String> ours = events.of(OrderFilled.class).stream().map(f -> f.fill().executionId())
        .collect(Collectors.toList());
    Set<String> theirs = gateway.fills().stream().map(SimFill::execId).collect(Collectors.toSet());
    assertThat(ours).as("every execution once").doesNotHaveDuplicates();
    assertThat(Set.copyOf(ours)).as("no execution lost or invented").isEqualTo(theirs);
  }

  // ---------------------------------------------------------------- (a) socket lost between ack and fill

  @Test
  void socketLostBetweenAckAndFillGivesTheFillOnceAfterTheReconnect() {
    connect(true);
    int oldTicker = feed.tickerIdOf(AAPL.id());
    gateway.faults().dropConnectionAt(FaultPoint.BETWEEN_ACK_AND_FILL);
    ClientOrderId id = ClientOrderId.of("a-1");
    broker.submit(id, OrderRequest.market(AAPL.id(), Side.BUY, 100));
    await("restored", () -> broker.restores() == 1 && lastStatus() == ConnectionState.CONNECTED);
    assertThat(events.statuses).extracting(BrokerStatus::state).contains(ConnectionState.DISCONNECTED);
    assertThat(gatewayOrder(id).status()).isEqualTo("Filled");
    assertThat(eventsOf(OrderAccepted.class, id)).as("acknowledged before the drop").hasSize(1);
    assertThat(fillsOf(id)).as("the fill missed during the outage, once").hasSize(1);
    assertThat(fillsOf(id).get(0).fill().quantity()).isEqualTo(100);
    assertThat(events.positions.get(events.positions.size() - 1).positions()).as("positions reported by the restore")
        .extracting(Position::quantity).containsExactly(100.0);
    assertThat(reportedPosition()).isEqualTo(100).isEqualTo(gatewayPosition());
    assertFillsMatchGateway();

    // the feed is back too, under a fresh ticker id, subscribed once
    await("resubscribed", () -> feed.resubscriptions() == 1);
    int newTicker = feed.tickerIdOf(AAPL.id());
    assertThat(newTicker).isGreaterThan(oldTicker);
    gateway.setQuote(SYMBOL, 100.40, 100.42, 500, 500);
    await("quotes after the reconnect", () -> data.of(Quote.class).stream().anyMatch(q -> q.bid() == 100.40));
    assertThat(gateway.marketDataSubscriptions().get(CLIENT_ID)).containsExactly(newTicker);
    assertThat(data.statuses).anyMatch(st -> st.state() == FeedState.DISCONNECTED && st.instrument() == null);
  }

  // ---------------------------------------------------------------- (h) finished while disconnected

  @Test
  void ordersFinishedWhileDisconnectedEndInTheRightStateAfterTheReconnect() {
    connect(false);
    ClientOrderId cancelledAtIb = ClientOrderId.of("h-1");
    ClientOrderId filledMeanwhile = ClientOrderId.of("h-2");
    ClientOrderId cancelQueued = ClientOrderId.of("h-3");
    ClientOrderId stillOpen = ClientOrderId.of("h-4");
    broker.submit(cancelledAtIb, OrderRequest.limit(AAPL.id(), Side.BUY, 100, 99.00));
    broker.submit(filledMeanwhile, OrderRequest.limit(AAPL.id(), Side.SELL, 50, 101.00));
    broker.submit(cancelQueued, OrderRequest.limit(AAPL.id(), Side.BUY, 30, 98.00));
    broker.submit(stillOpen, OrderRequest.limit(AAPL.id(), Side.BUY, 20, 97.00));
    await("all accepted", () -> events.of(OrderAccepted.class).size() == 4);

    gateway.faults().refuseConnections(true);
    gateway.faults().dropConnectionNow();
    await("disconnected", () -> lastStatus() == ConnectionState.DISCONNECTED);
    gateway.cancelOrder(CLIENT_ID, gatewayOrder(cancelledAtIb).orderId()); // a TWS user cancels it
    gateway.setQuote(SYMBOL, 101.00, 101.02, 1000, 1000); // the sell limit fills
    broker.cancel(cancelQueued); // queued: no connection
    ClientOrderId refused = ClientOrderId.of("h-5");
    broker.submit(refused, OrderRequest.market(AAPL.id(), Side.BUY, 1));
    assertThat(eventsOf(OrderRejected.class, refused)).extracting(OrderRejected::code).containsExactly("NOT_CONNECTED");
    assertThat(eventsOf(OrderCancelled.class, cancelQueued)).as("not cancelled yet").isEmpty();

    int openReportsBefore = events.openOrders.size();
    gateway.faults().refuseConnections(false);
    await("restored", () -> broker.restores() == 1 && lastStatus() == ConnectionState.CONNECTED);

    assertThat(eventsOf(OrderCancelled.class, cancelledAtIb)).as("cancelled at IB while away").hasSize(1);
    assertThat(eventsOf(OrderCancelled.class, cancelledAtIb).get(0).reason()).contains("not open at IB");
    assertThat(fillsOf(filledMeanwhile)).as("filled while away, reported once").hasSize(1);
    assertThat(eventsOf(OrderCancelled.class, filledMeanwhile)).isEmpty();
    await("queued cancel done", () -> eventsOf(OrderCancelled.class, cancelQueued).size() == 1);
    assertThat(gatewayOrder(cancelQueued).status()).isEqualTo("Cancelled");
    assertThat(gatewayOrder(stillOpen).status()).isEqualTo("Submitted");
    assertThat(events.openOrders.size()).isGreaterThan(openReportsBefore);
    assertThat(events.openOrders.get(openReportsBefore).orders()).extracting(Order::clientOrderId)
        .contains(stillOpen).doesNotContain(cancelledAtIb, filledMeanwhile);
    assertThat(eventsOf(OrderCancelled.class, stillOpen)).isEmpty();
    assertThat(reportedPosition()).isEqualTo(-50).isEqualTo(gatewayPosition());
    assertFillsMatchGateway();
    broker.cancel(filledMeanwhile);
    await("cancel of a filled order refused", () -> !eventsOf(OrderCancelRejected.class, filledMeanwhile).isEmpty());
  }

  @Test
  void anOrderLostWithTheSocketIsRejectedLostAndTheNextGoesThrough() {
    connect(false);
    gateway.faults().dropConnectionAt(FaultPoint.BEFORE_ACK);
    ClientOrderId lost = ClientOrderId.of("l-1");
    broker.submit(lost, OrderRequest.limit(AAPL.id(), Side.BUY, 10, 99.50));
    await("restored", () -> broker.restores() == 1 && lastStatus() == ConnectionState.CONNECTED);
    assertThat(gatewayOrder(lost)).as("never reached IB").isNull();
    assertThat(eventsOf(OrderRejected.class, lost)).extracting(OrderRejected::code).containsExactly("LOST");
    ClientOrderId next = ClientOrderId.of("l-2");
    broker.submit(next, OrderRequest.market(AAPL.id(), Side.BUY, 10));
    await("next order filled", () -> fillsOf(next).size() == 1);
    assertThat(reportedPosition()).isEqualTo(10).isEqualTo(gatewayPosition());
  }

  @Test
  void cancelAllWhileDisconnectedGoesOutAfterTheReconnect() {
    connect(false);
    ClientOrderId a = ClientOrderId.of("x-1");
    ClientOrderId b = ClientOrderId.of("x-2");
    broker.submit(a, OrderRequest.limit(AAPL.id(), Side.BUY, 10, 99.00));
    broker.submit(b, OrderRequest.limit(AAPL.id(), Side.SELL, 10, 101.00));
    await("accepted", () -> events.of(OrderAccepted.class).size() == 2);
    gateway.faults().refuseConnections(true);
    gateway.faults().dropConnectionNow();
    await("disconnected", () -> lastStatus() == ConnectionState.DISCONNECTED);
    broker.cancelAll(); // the breaker's hammer while the socket is down: queued, not lost
    gateway.faults().refuseConnections(false);
    await("both cancelled", () -> eventsOf(OrderCancelled.class, a).size() == 1
        && eventsOf(OrderCancelled.class, b).size() == 1);
    assertThat(gatewayOrder(a).status()).isEqualTo("Cancelled");
    assertThat(gatewayOrder(b).status()).isEqualTo("Cancelled");
    await("restored", () -> broker.restores() == 1 && lastStatus() == ConnectionState.CONNECTED);
  }

  // ---------------------------------------------------------------- (b) 1100 then 1101

  @Test
  void dataLostRestoresSubscriptionsUnderFreshTickerIds() {
    connect(true);
    int oldId = feed.tickerIdOf(AAPL.id());
    assertThat(gateway.marketDataSubscriptions().get(CLIENT_ID)).containsExactly(oldId);

    gateway.faults().connectivityLost();
    await("feed stale on 1100", () -> data.statuses.stream()
        .anyMatch(s -> s.state() == FeedState.STALE && s.instrument() == null));
    await("broker degraded", () -> lastStatus() == ConnectionState.DEGRADED);
    gateway.setQuote(SYMBOL, 100.10, 100.12, 500, 500); // not published while IB is unreachable

    gateway.faults().connectivityRestored(false); // 1101: the gateway dropped the subscriptions
    await("resubscribed", () -> feed.resubscriptions() == 1);
    int newId = feed.tickerIdOf(AAPL.id());
    assertThat(newId).as("fresh ticker id").isGreaterThan(oldId);
    await("instrument resumed", () -> data.statuses.stream().anyMatch(
        s -> s.state() == FeedState.CONNECTED && AAPL.id().equals(s.instrument())));
    await("quote from the new subscription", () -> data.of(Quote.class).stream().anyMatch(q -> q.bid() == 100.10));
    gateway.setQuote(SYMBOL, 100.20, 100.22, 500, 500);
    await("quotes flow again", () -> data.of(Quote.class).stream().anyMatch(q -> q.bid() == 100.20));
    assertThat(gateway.marketDataSubscriptions().get(CLIENT_ID)).as("one subscription, the new id")
        .containsExactly(newId);
    await("broker restored", () -> broker.restores() == 1 && lastStatus() == ConnectionState.CONNECTED);
    assertThat(events.openOrders).as("open orders reported by the restore").isNotEmpty();
  }

  // ---------------------------------------------------------------- (c) 1100 then 1102

  @Test
  void dataMaintainedKeepsSubscriptionsAndDataContinues() {
    connect(true);
    int id = feed.tickerIdOf(AAPL.id());
    gateway.faults().connectivityLost();
    await("broker degraded", () -> lastStatus() == ConnectionState.DEGRADED);

    gateway.faults().connectivityRestored(true); // 1102
    await("broker restored", () -> broker.restores() == 1 && lastStatus() == ConnectionState.CONNECTED);
    gateway.setQuote(SYMBOL, 100.30, 100.32, 500, 500);
    await("data continues", () -> data.of(Quote.class).stream().anyMatch(q -> q.bid() == 100.30));
    assertThat(feed.resubscriptions()).as("nothing re-requested").isZero();
    assertThat(feed.tickerIdOf(AAPL.id())).isEqualTo(id);
    assertThat(gateway.marketDataSubscriptions().get(CLIENT_ID)).containsExactly(id);
    assertThat(data.statuses).as("whole feed CONNECTED again after STALE")
        .anyMatch(s -> s.state() == FeedState.CONNECTED && s.instrument() == null && s.detail().contains("1102"));
  }

  // ---------------------------------------------------------------- (d) reject with a code

  @Test
  void rejectionCarriesIbsCode() {
    connect(false);
    gateway.faults().rejectNextOrder(201, "Order rejected - reason:Insufficient margin");
    ClientOrderId id = ClientOrderId.of("d-1");
    broker.submit(id, OrderRequest.market(AAPL.id(), Side.BUY, 100));
    await("rejected", () -> !eventsOf(OrderRejected.class, id).isEmpty());
    OrderRejected r = eventsOf(OrderRejected.class, id).get(0);
    assertThat(r.code()).isEqualTo("201");
    assertThat(r.reason()).contains("Insufficient margin");
    assertThat(gatewayOrder(id).status()).isEqualTo("Cancelled");
    assertThat(eventsOf(OrderAccepted.class, id)).isEmpty();
    assertThat(reportedPosition()).isZero();
    assertThat(events.of(OrderFilled.class)).isEmpty();
  }

  // ---------------------------------------------------------------- (e) duplicate execDetails

  @Test
  void duplicateExecutionIsOneFill() {
    connect(false);
    gateway.faults().duplicateNextExecDetails();
    ClientOrderId id = ClientOrderId.of("e-1");
    broker.submit(id, OrderRequest.market(AAPL.id(), Side.BUY, 100));
    await("filled at the gateway", () -> gatewayOrder(id) != null && gatewayOrder(id).status().equals("Filled"));
    await("duplicate seen", () -> broker.duplicateExecutions() == 1);
    await("fill reported", () -> fillsOf(id).size() == 1);
    assertThat(reportedPosition()).isEqualTo(100).isEqualTo(gatewayPosition());
    assertThat(fillsOf(id)).hasSize(1);
    assertFillsMatchGateway();
  }

  // ---------------------------------------------------------------- (f) out-of-order statuses

  @Test
  void statusBeforeOpenOrderAndDuplicateStatusEndRight() {
    connect(false);
    gateway.faults().statusBeforeOpenOrder();
    ClientOrderId id = ClientOrderId.of("f-1");
    broker.submit(id, OrderRequest.limit(AAPL.id(), Side.BUY, 100, 99.90)); // rests below the ask
    await("accepted", () -> !eventsOf(OrderAccepted.class, id).isEmpty());
    gateway.faults().duplicateNextOrderStatus();
    gateway.setQuote(SYMBOL, 99.88, 99.90, 1000, 1000); // the ask comes down to the limit
    await("fill reported", () -> fillsOf(id).size() == 1);
    assertThat(gatewayOrder(id).status()).isEqualTo("Filled");
    broker.cancel(id); // too late: finished on both sides
    await("cancel refused", () -> !eventsOf(OrderCancelRejected.class, id).isEmpty());
    assertThat(eventsOf(OrderAccepted.class, id)).as("accepted once").hasSize(1);
    assertThat(eventsOf(OrderCancelled.class, id)).isEmpty();
    assertThat(reportedPosition()).isEqualTo(100).isEqualTo(gatewayPosition());
    assertFillsMatchGateway();
  }

  // ---------------------------------------------------------------- (g) delayed replies

  @Test
  void delayedRepliesStillEndRight() {
    connect(false);
    gateway.faults().delayReplies(Duration.ofMillis(20));
    ClientOrderId market = ClientOrderId.of("g-1");
    ClientOrderId resting = ClientOrderId.of("g-2");
    ClientOrderId sell = ClientOrderId.of("g-3");
    broker.submit(market, OrderRequest.market(AAPL.id(), Side.BUY, 200));
    broker.submit(resting, OrderRequest.limit(AAPL.id(), Side.BUY, 50, 95.00));
    broker.submit(sell, OrderRequest.market(AAPL.id(), Side.SELL, 50));
    await("resting order accepted", () -> !eventsOf(OrderAccepted.class, resting).isEmpty());
    broker.cancel(resting);
    await("cancelled", () -> !eventsOf(OrderCancelled.class, resting).isEmpty());
    await("fills", () -> fillsOf(market).size() == 1 && fillsOf(sell).size() == 1);
    gateway.faults().delayReplies(Duration.ZERO);
    assertThat(gatewayOrder(resting).status()).isEqualTo("Cancelled");
    assertThat(reportedPosition()).isEqualTo(150).isEqualTo(gatewayPosition());
    assertFillsMatchGateway();
  }

  // ---------------------------------------------------------------- restart: adoption and missed fills

  @Test
  void aRestartedBrokerAdoptsItsOrdersAndReportsMissedFillsOnce() {
    connect(false);
    ClientOrderId done = ClientOrderId.of("r-1");
    ClientOrderId resting = ClientOrderId.of("r-2");
    ClientOrderId fillsWhileDown = ClientOrderId.of("r-3");
    broker.submit(done, OrderRequest.market(AAPL.id(), Side.BUY, 100));
    broker.submit(resting, OrderRequest.limit(AAPL.id(), Side.BUY, 10, 90.00));
    broker.submit(fillsWhileDown, OrderRequest.limit(AAPL.id(), Side.SELL, 40, 100.50));
    await("fill of r-1", () -> fillsOf(done).size() == 1);
    await("both limits accepted", () -> !eventsOf(OrderAccepted.class, resting).isEmpty()
        && !eventsOf(OrderAccepted.class, fillsWhileDown).isEmpty());
    String knownExec = fillsOf(done).get(0).fill().executionId();
    broker.close();
    client.close();
    await("gone at the gateway", () -> gateway.connectedClientIds().isEmpty());

    gateway.setQuote(SYMBOL, 100.50, 100.52, 1000, 1000); // r-3 fills while nobody listens
    assertThat(gatewayOrder(fillsWhileDown).status()).isEqualTo("Filled");

    RecordingBrokerListener after = new RecordingBrokerListener();
    client = IbClient.create(IbConfig.builder().host("127.0.0.1").port(gateway.port()).clientId(CLIENT_ID)
        .connectTimeout(Duration.ofSeconds(5)).build(), SystemClock.instance());
    broker = IbBroker.on(client).knownExecutions(List.of(knownExec));
    broker.connect(after);
    broker.requestOpenOrders();
    await("open orders", () -> !after.openOrders.isEmpty());
    List<Order> open = after.openOrders.get(0).orders();
    assertThat(open).extracting(Order::clientOrderId).containsExactly(resting);
    await("missed fill", () -> after.of(OrderFilled.class).size() == 1);
    OrderFilled missed = after.of(OrderFilled.class).get(0);
    assertThat(missed.fill().clientOrderId()).isEqualTo(fillsWhileDown);
    assertThat(missed.fill().quantity()).isEqualTo(40);
    assertThat(broker.duplicateExecutions()).as("the known execution was replayed and dropped").isEqualTo(1);
  }
}
