package dev.algotrade.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.market.Trade;
import dev.algotrade.api.order.BrokerOrderId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.OrderSubmitted;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.order.TimeInForce;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.store.BreakerState;
import dev.algotrade.api.store.DailyPnl;
import dev.algotrade.api.store.RecoveryState;
import dev.algotrade.api.store.RiskEvent;
import dev.algotrade.api.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do, above all for recovery: extend it, supply a fresh store and
 * a way to reopen a closed one over the same data. Each test records through the public
 * {@code Store} methods, checks {@link Store#loadRecovery} on the live store, closes it, reopens
 * it and checks that the reopened store says exactly the same.
 *
 * <p>Not thread-safe; JUnit runs each test on one thread.
 */
public abstract class StoreContractTest {

  protected static final LocalDate DAY = LocalDate.of(2024, 1, 2);
  protected static final LocalDate NEXT_DAY = LocalDate.of(2024, 1, 3);
  protected static final InstrumentId AAPL = InstrumentId.of("AAPL");
  protected static final InstrumentId MSFT = InstrumentId.of("MSFT");
  protected static final InstrumentId IBM = InstrumentId.of("IBM");
  protected static final Instant T0 = Instant.parse("2024-01-02T14:30:00.123456789Z");

  /** The store under test; replaced by {@link #recoverAcrossRestart}. */
  protected Store store;

  /** A new, empty store. */
  protected abstract Store createStore() throws Exception;

  /** A store over the same data as {@code closed}, which the test has closed: a restart. */
  protected abstract Store reopen(Store closed) throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = createStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /**
   * Loads the recovery state live, restarts the store, loads it again, asserts both agree and
   * returns it.
   */
  protected RecoveryState recoverAcrossRestart(LocalDate day) throws Exception {
    RecoveryState live = store.loadRecovery(day);
    store.close();
    store = reopen(store);
    RecoveryState reopened = store.loadRecovery(day);
    assertThat(reopened).as("recovery state after a restart").isEqualTo(live);
    return reopened;
  }

  protected static Instant t(long seconds) {
    return T0.plusSeconds(seconds);
  }

  protected static Fill fill(String clientId, String execId, InstrumentId id, Side side, double qty, double price,
      long atSecond) {
    return new Fill(clientId == null ? null : ClientOrderId.of(clientId), execId, id, side, qty, price, 1.0,
        t(atSecond));
  }

  protected static Order order(String clientId, String brokerId, OrderRequest request, OrderStatus status,
      double filled, double avg, long createdSecond, long updatedSecond, String reason) {
    return new Order(ClientOrderId.of(clientId), brokerId == null ? null : BrokerOrderId.of(brokerId), request,
        status, filled, avg, t(createdSecond), t(updatedSecond), reason);
  }

  // ------------------------------------------------------------------ tests

  @Test
  void aFirstStartRecoversNothing() throws Exception {
    RecoveryState s = recoverAcrossRestart(DAY);
    assertThat(s.isEmpty()).isTrue();
    assertThat(s.tradingDay()).isEqualTo(DAY);
    assertThat(s.dayStartEquity()).isNaN();
    assertThat(s.peakEquity()).isNaN();
    assertThat(s.breaker()).isNull();
    assertThat(s.nextOrderSequence()).isEqualTo(1);
  }

  @Test
  void realizedPnlIsTheSumOverThatTradingDaysFillsOnly() throws Exception {
    store.recordFill(fill("O-1", "E1", AAPL, Side.BUY, 10, 100, 0), 0, DAY);
    store.recordFill(fill("O-2", "E2", AAPL, Side.SELL, 5, 110, 1), 50.0, DAY);
    store.recordFill(fill("O-3", "E3", AAPL, Side.SELL, 5, 90, 2), -50.25, DAY);
    store.recordFill(fill("O-4", "E4", AAPL, Side.BUY, 1, 95, 3), 1000.0, NEXT_DAY);

    assertThat(recoverAcrossRestart(DAY).realizedPnl()).isCloseTo(-0.25, within(1e-9));
    assertThat(store.loadRecovery(NEXT_DAY).realizedPnl()).isCloseTo(1000.0, within(1e-9));
    assertThat(store.loadRecovery(LocalDate.of(2024, 1, 4)).realizedPnl()).isZero();
  }

  @Test
  void aRepeatedExecutionIdIsStoredOnce() throws Exception {
    Fill f = fill("O-1", "E-dup", AAPL, Side.BUY, 10, 100, 0);
    store.recordFill(f, 7.0, DAY);
    store.recordFill(f, 7.0, DAY);
    store.recordFill(new Fill(f.clientOrderId(), "E-dup", AAPL, Side.BUY, 10, 101, 1.0, t(5)), 7.0, DAY);

    RecoveryState s = recoverAcrossRestart(DAY);
    assertThat(s.realizedPnl()).isEqualTo(7.0);
    assertThat(s.positions()).containsExactly(new Position(AAPL, 10, 100));
  }

  @Test
  void executionIdsReachBackAWeekAndNoFurtherForward() throws Exception {
    LocalDate weekAgo = DAY.minusDays(RecoveryState.EXECUTION_ID_DAYS);
    store.recordFill(fill("O-1", "E-old", AAPL, Side.BUY, 1, 100, 0), 0, weekAgo.minusDays(1));
    store.recordFill(fill("O-2", "E-week", AAPL, Side.BUY, 1, 100, 1), 0, weekAgo);
    store.recordFill(fill("O-3", "E-day", AAPL, Side.BUY, 1, 100, 2), 0, DAY);
    store.recordFill(fill("O-4", "E-next", AAPL, Side.BUY, 1, 100, 3), 0, NEXT_DAY);

    RecoveryState s = recoverAcrossRestart(DAY);
    assertThat(s.executionIds()).containsExactlyInAnyOrder("E-week", "E-day");
    assertThat(s.isEmpty()).isFalse();
    assertThat(store.loadRecovery(NEXT_DAY.plusDays(30)).executionIds()).isEmpty();
  }

  @Test
  void openOrdersAreTheWorkingOnesWithClientAndBrokerIds() throws Exception {
    OrderRequest limit = OrderRequest.limit(AAPL, Side.BUY, 100, 150.25).withTag("ma-cross");
    OrderRequest stopLimit = OrderRequest.stopLimit(MSFT, Side.SELL, 30, 299.5, 299.0)
        .withTimeInForce(TimeInForce.GTC);
    OrderRequest market = OrderRequest.market(IBM, Side.BUY, 5);

    // A: accepted, working
    Order a0 = order("O20240102T143000-1", null, limit, OrderStatus.PENDING_SUBMIT, 0, Double.NaN, 0, 0, "");
    store.recordOrderEvent(new OrderSubmitted(a0.clientOrderId(), limit, t(0)), a0);
    Order a1 = order("O20240102T143000-1", "101", limit, OrderStatus.ACCEPTED, 0, Double.NaN, 0, 1, "");
    store.recordOrderEvent(new OrderAccepted(a1.clientOrderId(), BrokerOrderId.of("101"), t(1)), a1);
    // B: partially filled, still working
    Order b0 = order("O20240102T143000-2", null, stopLimit, OrderStatus.PENDING_SUBMIT, 0, Double.NaN, 2, 2, "");
    store.recordOrderEvent(new OrderSubmitted(b0.clientOrderId(), stopLimit, t(2)), b0);
    Order b1 = order("O20240102T143000-2", "102", stopLimit, OrderStatus.ACCEPTED, 0, Double.NaN, 2, 3, "");
    store.recordOrderEvent(new OrderAccepted(b1.clientOrderId(), BrokerOrderId.of("102"), t(3)), b1);
    Fill bf = fill("O20240102T143000-2", "E-b1", MSFT, Side.SELL, 10, 299.25, 4);
    Order b2 = order("O20240102T143000-2", "102", stopLimit, OrderStatus.PARTIALLY_FILLED, 10, 299.25, 2, 4, "");
    store.recordOrderEvent(new OrderFilled(bf), b2);
    store.recordFill(bf, 0, DAY);
    // C: filled, done
    Order c0 = order("O20240102T143000-3", null, market, OrderStatus.PENDING_SUBMIT, 0, Double.NaN, 5, 5, "");
    store.recordOrderEvent(new OrderSubmitted(c0.clientOrderId(), market, t(5)), c0);
    Fill cf = fill("O20240102T143000-3", "E-c1", IBM, Side.BUY, 5, 120, 6);
    Order c1 = order("O20240102T143000-3", "103", market, OrderStatus.FILLED, 5, 120, 5, 6, "");
    store.recordOrderEvent(new OrderFilled(cf), c1);
    store.recordFill(cf, 0, DAY);
    // D: denied by risk, never sent
    Order d = order("O20240102T143000-4", null, market, OrderStatus.DENIED, 0, Double.NaN, 7, 7,
        "MAX_ORDER_SIZE: qty=5 limit=1");
    store.recordOrderEvent(new OrderDenied(d.clientOrderId(), market, "MAX_ORDER_SIZE", "qty=5 limit=1", t(7)), d);
    // E: sent, no acknowledgement yet
    Order e = order("O20240102T143000-5", null, market, OrderStatus.PENDING_SUBMIT, 0, Double.NaN, 8, 8, "");
    store.recordOrderEvent(new OrderSubmitted(e.clientOrderId(), market, t(8)), e);
    // F: accepted then cancelled
    Order f0 = order("O20240102T143000-6", "106", limit, OrderStatus.ACCEPTED, 0, Double.NaN, 9, 9, "");
    store.recordOrderEvent(new OrderAccepted(f0.clientOrderId(), BrokerOrderId.of("106"), t(9)), f0);
    Order f1 = order("O20240102T143000-6", "106", limit, OrderStatus.CANCELLED, 0, Double.NaN, 9, 10, "by user");
    store.recordOrderEvent(new OrderCancelled(f1.clientOrderId(), "by user", t(10)), f1);

    RecoveryState s = recoverAcrossRestart(DAY);
    assertThat(s.openOrders()).containsExactly(a1, b2, e);
    assertThat(s.openOrders().get(0).brokerOrderId()).isEqualTo(BrokerOrderId.of("101"));
    assertThat(s.openOrders().get(2).brokerOrderId()).isNull();
    assertThat(s.nextOrderSequence()).isEqualTo(7);
  }

  @Test
  void aKnownBrokerIdIsKeptWhenALaterSnapshotLacksIt() throws Exception {
    OrderRequest limit = OrderRequest.limit(AAPL, Side.BUY, 100, 150.25);
    Order a1 = order("O-1", "101", limit, OrderStatus.ACCEPTED, 0, Double.NaN, 0, 1, "");
    store.recordOrderEvent(new OrderAccepted(a1.clientOrderId(), BrokerOrderId.of("101"), t(1)), a1);
    Order a2 = order("O-1", null, limit, OrderStatus.PARTIALLY_FILLED, 10, 150, 0, 2, "");
    store.recordOrderEvent(new OrderFilled(fill("O-1", "E1", AAPL, Side.BUY, 10, 150, 2)), a2);

    RecoveryState s = recoverAcrossRestart(DAY);
    assertThat(s.openOrders()).hasSize(1);
    assertThat(s.openOrders().get(0).brokerOrderId()).isEqualTo(BrokerOrderId.of("101"));
    assertThat(s.openOrders().get(0).status()).isEqualTo(OrderStatus.PARTIALLY_FILLED);
    assertThat(s.openOrders().get(0).filledQuantity()).isEqualTo(10);
  }

  @Test
  void positionsNetEveryFillWithTheUsualAveragePrice() throws Exception {
    // AAPL: opens average in, a reduction keeps the average
    store.recordFill(fill("O-1", "E1", AAPL, Side.BUY, 100, 10, 0), 0, DAY);
    store.recordFill(fill("O-2", "E2", AAPL, Side.BUY, 100, 12, 1), 0, DAY);
    store.recordFill(fill("O-3", "E3", AAPL, Side.SELL, 50, 20, 2), 450, NEXT_DAY);
    // MSFT: short, then a buy that flips through zero starts a new average at the flip price
    store.recordFill(fill("O-4", "E4", MSFT, Side.SELL, 10, 5, 3), 0, DAY);
    store.recordFill(fill("O-5", "E5", MSFT, Side.BUY, 30, 6, 4), -10, DAY);
    // IBM: round trip, flat, not listed
    store.recordFill(fill("O-6", "E6", IBM, Side.BUY, 5, 100, 5), 0, DAY);
    store.recordFill(fill("O-7", "E7", IBM, Side.SELL, 5, 101, 6), 5, DAY);
    // a fill of an order we did not place still moves the position
    store.recordFill(fill(null, "E8", MSFT, Side.SELL, 5, 7, 7), 5, DAY);

    RecoveryState s = recoverAcrossRestart(DAY);
    assertThat(s.positions()).hasSize(2);
    assertThat(s.positions().get(0).instrument()).isEqualTo(AAPL);
    assertThat(s.positions().get(0).quantity()).isCloseTo(150, within(1e-9));
    assertThat(s.positions().get(0).averagePrice()).isCloseTo(11, within(1e-9));
    assertThat(s.positions().get(1).instrument()).isEqualTo(MSFT);
    assertThat(s.positions().get(1).quantity()).isCloseTo(15, within(1e-9));
    assertThat(s.positions().get(1).averagePrice()).isCloseTo(6, within(1e-9));
    assertThat(s.realizedPnl()).isCloseTo(0, within(1e-9));
    assertThat(s.nextOrderSequence()).isEqualTo(8);
  }

  @Test
  void theLatestBreakerStateWinsWhateverItsDay() throws Exception {
    store.recordBreakerState(new BreakerState(DAY, TradingState.HALTED, "DAILY_LOSS_LIMIT loss=-2100", t(0)));
    store.recordBreakerState(new BreakerState(DAY, TradingState.ACTIVE, "", t(60)));
    store.recordBreakerState(new BreakerState(DAY.minusDays(1), TradingState.REDUCING, "DRAWDOWN dd=0.05", t(120)));

    RecoveryState s = recoverAcrossRestart(NEXT_DAY);
    assertThat(s.breaker()).isEqualTo(
        new BreakerState(DAY.minusDays(1), TradingState.REDUCING, "DRAWDOWN dd=0.05", t(120)));
  }

  @Test
  void dayStartAndPeakEquityComeFromThatDaysLatestPnlRow() throws Exception {
    store.recordDailyPnl(new DailyPnl(DAY, 10, 5, 2, 100_000, 100_013, 100_050, 99_900, 3, t(0)));
    store.recordDailyPnl(new DailyPnl(DAY, 20, 5, 3, 100_000, 100_022, 100_080, 99_900, 4, t(60)));
    store.recordDailyPnl(new DailyPnl(NEXT_DAY, 1, 0, 0, 100_022, 100_023, 100_030, 100_000, 1, t(86_400)));

    RecoveryState s = recoverAcrossRestart(DAY);
    assertThat(s.dayStartEquity()).isEqualTo(100_000);
    assertThat(s.peakEquity()).isEqualTo(100_080);
    RecoveryState next = store.loadRecovery(NEXT_DAY);
    assertThat(next.dayStartEquity()).isEqualTo(100_022);
    assertThat(next.peakEquity()).isEqualTo(100_030);
  }

  @Test
  void theNextOrderSequenceFollowsTheLargestRecordedOne() throws Exception {
    OrderRequest market = OrderRequest.market(AAPL, Side.BUY, 1);
    for (String id : List.of("O20240102T143000-9", "O20240102T143000-17", "X-3", "manual", "B-12x", "Z-")) {
      Order o = order(id, null, market, OrderStatus.DENIED, 0, Double.NaN, 0, 0, "RULE");
      store.recordOrderEvent(new OrderDenied(o.clientOrderId(), market, "RULE", "", t(0)), o);
    }
    assertThat(recoverAcrossRestart(DAY).nextOrderSequence()).isEqualTo(18);

    // a fill may name an id no order event carried
    store.recordFill(fill("O20240103T090000-25", "E1", AAPL, Side.BUY, 1, 10, 0), 0, DAY);
    assertThat(recoverAcrossRestart(DAY).nextOrderSequence()).isEqualTo(26);
  }

  @Test
  void theAuditRecordsAreAcceptedAndLeaveRecoveryAlone() throws Exception {
    Instrument aapl = Instrument.stock("AAPL");
    store.recordInstrument(aapl);
    store.recordInstrument(aapl.withTickSize(0.05));
    store.recordMarketData(new Quote(AAPL, t(0), 100, 100.02, 300, 200));
    store.recordMarketData(new Quote(MSFT, t(0), 300, 0, 10, 0));
    store.recordMarketData(new Trade(AAPL, t(1), 100.01, 50));
    store.recordMarketData(new Bar(AAPL, t(0), Duration.ofMinutes(1), 100, 101, 99, 100.5, 1000));
    store.recordRiskEvent(new RiskEvent("DENIAL", "MAX_NOTIONAL", "instrument=AAPL after=12400 limit=10000", t(2)));
    store.recordAlert(Alert.of(Severity.CRITICAL, "breaker tripped", "daily loss -2100", t(3)), 4);
    store.recordHeartbeat(t(4));
    store.recordHeartbeat(t(5));
    store.recordPositions(List.of(new Position(AAPL, 10, 100), new Position(MSFT, -3, 300)), "broker", t(6));
    store.recordPositions(List.of(), "engine", t(7));
    store.flush();

    assertThat(recoverAcrossRestart(DAY).isEmpty()).isTrue();
  }

  @Test
  void flushAndCloseMayBeRepeated() {
    store.recordFill(fill("O-1", "E1", AAPL, Side.BUY, 1, 10, 0), 0, DAY);
    store.flush();
    store.flush();
    assertThat(store.loadRecovery(DAY).positions()).containsExactly(new Position(AAPL, 1, 10));
    store.close();
    store.close();
  }
}
