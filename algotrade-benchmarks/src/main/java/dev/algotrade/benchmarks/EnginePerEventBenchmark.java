package dev.algotrade.benchmarks;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.core.feed.SimulatedMarket;
import dev.algotrade.core.indicator.Sma;
import dev.algotrade.core.internal.Engine;
import dev.algotrade.core.paper.PaperBroker;
import dev.algotrade.core.store.NoOpStore;
import dev.algotrade.core.alert.LogAlerter;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.core.time.TradingCalendar;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's per-event path: one quote through market state, the paper venue, the
 * moving-average crossover (which now and then trades), and the portfolio. Quotes are
 * pre-generated so the feed is not measured. {@code strategy=none} measures the engine alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "-XX:+UseParallelGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class EnginePerEventBenchmark {

  @Param({"crossover", "none"})
  public String strategy;

  /** 8M quotes: an iteration rarely wraps around (which would jump prices and times back). */
  private static final int N = 1 << 23;
  private Quote[] quotes;
  private int i;
  private Engine engine;
  private SimulatedClock clock;

  @Setup(Level.Trial)
  public void setUp() {
    Instrument inst = Instrument.stock("AAPL");
    Instant start = Instant.parse("2024-01-02T14:30:00Z");
    SimulatedMarket m = SimulatedMarket.builder().instrument(inst, 100).seed(1).maxSizeLots(500).start(start)
        .step(Duration.ofMillis(100)).limit(N).build();
    m.subscribe(inst);
    quotes = new Quote[N];
    for (int k = 0; k < N; k++) {
      quotes[k] = m.next();
    }
    this.instrument = inst;
  }

  private Instrument instrument;

  /** A fresh engine per iteration, so its books do not grow across iterations. */
  @Setup(Level.Iteration)
  public void newEngine() {
    Instrument inst = instrument;
    i = 0;
    clock = new SimulatedClock(quotes[0].time());
    Strategy s = "none".equals(strategy) ? new Strategy() {} : new Crossover(inst.id());
    engine = new Engine(new Engine.Config(clock, TradingCalendar.DEFAULT, PaperBroker.create(), NoOpStore.INSTANCE,
        new LogAlerter(), List.of(s), List.of(), List.of(inst), 1_000_000, false, true,
        dev.algotrade.core.ReconciliationPolicy.ADOPT_BROKER, 1024));
    engine.start();
  }

  @Benchmark
  public double onQuote() {
    Quote q = quotes[i];
    i = (i + 1) & (N - 1);
    clock.advanceTo(q.time());
    engine.onMarketDataDirect(q);
    engine.drainLocal();
    return engine.portfolio().cash();
  }

  /** The example's crossover, inlined so the benchmark does not depend on the examples module. */
  static final class Crossover implements Strategy {
    final InstrumentId id;
    final Sma fast = new Sma(20);
    final Sma slow = new Sma(50);
    double target;

    Crossover(InstrumentId id) {
      this.id = id;
    }

    @Override
    public void onQuote(StrategyContext ctx, Quote q) {
      double f = fast.update(q.mid());
      double s = slow.update(q.mid());
      if (slow.isReady()) {
        double want = f > s ? 100 : f < s ? -100 : target;
        if (want != target || ctx.position(id) != want) {
          target = want;
          ctx.targetPosition(id, want);
        }
      }
    }
  }
}
