package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.BrokerListener;
import dev.algotrade.api.broker.PositionsReport;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.order.BrokerOrderId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.paper.SimulatedVenue;
import dev.algotrade.core.time.TradingCalendar;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The broker side is scripted: at chosen quotes it sends the events a real broker may send in
 * awkward orders. The engine must end in the right state and never crash.
 */
class ExecutionRobustnessTest {
  private static final Instrument AAPL = Instrument.stock("AAPL");
  private static final InstrumentId ID = AAPL.id();
  private static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  /** A broker whose events come from a script keyed by quote number (1-based). */
  static final class ScriptedBroker implements Broker, SimulatedVenue {
    final Map<Integer, Consumer<ScriptedBroker>> script = new TreeMap<>();
    final List<ClientOrderId> submitted = new ArrayList<>();
    final List<ClientOrderId> cancels = new ArrayList<>();
    List<Position> brokerPositions = List.of();
    BrokerListener listener;
    Clock clock;
    int quotes;

    @Override
    public void bind(Clock c, TradingCalendar cal, Collection<Instrument> instruments) {
      this.clock = c;
    }

    @Override
    public dev.algotrade.api.broker.AccountMode accountMode() {
      return dev.algotrade.api.broker.AccountMode.PAPER;
    }

    @Override
    public void onMarketData(MarketData data) {
      Consumer<ScriptedBroker> step = script.get(++quotes);
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
    }

    @Override
    public void submit(ClientOrderId id, OrderRequest request) {
      submitted.add(id);
    }

    @Override
    public void cancel(ClientOrderId id) {
      cancels.add(id);
    }

    @Override
    public void cancelAll() {}

    @Override
    public void requestPositions() {
      if (listener != null) {
        listener.onPositions(new PositionsReport(brokerPositions, clock.now()));
      }
    }

    @Override
    public void requestOpenOrders() {}

    @Override
    public void requestAccount() {}

    @Override
    public void close() {}

    void send(OrderEvent e) {
      listener.onOrderEvent(e);
    }

    ClientOrderId order(int n) {
      return submitted.get(n);
    }

    Fill fill(int order, String exec, double qty, double px) {
      return new Fill(order(order), exec, ID, Side.BUY, qty, px, 1.0, clock.now());
    }
  }

  /** Submits BUY 100 on the first quote and records every update it is shown. */
  static final class Buyer implements Strategy {
    final List<String> updates = new ArrayList<>();
    final List<Fill> fills = new ArrayList<>();
    ClientOrderId id;
    int quotes;

    @Override
    public void onQuote(StrategyContext ctx, dev.algotrade.api.market.Quote q) {
      if (++quotes == 1) {
        id = ctx.submit(OrderRequest.market(ID, Side.BUY, 100));
      }
    }

    @Override
    public void onOrderUpdate(StrategyContext ctx, Order order, OrderEvent event) {
      updates.add(event.getClass().getSimpleName() + ":" + order.status() + ":" + (long) order.filledQuantity());
    }

    @Override
    public void onFill(StrategyContext ctx, Fill fill) {
      fills.add(fill);
    }
  }

  private static TradingSystem system(ScriptedBroker b, Buyer s, int quotes) {
    double[] mids = new double[quotes];
    java.util.Arrays.fill(mids, 100);
    return TradingSystem.builder().replay().instrument(AAPL).killSwitchFile(null).broker(b).strategy(s)
        .feed(new ListFeed(ListFeed.quotes(ID, T0, mids))).build();
  }

  @Test
  void fillBeforeAcknowledgementThenLateAckAndDuplicateExecution() {
    ScriptedBroker b = new ScriptedBroker();
    Buyer s = new Buyer();
    b.script.put(2, x -> {
      x.send(new OrderFilled(x.fill(0, "E1", 40, 100.01)));   // fill before any ack
      x.send(new OrderFilled(x.fill(0, "E1", 40, 100.01)));   // the same execution again
    });
    b.script.put(3, x -> {
      x.send(new OrderAccepted(x.order(0), BrokerOrderId.of(7), x.clock.now())); // late ack
      x.send(new OrderFilled(x.fill(0, "E2", 60, 100.02)));
      x.send(new OrderFilled(x.fill(0, "E2", 60, 100.02)));
    });
    TradingSystem sys = system(b, s, 4);
    RunSummary r = sys.run();
    assertThat(s.fills).extracting(Fill::executionId).containsExactly("E1", "E2");
    assertThat(s.updates).containsExactly("OrderSubmitted:PENDING_SUBMIT:0", "OrderFilled:PARTIALLY_FILLED:40",
        "OrderFilled:FILLED:100");
    assertThat(sys.status().positions()).singleElement().satisfies(p -> assertThat(p.quantity()).isEqualTo(100));
    assertThat(r.fills()).isEqualTo(2);
    assertThat(sys.engine().counters().duplicateFills).isEqualTo(2);
    assertThat(sys.engine().counters().ignoredTransitions).isEqualTo(1);
  }

