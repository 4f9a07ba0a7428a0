package dev.algotrade.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.OpenOrdersReport;
import dev.algotrade.api.broker.PositionsReport;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelRejected;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.AccountState;
import dev.algotrade.api.portfolio.Position;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The standard every {@link Broker} adapter is held to (the paper broker, IB against the
 * simulated gateway, yours). Subclasses create a fresh broker, name the instrument, and can
 * make the broker's market show a given quote. The broker's market starts at 99.99 / 100.01
 * with 1,000 on each side.
 *
 * <p>Brokers may answer asynchronously: every check waits (up to {@link #timeout()}) for the
 * events it expects rather than assuming they are already there.
 */
public abstract class BrokerContractTest {

  private static final AtomicLong SEQ = new AtomicLong();
  private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);

  protected Broker broker;
  protected RecordingBrokerListener events;

  /** A fresh, unconnected broker. */
  protected abstract Broker createBroker();

  /** The instrument the tests trade (tick 0.01, lot 1 is assumed by the prices used). */
  protected abstract Instrument instrument();

  /** Makes the broker's market show this quote before the next order is matched. */
  protected abstract void showQuote(double bid, double ask, double bidSize, double askSize);

  /** How long to wait for an asynchronous answer. */
  protected Duration timeout() {
    return Duration.ofSeconds(10);
  }

  /** An order this broker must reject; by default a limit price off the tick grid. */
  protected OrderRequest orderTheBrokerRejects() {
    return OrderRequest.limit(instrument().id(), Side.BUY, 1, 100.001);
  }

  /** Called after connect, before each test; a broker that needs time to come up waits here. */
  protected void awaitReady() {}

  protected ClientOrderId newId() {
    return ClientOrderId.of("CT" + RUN + "-" + SEQ.incrementAndGet());
  }

  @BeforeEach
  void connectBroker() {
    broker = createBroker();
    events = new RecordingBrokerListener();
    broker.connect(events);
    awaitReady();
    showQuote(99.99, 100.01, 1000, 1000);
  }

  @AfterEach
  void closeBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private double positionAtBroker() {
    int before = events.positionReports().size();
    broker.requestPositions();
    Await.until("a positions report", timeout(), () -> events.positionReports().size() > before);
    PositionsReport r = events.positionReports().get(events.positionReports().size() - 1);
    double q = 0;
    for (Position p : r.positions()) {
      if (p.instrument().equals(instrument().id())) {
        q += p.quantity();
      }
    }
    return q;
  }

  @Test
  void marketBuyIsAcceptedAndFilledAtTheAsk() {
    ClientOrderId id = newId();
    broker.submit(id, OrderRequest.market(instrument().id(), Side.BUY, 10));
    events.awaitFilled(id, 10, timeout());
    for (Fill f : events.fillsFor(id)) {
      assertThat(f.price()).isEqualTo(100.01);
      assertThat(f.side()).isEqualTo(Side.BUY);
      assertThat(f.instrument()).isEqualTo(instrument().id());
      assertThat(f.commission()).isGreaterThanOrEqualTo(0);
    }
    assertThat(positionAtBroker()).isEqualTo(10);
  }

  @Test
  void marketSellFillsAtTheBidAndABuyBackFlattens() {
    ClientOrderId sell = newId();
    broker.submit(sell, OrderRequest.market(instrument().id(), Side.SELL, 7));
    events.awaitFilled(sell, 7, timeout());
    assertThat(events.fillsFor(sell)).allSatisfy(f -> assertThat(f.price()).isEqualTo(99.99));
    assertThat(positionAtBroker()).isEqualTo(-7);
    ClientOrderId buy = newId();
    broker.submit(buy, OrderRequest.market(instrument().id(), Side.BUY, 7));
    events.awaitFilled(buy, 7, timeout());
    assertThat(positionAtBroker()).isZero();
  }

  @Test
  void restingLimitIsAcceptedListedAsOpenAndCancelled() {
    ClientOrderId id = newId();
    broker.submit(id, OrderRequest.limit(instrument().id(), Side.BUY, 5, 90.00));
    OrderAccepted a = events.await(id, OrderAccepted.class, timeout());
    assertThat(a.brokerOrderId()).isNotNull();
    int before = events.openOrdersReports().size();
    broker.requestOpenOrders();
    Await.until("an open-orders report listing " + id, timeout(), () -> events.openOrdersReports().size() > before
        && events.openOrdersReports().get(events.openOrdersReports().size() - 1).orders().stream()
            .anyMatch(o -> id.equals(o.clientOrderId())));
    broker.cancel(id);
    events.await(id, OrderCancelled.class, timeout());
    assertThat(events.fillsFor(id)).isEmpty();
    int after = events.openOrdersReports().size();
    broker.requestOpenOrders();
    Await.until("an open-orders report", timeout(), () -> events.openOrdersReports().size() > after);
    OpenOrdersReport last = events.openOrdersReports().get(events.openOrdersReports().size() - 1);
    assertThat(last.orders()).noneMatch(o -> id.equals(o.clientOrderId()));
  }

  @Test
  void marketableLimitFillsAtItsLimitOrBetter() {
    ClientOrderId id = newId();
    broker.submit(id, OrderRequest.limit(instrument().id(), Side.BUY, 4, 100.05));
    events.awaitFilled(id, 4, timeout());
    assertThat(events.fillsFor(id)).allSatisfy(f -> assertThat(f.price()).isLessThanOrEqualTo(100.05));
  }

  @Test
  void restingLimitFillsWhenTheMarketComesToIt() {
    ClientOrderId id = newId();
    broker.submit(id, OrderRequest.limit(instrument().id(), Side.SELL, 3, 100.50));
    events.await(id, OrderAccepted.class, timeout());
    assertThat(events.fillsFor(id)).isEmpty();
    showQuote(100.55, 100.57, 1000, 1000);
    events.awaitFilled(id, 3, timeout());
    assertThat(events.fillsFor(id)).allSatisfy(f -> assertThat(f.price()).isGreaterThanOrEqualTo(100.50));
  }

  @Test
  void partialFillsAddUpToTheOrderQuantity() {
    showQuote(99.99, 100.01, 5, 5);
    ClientOrderId id = newId();
    broker.submit(id, OrderRequest.market(instrument().id(), Side.BUY, 12));
    Await.until("a first partial fill", timeout(), () -> events.filledQuantity(id) > 0);
    for (int i = 0; i < 5 && events.filledQuantity(id) < 12; i++) {
      double seen = events.filledQuantity(id);
      showQuote(99.99, 100.01, 5, 5);
      Await.until("more fills after a new quote", timeout(), () -> events.filledQuantity(id) > seen
          || events.filledQuantity(id) >= 12);
    }
    events.awaitFilled(id, 12, timeout());
    assertThat(events.fillsFor(id).size()).isGreaterThan(1);
    assertThat(positionAtBroker()).isEqualTo(12);
  }

  @Test
  void badOrderIsRejectedWithACodeAndNeverFilled() {
    ClientOrderId id = newId();
    broker.submit(id, orderTheBrokerRejects());
    OrderRejected r = events.await(id, OrderRejected.class, timeout());
    assertThat(r.code()).isNotBlank();
    assertThat(r.reason()).isNotBlank();
    assertThat(events.fillsFor(id)).isEmpty();
  }

  @Test
  void cancelAllCancelsEveryWorkingOrder() {
    ClientOrderId a = newId();
    ClientOrderId b = newId();
    broker.submit(a, OrderRequest.limit(instrument().id(), Side.BUY, 1, 90.00));
    broker.submit(b, OrderRequest.limit(instrument().id(), Side.SELL, 1, 110.00));
    events.await(a, OrderAccepted.class, timeout());
    events.await(b, OrderAccepted.class, timeout());
    broker.cancelAll();
    events.await(a, OrderCancelled.class, timeout());
    events.await(b, OrderCancelled.class, timeout());
  }

  @Test
  void cancellingAFilledOrderIsRefusedAndChangesNothing() {
    ClientOrderId id = newId();
    broker.submit(id, OrderRequest.market(instrument().id(), Side.BUY, 2));
    events.awaitFilled(id, 2, timeout());
    broker.cancel(id);
    events.await(id, OrderCancelRejected.class, timeout());
    assertThat(events.eventsFor(id)).noneMatch(e -> e instanceof OrderCancelled);
    assertThat(positionAtBroker()).isEqualTo(2);
  }

  @Test
  void accountReportHasEquityAndGrossPositionValue() {
    ClientOrderId id = newId();
    broker.submit(id, OrderRequest.market(instrument().id(), Side.BUY, 10));
    events.awaitFilled(id, 10, timeout());
    int before = events.accounts().size();
    broker.requestAccount();
    Await.until("an account report", timeout(), () -> events.accounts().size() > before
        && events.accounts().get(events.accounts().size() - 1).grossPositionValue() > 0);
    AccountState a = events.accounts().get(events.accounts().size() - 1);
    assertThat(a.netLiquidation()).isPositive();
    assertThat(a.grossPositionValue()).isBetween(900.0, 1100.0);
  }

  @Test
  void everyEventCarriesTheClientIdItWasSubmittedWithAndExecutionIdsAreUnique() {
    List<ClientOrderId> ids = List.of(newId(), newId(), newId());
    for (ClientOrderId id : ids) {
      broker.submit(id, OrderRequest.market(instrument().id(), Side.BUY, 3));
    }
    for (ClientOrderId id : ids) {
      events.awaitFilled(id, 3, timeout());
    }
    Set<String> execIds = new HashSet<>();
    for (OrderEvent e : events.orderEvents()) {
      assertThat(e.clientOrderId()).isIn(ids);
      if (e instanceof OrderFilled) {
        assertThat(execIds.add(((OrderFilled) e).fill().executionId())).as("execution ids are unique").isTrue();
      }
    }
  }

  @Test
  void buyStopTriggersWhenTheAskReachesIt() {
    ClientOrderId id = newId();
    broker.submit(id, OrderRequest.stop(instrument().id(), Side.BUY, 2, 100.20));
    events.await(id, OrderAccepted.class, timeout());
    assertThat(events.fillsFor(id)).isEmpty();
    showQuote(100.19, 100.21, 1000, 1000);
    events.awaitFilled(id, 2, timeout());
    assertThat(events.fillsFor(id)).allSatisfy(f -> assertThat(f.price()).isGreaterThanOrEqualTo(100.20));
  }
}
