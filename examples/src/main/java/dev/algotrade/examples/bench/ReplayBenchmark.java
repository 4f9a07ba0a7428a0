package dev.algotrade.examples.bench;

import com.sun.management.ThreadMXBean;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.core.RunSummary;
import dev.algotrade.core.TradingSystem;
import dev.algotrade.core.feed.SimulatedMarket;
import dev.algotrade.core.paper.PaperBroker;
import dev.algotrade.core.risk.RiskLimits;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.examples.MovingAverageCrossover;
import dev.algotrade.sqlite.SqliteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * End-to-end replay benchmark: one instrument, N simulated quotes (default 10 million), the
 * moving-average crossover, paper fills, portfolio updates, no store. Runs {@code warmups}
 * unmeasured replays, then {@code runs} measured ones, and prints each run and the median
 * quote events per second and bytes allocated per event on the replay thread.
 *
 * <p>Run: {@code ./mvnw -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.algotrade.examples.bench.ReplayBenchmark -Dexec.args="10000000 5 2"}
 * (arguments: events, measured runs, warm-up runs, and {@code none} | {@code store} (SQLite
 * attached: orders, fills, P&L) | {@code store-ticks} (every tick too), and optionally {@code risk}
 * (every risk limit and breaker check on, none binding)). Set {@code ALGOTRADE_LOG_LEVEL=WARN} so
 * per-order INFO lines do not measure the log file instead of the engine.
 */
public final class ReplayBenchmark {
  private ReplayBenchmark() {}

  public static void main(String[] args) {
    long events = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    String store = args.length > 3 ? args[3] : "none";
    if (!store.equals("none") && !store.equals("store") && !store.equals("store-ticks")) {
      throw new IllegalArgumentException("4th argument must be none, store or store-ticks, was '" + store + "'");
    }
    RiskLimits limits = args.length > 4 && args[4].equals("risk") ? NON_BINDING : RiskLimits.NONE;
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    System.out.printf(Locale.ROOT, "replay benchmark: %,d quotes, %d warm-up + %d measured runs, store=%s, risk=%s, java %s%n",
        events, warmups, runs, store, limits == RiskLimits.NONE ? "off" : "on", System.getProperty("java.version"));
    double[] rates = new double[runs];
    double[] cpuRates = new double[runs];
    double[] bytesPerEvent = new double[runs];
    for (int r = -warmups; r < runs; r++) {
      long before = mx.getThreadAllocatedBytes(tid);
      long cpuBefore = mx.getCurrentThreadCpuTime();
      RunSummary s = once(events, store, limits);
      long cpuNanos = mx.getCurrentThreadCpuTime() - cpuBefore;
      long allocated = mx.getThreadAllocatedBytes(tid) - before;
      deleteStoreFiles(); // outside the measured span
      // per CPU-second of the replay thread: what one core does, whatever else the machine runs
      // (includes building the system and the store's close, so it slightly understates)
      double perCpuSecond = s.marketEvents() / (cpuNanos / 1e9);
      double bpe = (double) allocated / s.marketEvents();
      System.out.printf(Locale.ROOT, "%s run %d: %,.0f events/s wall, %,.0f events per CPU-second, %.1f bytes/event,"
          + " fills=%d pnl=%.2f%n", r < 0 ? "warm-up" : "measured", r < 0 ? r + warmups + 1 : r + 1,
          s.eventsPerSecond(), perCpuSecond, bpe, s.fills(), s.totalPnl());
      if (r >= 0) {
        cpuRates[r] = perCpuSecond;
        rates[r] = s.eventsPerSecond();
        bytesPerEvent[r] = bpe;
      }
    }
    System.out.printf(Locale.ROOT, "median: %,.0f quote events/s wall, %,.0f per CPU-second (one core),"
        + " %.1f bytes allocated per event%n", median(rates), median(cpuRates), median(bytesPerEvent));
  }

  /** Every limit and breaker check on, none binding: the cost of the risk layer. */
  static final RiskLimits NON_BINDING = RiskLimits.builder().maxPositionValue(1e9).maxLeverage(100).dailyLossLimit(1e9)
      .drawdownAlert(1e8).drawdownHalt(1e9).maxOrderQuantity(1e9).maxOrderNotional(1e12).priceCollarPercent(50)
      .maxOrdersPerSecond(1_000).maxOrdersPerMinute(60_000).maxConsecutiveRejects(1_000).build();

  static RunSummary once(long events, String storeMode) {
    return once(events, storeMode, RiskLimits.NONE);
  }

  static RunSummary once(long events, String storeMode, RiskLimits limits) {
    Instrument inst = Instrument.stock("AAPL");
    Instant start = Instant.parse("2024-01-02T14:30:00Z");
    SimulatedMarket market = SimulatedMarket.builder().instrument(inst, 100.0).seed(42).maxSizeLots(500)
        .step(Duration.ofMillis(100)).start(start).limit(events).build();
    TradingSystem.Builder b = TradingSystem.builder().replay().clock(new SimulatedClock(start)).instrument(inst)
        .feed(market).broker(PaperBroker.create()).strategy(MovingAverageCrossover.ofDefaults(inst.id()))
        .recordMarketData(storeMode.equals("store-ticks")).killSwitchFile(null).riskLimits(limits);
    SqliteStore store = null;
    if (!storeMode.equals("none")) {
      try {
        Path dir = Files.createTempDirectory("replay-bench");
        storeDirs.add(dir);
        // ticks beyond what the writer keeps up with are dropped and counted (the live policy)
        store = SqliteStore.builder().path(dir.resolve("bench.db")).build();
        b.store(store);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    RunSummary s = b.build().run();
    if (store != null) {
      System.out.printf(Locale.ROOT, "  store: %s%n", store.stats());
    }
    return s;
  }

  /** Store directories of runs not yet deleted (each run's database is a few hundred MB). */
  private static final List<Path> storeDirs = new ArrayList<>();

  private static void deleteStoreFiles() {
    for (Path dir : storeDirs) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
        Files.delete(dir);
      } catch (IOException e) {
        System.err.println("could not delete " + dir + ": " + e);
      }
    }
    storeDirs.clear();
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    int n = c.length;
    return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  }
}
