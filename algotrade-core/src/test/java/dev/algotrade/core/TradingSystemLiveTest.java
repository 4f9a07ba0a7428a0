package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.alert.Severity;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradingSystemLiveTest {
  private static final Instrument AAPL = Instrument.stock("AAPL");
  private static final InstrumentId ID = AAPL.id();
  private static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(2);
    }
  }

  @Test
  void runsOnItsOwnThreadTradesAndStopsGracefully(@TempDir Path dir) throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger quotes = new AtomicInteger();
    Strategy s = new Strategy() {
      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        threads.add(Thread.currentThread().getName());
        quotes.incrementAndGet();
        ctx.targetPosition(ID, 50);
      }

      @Override
      public void onStop(StrategyContext ctx) {
        // a resting order that the graceful stop must cancel
        ctx.submit(OrderRequest.limit(ID, Side.BUY, 1, 50.00));
      }
    };
    double[] mids = new double[200];
    java.util.Arrays.fill(mids, 100);
    Recorder rec = new Recorder();
    TradingSystem sys = TradingSystem.builder().instrument(AAPL).strategy(s).store(rec)
        .feed(new ListFeed(ListFeed.quotes(ID, T0, mids))).killSwitchFile(dir.resolve("STOP")).build();
    sys.start();
    await("all quotes", () -> quotes.get() == 200);
    SystemStatus st = sys.status();
    assertThat(st.positions()).singleElement().satisfies(p -> assertThat(p.quantity()).isEqualTo(50));
    assertThat(st.tradingState()).isEqualTo(TradingState.ACTIVE);
    sys.close();
    assertThat(sys.awaitTermination(Duration.ofSeconds(1))).isTrue();
    assertThat(threads).containsExactly("algotrade-engine");
    assertThat(sys.isRunning()).isFalse();
    // the resting order placed in onStop was cancelled by the graceful stop
    assertThat(sys.summary().ordersSubmitted()).isEqualTo(2);
    assertThat(rec.orderSnapshots).anySatisfy(o -> {
      assertThat(o.request().type()).isEqualTo(dev.algotrade.api.order.OrderType.LIMIT);
      assertThat(o.status()).isEqualTo(dev.algotrade.api.order.OrderStatus.CANCELLED);
    });
    assertThat(rec.closed).isTrue();
    assertThat(rec.dailyPnl).isNotEmpty();
  }

  @Test
  void aQuoteStillInTheInboxWhenTheStopBeginsReachesNoStrategy(@TempDir Path dir) throws Exception {
    java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    Strategy s = new Strategy() {
      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        calls.add("quote " + q.bid());
        ctx.targetPosition(ID, q.bid() > 100 ? 10 : -10);
      }

      @Override
      public void onStop(StrategyContext ctx) {
        calls.add("stop");
      }
    };
    // a feed whose last quote is handed over while it is being stopped: it sits in the inbox
    // when the engine begins its stop (as with a live feed that delivered it just before)
    dev.algotrade.api.market.MarketDataFeed feed = new dev.algotrade.api.market.MarketDataFeed() {
      private volatile dev.algotrade.api.market.MarketDataListener listener;

      @Override
      public void subscribe(Instrument instrument) {}

      @Override
      public void start(dev.algotrade.api.market.MarketDataListener l) {
        listener = l;
        l.onMarketData(new Quote(ID, T0, 100.50, 100.52, 100, 100));
      }

      @Override
      public void stop() {
        dev.algotrade.api.market.MarketDataListener l = listener;
        listener = null;
        if (l != null) {
          l.onMarketData(new Quote(ID, T0.plusSeconds(1), 99.50, 99.52, 100, 100));
        }
      }
    };
    TradingSystem sys = TradingSystem.builder().instrument(AAPL).strategy(s).feed(feed)
        .killSwitchFile(dir.resolve("STOP")).build();
    sys.start();
    await("first quote", () -> !calls.isEmpty());
    sys.close();
    assertThat(sys.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(calls).containsExactly("quote 100.5", "stop");
    assertThat(sys.summary().ordersSubmitted()).isEqualTo(1);
  }

  @Test
  void killSwitchFileHaltsCancelsAndStopsAtTheNextPoll(@TempDir Path dir) throws Exception {
    Path stop = dir.resolve("STOP");
    Recorder rec = new Recorder();
    AtomicInteger quotes = new AtomicInteger();
    Strategy s = new Strategy() {
      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        if (quotes.incrementAndGet() == 1) {
          ctx.submit(OrderRequest.limit(ID, Side.BUY, 5, 90.00));
        }
      }
    };
    dev.algotrade.core.time.SimulatedClock clock = new dev.algotrade.core.time.SimulatedClock(T0);
    TradingSystem sys = TradingSystem.builder().instrument(AAPL).strategy(s).alerter(rec).clock(clock)
        .feed(new ListFeed(ListFeed.quotes(ID, T0, 100, 100))).killSwitchFile(stop).build();
    sys.start();
    await("first quote", () -> quotes.get() >= 1);
    assertThat(sys.status().openOrders()).hasSize(1);
    Files.createFile(stop);
    // the file is polled every 250 ms of engine-clock time: one poll period later it must act
    clock.advance(Duration.ofMillis(250));
    assertThat(sys.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(sys.status().tradingState()).isEqualTo(TradingState.HALTED);
    assertThat(sys.status().openOrders()).isEmpty();
    assertThat(rec.alerts).anySatisfy(a -> {
      assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(a.title()).isEqualTo("Kill switch used");
    });
    assertThatThrownBy(sys::start).isInstanceOf(IllegalStateException.class);
  }
}
