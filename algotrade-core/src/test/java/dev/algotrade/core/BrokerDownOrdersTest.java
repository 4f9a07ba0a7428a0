package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.core.ReconciliationTest.FakeBroker;
import dev.algotrade.core.risk.RiskLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Orders while the broker connection is down (IB's nightly restart, a lost socket, 1100): the
 * engine denies them with {@code BROKER_NOT_CONNECTED} instead of sending them to be rejected,
 * so a strategy that keeps trying does not trip the breaker's consecutive-rejects limit; a
 * breaker that trips while the broker is down flattens once it is back.
 */
class BrokerDownOrdersTest {
  private static final Instrument AAPL = Instrument.stock("AAPL");
  private static final InstrumentId ID = AAPL.id();
  private static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  /** Sends one BUY LIMIT below the market on every quote and records what came back. */
  static final class EveryQuote implements Strategy {
    final List<String> denials = new ArrayList<>();
    int sent;

    @Override
    public void onQuote(StrategyContext ctx, Quote q) {
      ctx.submit(OrderRequest.limit(ID, Side.BUY, 1, 90));
      sent++;
    }

    @Override
    public void onOrderUpdate(StrategyContext ctx, Order order, OrderEvent event) {
      if (event instanceof OrderDenied) {
        denials.add(((OrderDenied) event).code());
      }
    }
  }

  @Test
  void ordersWhileTheBrokerIsDownAreDeniedNotSentAndDoNotTripTheBreaker() {
    FakeBroker b = new FakeBroker();
    // an adapter that reconnects by itself: down, trying, down again, 1100 on the new socket, back
    b.script.put(2, x -> x.status(ConnectionState.DISCONNECTED, "socket closed"));
    b.script.put(3, x -> x.status(ConnectionState.CONNECTING, "attempt 1"));
    b.script.put(4, x -> x.status(ConnectionState.DISCONNECTED, "refused"));
    b.script.put(5, x -> x.status(ConnectionState.CONNECTING, "attempt 2"));
    b.script.put(6, x -> x.status(ConnectionState.DEGRADED, "code=1100"));
    b.script.put(8, x -> x.status(ConnectionState.CONNECTED, "restored"));
    EveryQuote s = new EveryQuote();
    Recorder rec = new Recorder();
    TradingSystem sys = TradingSystem.builder().replay().instrument(AAPL).killSwitchFile(null).broker(b).strategy(s)
        .alerter(rec).store(rec).feed(new ListFeed(ListFeed.quotes(ID, T0, 100, 100, 100, 100, 100, 100, 100, 100,
            100, 100, 100, 100)))
        .riskLimits(RiskLimits.builder().maxConsecutiveRejects(2).build())
        .build();
    sys.run();

    assertThat(s.sent).isEqualTo(12);
    // every order is either sent or denied for the connection, never rejected by the broker
    assertThat(s.denials).containsOnly("BROKER_NOT_CONNECTED");
    assertThat(b.submitted.size() + s.denials.size()).isEqualTo(12);
    // down from quote 2 to quote 8: at least the five quotes strictly between were denied
    assertThat(s.denials.size()).isBetween(5, 7);
    assertThat(b.submitted.size()).isGreaterThanOrEqualTo(5);
    assertThat(sys.engine().tradingState()).isEqualTo(TradingState.ACTIVE);
    assertThat(rec.riskEvents).extracting(e -> e.code()).containsOnly("BROKER_NOT_CONNECTED");
    // CONNECTED after CONNECTING (not only after DISCONNECTED) is a reconnect: positions asked again
    assertThat(b.positionRequests).hasSize(2);
  }

  /** Buys 10 at the first quote; the fake fills it at the second. */
  static final class BuyOnce implements Strategy {
    ClientOrderId id;

    @Override
    public void onQuote(StrategyContext ctx, Quote q) {
      if (id == null) {
        id = ctx.submit(OrderRequest.market(ID, Side.BUY, 10));
      }
    }
  }

  @Test
  void aBreakerThatTripsWhileTheBrokerIsDownFlattensWhenItIsBack() {
    FakeBroker b = new FakeBroker();
    BuyOnce s = new BuyOnce();
    b.script.put(2, x -> x.fill(s.id, "E1", Side.BUY, 10, 100, x.clock.now()));
    b.script.put(3, x -> x.status(ConnectionState.DISCONNECTED, "socket closed"));
    // quote 5 drops the price: -100 against a 50 daily loss limit trips the breaker while down
    b.script.put(8, x -> x.status(ConnectionState.CONNECTED, "restored"));
    Recorder rec = new Recorder();
    TradingSystem sys = TradingSystem.builder().replay().instrument(AAPL).killSwitchFile(null).broker(b).strategy(s)
        .alerter(rec).store(rec)
        .feed(new ListFeed(ListFeed.quotes(ID, T0, 100, 100, 100, 100, 90, 90, 90, 90, 90, 90)))
        .riskLimits(RiskLimits.builder().dailyLossLimit(50).build())
        .build();
    sys.run();

    assertThat(sys.engine().tradingState()).isEqualTo(TradingState.HALTED);
    assertThat(sys.engine().portfolio().position(ID)).isEqualTo(10.0);
    List<Order> flatten = new ArrayList<>();
    List<Order> denied = new ArrayList<>();
    for (ClientOrderId id : b.submitted) {
      Order o = sys.engine().order(id);
      if (o.request().side() == Side.SELL) {
        flatten.add(o);
      }
    }
    for (var e : rec.orderEvents) {
      if (e instanceof OrderDenied && ((OrderDenied) e).code().equals("BROKER_NOT_CONNECTED")) {
        denied.add(sys.engine().order(e.clientOrderId()));
      }
    }
    // the flatten order tried while down was denied, and the one sent after the reconnect went out once
    assertThat(denied).isNotEmpty().allSatisfy(o -> assertThat(o.request().side()).isEqualTo(Side.SELL));
    assertThat(flatten).hasSize(1);
    assertThat(flatten.get(0).request().quantity()).isEqualTo(10.0);
    assertThat(flatten.get(0).status()).isEqualTo(OrderStatus.ACCEPTED);
  }
}