  @Test
  void fillAfterCancelIsBookedAndTheOrderStaysCancelled() {
    ScriptedBroker b = new ScriptedBroker();
    Buyer s = new Buyer();
    b.script.put(2, x -> {
      x.send(new OrderAccepted(x.order(0), BrokerOrderId.of(1), x.clock.now()));
      x.send(new OrderFilled(x.fill(0, "E1", 30, 100)));
      x.send(new OrderCancelled(x.order(0), "cancelled", x.clock.now()));
    });
    // the broker's report of an execution that happened before the cancel reached it
    b.script.put(3, x -> x.send(new OrderFilled(x.fill(0, "E2", 20, 100))));
    TradingSystem sys = system(b, s, 4);
    sys.run();
    Order o = sys.engine().order(s.id);
    assertThat(o.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(o.filledQuantity()).isEqualTo(50);
    assertThat(sys.status().positions().get(0).quantity()).isEqualTo(50);
    assertThat(sys.engine().counters().lateFills).isEqualTo(1);
    assertThat(s.updates).endsWith("OrderCancelled:CANCELLED:30", "OrderFilled:CANCELLED:50");
  }

  @Test
  void eventsForUnknownOrdersAreCountedAndDoNotCrash() {
    ScriptedBroker b = new ScriptedBroker();
    Buyer s = new Buyer();
    b.script.put(2, x -> {
      x.send(new OrderAccepted(ClientOrderId.of("ghost-1"), BrokerOrderId.of(99), x.clock.now()));
      x.send(new OrderRejected(ClientOrderId.of("ghost-2"), "201", "no", x.clock.now()));
      // an execution of an order placed elsewhere on the account: the position is real
      x.send(new OrderFilled(new Fill(null, "X1", ID, Side.SELL, 5, 100, 0, x.clock.now())));
      x.send(new OrderFilled(new Fill(ClientOrderId.of("ghost-3"), "X2", InstrumentId.of("MSFT"), Side.SELL, 5, 100, 0, x.clock.now())));
    });
    TradingSystem sys = system(b, s, 3);
    sys.run();
    var c = sys.engine().counters();
    assertThat(c.unknownOrderEvents).isEqualTo(3);
    assertThat(c.fillsForUnknownOrders).isEqualTo(1);
    assertThat(sys.status().positions().get(0).quantity()).isEqualTo(-5);
  }

  @Test
  void brokerRejectIsShownToTheStrategyWithItsCode() {
    ScriptedBroker b = new ScriptedBroker();
    Buyer s = new Buyer();
    b.script.put(2, x -> x.send(new OrderRejected(x.order(0), "201", "Order rejected - reason: margin", x.clock.now())));
    Recorder rec = new Recorder();
    double[] mids = {100, 100, 100};
    TradingSystem sys = TradingSystem.builder().replay().instrument(AAPL).killSwitchFile(null).broker(b).strategy(s)
        .alerter(rec).feed(new ListFeed(ListFeed.quotes(ID, T0, mids))).build();
    sys.run();
    assertThat(sys.engine().order(s.id).status()).isEqualTo(OrderStatus.REJECTED);
    assertThat(sys.engine().order(s.id).reason()).isEqualTo("201: Order rejected - reason: margin");
    assertThat(s.updates).last().isEqualTo("OrderRejected:REJECTED:0");
    assertThat(rec.alerts).anySatisfy(a -> assertThat(a.title()).isEqualTo("Order rejected"));
  }

  @Test
  void positionMismatchAtStartIsAlertedAndTheBrokersViewAdoptedOnceConfirmed() {
    ScriptedBroker b = new ScriptedBroker();
    b.brokerPositions = List.of(new Position(ID, 25, 99.5));
    Recorder rec = new Recorder();
    double[] mids = new double[15];
    java.util.Arrays.fill(mids, 100);
    // the start report sees it; the confirmation asked for 10 s later (engine clock) confirms it
    TradingSystem sys = TradingSystem.builder().replay().instrument(AAPL).killSwitchFile(null).broker(b)
        .strategy(new Strategy() {}).alerter(rec).store(rec)
        .feed(new ListFeed(ListFeed.quotes(ID, T0, mids))).build();
    sys.run();
    assertThat(sys.status().positions()).singleElement().satisfies(p -> {
      assertThat(p.quantity()).isEqualTo(25);
      assertThat(p.averagePrice()).isEqualTo(99.5);
    });
    assertThat(rec.alerts).anySatisfy(a -> assertThat(a.text()).contains("instrument=AAPL broker=25 ours=0"));
    assertThat(rec.riskEvents).anySatisfy(e -> assertThat(e.code()).isEqualTo("POSITION_MISMATCH"));
  }
}
