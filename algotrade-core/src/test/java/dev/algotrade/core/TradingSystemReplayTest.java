package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.core.paper.CommissionModel;
import dev.algotrade.core.paper.PaperBroker;
import dev.algotrade.core.risk.MaxOrderQuantity;
import dev.algotrade.core.time.SimulatedClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradingSystemReplayTest {
  private static final Instrument AAPL = Instrument.stock("AAPL");
  private static final InstrumentId ID = AAPL.id();
  private static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  private static TradingSystem.Builder replay(List<Quote> quotes, Strategy s) {
    return TradingSystem.builder().replay().instrument(AAPL).feed(new ListFeed(quotes)).strategy(s)
        .killSwitchFile(null);
  }

  private static double[] flat(int n, double px) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, px);
    return a;
  }

  @Test
  void repeatedTargetsNeverDoubleUpWhileAnOrderIsWorking() {
    List<Order> submitted = new ArrayList<>();
    Strategy s = new Strategy() {
      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        ctx.targetPosition(ID, 100);
      }

      @Override
      public void onOrderUpdate(StrategyContext ctx, Order order, OrderEvent event) {
        if (order.status() == OrderStatus.PENDING_SUBMIT) {
          submitted.add(order);
        }
      }
    };
    // 5 s latency: the order stays pending across five quotes that all re-assert the target
    PaperBroker broker = PaperBroker.builder().latency(Duration.ofSeconds(5)).build();
    TradingSystem sys = replay(ListFeed.quotes(ID, T0, flat(20, 100)), s).broker(broker).build();
    RunSummary r = sys.run();
    assertThat(submitted).hasSize(1);
    assertThat(submitted.get(0).request().quantity()).isEqualTo(100);
    assertThat(r.ordersSubmitted()).isEqualTo(1);
    assertThat(sys.status().positions()).singleElement().satisfies(p -> assertThat(p.quantity()).isEqualTo(100));
    assertThat(broker.positions()).singleElement().satisfies(p -> assertThat(p.quantity()).isEqualTo(100));
  }

  @Test
  void targetFlipsThroughZeroInOneOrderAndCancelsOppositeWorkingOrders() {
    List<String> seen = new ArrayList<>();
    Strategy s = new Strategy() {
      int n;

      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        n++;
        if (n == 1) {
          ctx.targetPosition(ID, 50);
        } else if (n == 3) {
          ctx.targetPosition(ID, -30);
        }
      }

      @Override
      public void onFill(StrategyContext ctx, Fill f) {
        seen.add(f.side() + " " + (long) f.quantity());
      }
    };
    TradingSystem sys = replay(ListFeed.quotes(ID, T0, flat(5, 100)), s).build();
    sys.run();
    assertThat(seen).containsExactly("BUY 50", "SELL 80");
    assertThat(sys.status().positions().get(0).quantity()).isEqualTo(-30);
  }

  @Test
  void riskVetoBecomesOrderDeniedShownToTheStrategyAndNeverReachesTheBroker() {
    List<OrderEvent> events = new ArrayList<>();
    Recorder rec = new Recorder();
    Strategy s = new Strategy() {
      @Override
      public void onStart(StrategyContext ctx) {
        ClientOrderId id = ctx.submit(OrderRequest.market(ID, Side.BUY, 500));
        assertThat(ctx.order(id).status()).isEqualTo(OrderStatus.DENIED);
      }

      @Override
      public void onOrderUpdate(StrategyContext ctx, Order order, OrderEvent event) {
        events.add(event);
      }
    };
    PaperBroker broker = PaperBroker.create();
    TradingSystem sys = replay(ListFeed.quotes(ID, T0, flat(3, 100)), s).broker(broker)
        .riskRule(new MaxOrderQuantity(100)).store(rec).build();
    RunSummary r = sys.run();
    assertThat(events).singleElement().isInstanceOfSatisfying(OrderDenied.class, d -> {
      assertThat(d.code()).isEqualTo("MAX_ORDER_QUANTITY");
      assertThat(d.details()).isEqualTo("instrument=AAPL quantity=500.0 limit=100.0");
    });
    assertThat(r.ordersDenied()).isEqualTo(1);
    assertThat(r.ordersSubmitted()).isZero();
    assertThat(broker.fills()).isEmpty();
    assertThat(rec.riskEvents).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo("MAX_ORDER_QUANTITY"));
  }

  @Test
  void orderOffTheTickGridIsDeniedBeforeTheBroker() {
    List<OrderEvent> events = new ArrayList<>();
    Strategy s = new Strategy() {
      @Override
      public void onStart(StrategyContext ctx) {
        ctx.submit(OrderRequest.limit(ID, Side.BUY, 10, 100.005));
        ctx.submit(OrderRequest.limit(ID, Side.BUY, 10.5, 100.00));
      }

      @Override
      public void onOrderUpdate(StrategyContext ctx, Order order, OrderEvent event) {
        events.add(event);
      }
    };
    replay(ListFeed.quotes(ID, T0, 100), s).build().run();
    assertThat(events).extracting(e -> ((OrderDenied) e).code()).containsExactly("INVALID_PRICE", "INVALID_QUANTITY");
  }

  @Test
  void strategyThatThrowsIsStoppedAndTradingHaltsWithACriticalAlert() {
    Recorder rec = new Recorder();
    List<TradingState> states = new ArrayList<>();
    int[] calls = new int[1];
    Strategy bad = new Strategy() {
      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        calls[0]++;
        if (calls[0] == 2) {
          throw new IllegalStateException("boom");
        }
      }
    };
    Strategy watcher = new Strategy() {
      @Override
      public void onTradingStateChanged(StrategyContext ctx, TradingState state, String reason) {
        states.add(state);
      }

      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        if (ctx.tradingState() == TradingState.HALTED) {
          ctx.targetPosition(ID, 10); // opening risk while halted: skipped
        }
      }
    };
    TradingSystem sys = TradingSystem.builder().replay().instrument(AAPL).killSwitchFile(null)
        .feed(new ListFeed(ListFeed.quotes(ID, T0, flat(5, 100)))).strategy(bad).strategy(watcher).alerter(rec).build();
    RunSummary r = sys.run();
    assertThat(calls[0]).isEqualTo(2);
    assertThat(states).containsExactly(TradingState.HALTED);
    assertThat(sys.status().tradingState()).isEqualTo(TradingState.HALTED);
    assertThat(sys.status().tradingStateReason()).contains("boom");
    assertThat(rec.alerts).anySatisfy(a -> {
      assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(a.title()).isEqualTo("Strategy failed");
    });
    assertThat(r.ordersSubmitted()).isZero();
  }

  @Test
  void timersFireOnTheEngineThreadAtTheirSimulatedTime() {
    List<Instant> fired = new ArrayList<>();
    Strategy s = new Strategy() {
      @Override
      public void onStart(StrategyContext ctx) {
        ctx.schedule(T0.plusMillis(2500), () -> fired.add(ctx.now()));
        ctx.every(Duration.ofSeconds(4), () -> fired.add(ctx.now()));
      }
    };
    replay(ListFeed.quotes(ID, T0, flat(10, 100)), s).build().run();
    assertThat(fired).containsExactly(T0.plusMillis(2500), T0.plusSeconds(4), T0.plusSeconds(8));
  }

  @Test
  void dailyPnlIsWrittenAtTheRollAndFillsCountTowardTheirTradingDay() {
    Recorder rec = new Recorder();
    // 16:59:58 .. 17:00:01 New York on 2024-01-02 (EST, UTC-5): the roll to Jan 3 falls inside
    Instant start = Instant.parse("2024-01-02T21:59:58Z");
    Strategy s = new Strategy() {
      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        boolean afterRoll = !q.time().isBefore(Instant.parse("2024-01-02T22:00:00Z"));
        ctx.targetPosition(ID, afterRoll ? 0 : 10);
      }
    };
    TradingSystem sys = replay(ListFeed.quotes(ID, start, 100, 100, 101, 102), s).store(rec)
        .broker(PaperBroker.builder().commission(CommissionModel.none()).build()).build();
    sys.run();
    assertThat(rec.fillDays).containsExactly(LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 3));
    assertThat(rec.dailyPnl).extracting(d -> d.tradingDay())
        .containsExactly(LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 3));
    // bought 10 at 100.01; the roll fires before the 17:00:00 quote, with the mark at 100: -0.10
    assertThat(rec.dailyPnl.get(0).totalPnl()).isCloseTo(-0.1, within(1e-9));
    // sold at the 17:00:00 bid 100.99: from 100 to 100.99 on 10 shares = +9.90 on Jan 3
    assertThat(rec.dailyPnl.get(1).totalPnl()).isCloseTo(9.9, within(1e-9));
    assertThat(rec.realized.get(1)).isCloseTo(9.8, within(1e-9));
    assertThat(rec.closed).isTrue();
  }

  @Test
  void theSameInputsGiveTheSameEventSequenceBitForBit() {
    List<String> a = runRecorded(7);
    List<String> b = runRecorded(7);
    List<String> c = runRecorded(8);
    assertThat(a).hasSizeGreaterThan(50);
    assertThat(b).isEqualTo(a);
    assertThat(c).isNotEqualTo(a);
  }

  private static List<String> runRecorded(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] mids = new double[2000];
    double px = 100;
    for (int i = 0; i < mids.length; i++) {
      px = Math.max(1, px + (rnd.nextInt(3) - 1) * 0.05);
      mids[i] = Math.round(px * 100) / 100.0;
    }
    List<String> out = new ArrayList<>();
    Strategy s = new Strategy() {
      int n;

      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        if (++n % 37 == 0) {
          ctx.targetPosition(ID, q.mid() > 100 ? -100 : 100);
        }
        if (n % 101 == 0) {
          ctx.submit(OrderRequest.limit(ID, Side.BUY, 10, Math.round((q.bid() - 0.05) * 100) / 100.0));
        }
      }

      @Override
      public void onOrderUpdate(StrategyContext ctx, Order order, OrderEvent event) {
        out.add(ctx.now() + " " + event + " -> " + order);
      }
    };
    TradingSystem sys = replay(ListFeed.quotes(ID, T0, mids), s)
        .broker(PaperBroker.builder().latency(Duration.ofMillis(1500)).build()).build();
    RunSummary r = sys.run();
    out.add(r.fills() + " " + r.realizedPnl() + " " + r.finalEquity());
    return out;
  }

  @Test
  void buildSaysWhatIsMissing() {
    assertThatThrownBy(() -> TradingSystem.builder().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no instrument").hasMessageContaining("no strategy").hasMessageContaining("no feed");
    assertThatThrownBy(() -> TradingSystem.builder().instrument(AAPL).instrument(AAPL))
        .hasMessageContaining("instrument AAPL was added twice");
    assertThatThrownBy(() -> TradingSystem.builder().startingCash(-1)).hasMessageContaining("startingCash must be finite and > 0, was -1.0");
    assertThatThrownBy(() -> TradingSystem.builder().replay().instrument(AAPL).strategy(new Strategy() {})
        .feed(new ListFeed(List.of())).clock(dev.algotrade.core.time.SystemClock.instance()).build())
        .hasMessageContaining("replay mode needs a SimulatedClock");
  }

  @Test
  void engineSpinIsCheckedAndReachesTheEngine() {
    assertThatThrownBy(() -> TradingSystem.builder().engineSpin(Duration.ofSeconds(2)))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("engineSpin").hasMessageContaining("PT2S");
    assertThatThrownBy(() -> TradingSystem.builder().engineSpin(Duration.ofNanos(-1)))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("engineSpin").hasMessageContaining("-0.000000001");
    TradingSystem sys = TradingSystem.builder().replay().instrument(AAPL).strategy(new Strategy() {})
        .feed(new ListFeed(ListFeed.quotes(ID, T0, 100))).killSwitchFile(null).engineSpin(Duration.ofMillis(2)).build();
    assertThat(sys.engineSpin()).isEqualTo(Duration.ofMillis(2));
    assertThat(sys.run().events()).isGreaterThan(0);
  }

  @Test
  void killSwitchFilePresentAtStartRefusesToTrade(@TempDir Path dir) throws Exception {
    Path stop = dir.resolve("STOP");
    java.nio.file.Files.createFile(stop);
    TradingSystem sys = TradingSystem.builder().replay().instrument(AAPL).strategy(new Strategy() {})
        .feed(new ListFeed(ListFeed.quotes(ID, T0, 100))).killSwitchFile(stop).build();
    assertThatThrownBy(sys::run).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is present: refusing to trade").hasMessageContaining("Remove it");
  }

  @Test
  void replayUsesTheGivenSimulatedClock() {
    SimulatedClock clock = new SimulatedClock(Instant.EPOCH);
    TradingSystem sys = replay(ListFeed.quotes(ID, T0, 100, 101), new Strategy() {}).clock(clock).build();
    sys.run();
    assertThat(clock.now()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void aVetoedTargetIsRetriedOnceASecondNotOnEveryQuote() {
    // quotes every 100 ms for 3 s; the strategy asks for 500 shares on each, the rule allows 100
    Strategy s = new Strategy() {
      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        ctx.targetPosition(ID, 500);
      }
    };
    List<Quote> quotes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      quotes.add(new Quote(ID, T0.plusMillis(100L * i), 99.99, 100.01, 1000, 1000));
    }
    TradingSystem sys = replay(quotes, s).riskRule(new MaxOrderQuantity(100)).build();
    RunSummary r = sys.run();
    // denied at 0.0 s, 1.0 s and 2.0 s: three denials for thirty targets
    assertThat(r.ordersDenied()).isEqualTo(3);
    assertThat(sys.engine().counters().targetsSkippedAfterDenial).isEqualTo(27);
  }
}
