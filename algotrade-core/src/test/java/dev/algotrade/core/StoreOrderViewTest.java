package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderView;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.store.Store;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.core.paper.PaperBroker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When no strategy wants an order snapshot the store gets the engine's working order as a view
 * (no snapshot built for it); read during the call, it holds the same state a snapshot would.
 */
class StoreOrderViewTest {
  private static final Instrument AAPL = Instrument.stock("AAPL");
  private static final InstrumentId ID = AAPL.id();
  private static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  /** Copies each view at call time, and notes whether it was an immutable Order. */
  static final class ViewStore implements Store {
    final List<Order> copies = new ArrayList<>();
    final List<Boolean> wasOrder = new ArrayList<>();
    final List<OrderEvent> events = new ArrayList<>();

    @Override
    public void recordOrderEvent(OrderEvent event, Order orderAfter) {
      recordOrderEvent(event, (OrderView) orderAfter);
    }

    @Override
    public void recordOrderEvent(OrderEvent event, OrderView v) {
      events.add(event);
      wasOrder.add(v instanceof Order);
      copies.add(new Order(v.clientOrderId(), v.brokerOrderId(), v.request(), v.status(), v.filledQuantity(),
          v.averageFillPrice(), v.createdAt(), v.updatedAt(), v.reason()));
    }
  }

  static final class Buyer implements Strategy {
    @Override
    public void onStart(StrategyContext ctx) {
      ctx.submit(OrderRequest.market(ID, Side.BUY, 10));
    }
  }

  static final class WatchingBuyer implements Strategy {
    final List<Order> seen = new ArrayList<>();

    @Override
    public void onStart(StrategyContext ctx) {
      ctx.submit(OrderRequest.market(ID, Side.BUY, 10));
    }

    @Override
    public void onOrderUpdate(StrategyContext ctx, Order order, OrderEvent event) {
      seen.add(order);
    }
  }

  private static void run(Strategy s, ViewStore store) {
    TradingSystem sys = TradingSystem.builder().replay().instrument(AAPL)
        .feed(new ListFeed(ListFeed.quotes(ID, T0, new double[] {100, 100.5, 101, 101}))).strategy(s)
        .broker(PaperBroker.create()).killSwitchFile(null).store(store).build();
    sys.run();
  }

  @Test
  void withoutAWatchingStrategyTheStoreReadsTheWorkingOrderAndSeesEachState() {
    ViewStore store = new ViewStore();
    run(new Buyer(), store);
    assertThat(store.wasOrder).isNotEmpty().containsOnly(false);
    assertThat(store.copies).extracting(o -> o.status().name())
        .containsExactly("PENDING_SUBMIT", "ACCEPTED", "FILLED");
    Order last = store.copies.get(store.copies.size() - 1);
    assertThat(last.filledQuantity()).isEqualTo(10);
    assertThat(last.averageFillPrice()).isPositive();
    assertThat(last.brokerOrderId()).isNotNull();
    assertThat(store.copies.get(0).filledQuantity()).isZero();
    assertThat(store.copies.get(0).brokerOrderId()).isNull();
    assertThat(store.copies.get(1).brokerOrderId()).isEqualTo(last.brokerOrderId());
  }

  @Test
  void aWatchingStrategyAndTheStoreGetTheSameSnapshots() {
    ViewStore store = new ViewStore();
    WatchingBuyer s = new WatchingBuyer();
    run(s, store);
    assertThat(store.wasOrder).isNotEmpty().containsOnly(true);
    assertThat(s.seen).isEqualTo(store.copies);
  }

  @Test
  void aStoreThatOnlyTakesSnapshotsGetsOneFromTheDefault() {
    Recorder rec = new Recorder();
    TradingSystem sys = TradingSystem.builder().replay().instrument(AAPL)
        .feed(new ListFeed(ListFeed.quotes(ID, T0, new double[] {100, 100.5, 101}))).strategy(new Buyer())
        .broker(PaperBroker.create()).killSwitchFile(null).store(rec).build();
    sys.run();
    assertThat(rec.orderSnapshots).extracting(o -> o.status().name())
        .containsExactly("PENDING_SUBMIT", "ACCEPTED", "FILLED");
    ClientOrderId id = rec.orderSnapshots.get(0).clientOrderId();
    assertThat(rec.orderSnapshots).allSatisfy(o -> assertThat(o.clientOrderId()).isEqualTo(id));
  }
}
