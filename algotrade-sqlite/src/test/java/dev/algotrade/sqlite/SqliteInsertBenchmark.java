package dev.algotrade.sqlite;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark, not a test: sustained quote insert rate through the real writer (median of 5 runs
 * after a warm-up), file size per million rows, and the slowdown of a synthetic engine loop when
 * the store is attached. Run:
 *
 * <pre>
 * ./mvnw -q -pl algotrade-sqlite -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
 * java -cp "$(cat algotrade-sqlite/target/bench.cp):algotrade-sqlite/target/test-classes:algotrade-sqlite/target/classes" \
 *     dev.algotrade.sqlite.SqliteInsertBenchmark [rows] [dir]
 * </pre>
 *
 * The store runs with backpressure, so the producer parks while the queue is full, no tick is
 * dropped and the rate (up to the flush) is what the writer sustains. Single-threaded producer; prints its figures.
 */
public final class SqliteInsertBenchmark {
  private static final List<InstrumentId> IDS =
      List.of(InstrumentId.of("AAPL"), InstrumentId.of("MSFT"), InstrumentId.of("IBM"), InstrumentId.of("SPY"));
  private static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  private SqliteInsertBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("sqlite-bench");
    Quote[] quotes = quotes(rows);
    System.out.printf(Locale.ROOT, "SQLite insert benchmark: %,d quotes per run, dir=%s, cores=%d%n", rows, dir,
        Runtime.getRuntime().availableProcessors());

    insertRun(dir, quotes, -1); // warm-up
    List<Double> rates = new ArrayList<>();
    List<Double> bytesPerMillion = new ArrayList<>();
    for (int run = 0; run < 5; run++) {
      double[] r = insertRun(dir, quotes, run);
      rates.add(r[0]);
      bytesPerMillion.add(r[1]);
    }
    System.out.printf(Locale.ROOT, "insert: median %,.0f rows/s (runs %s); file %.1f MB per million rows%n",
        median(rates), fmt(rates), median(bytesPerMillion) / 1e6);

    // synthetic engine loop: an EMA and a crossover test per quote, bare and with the store. In
    // drop mode the figure is the engine thread's own cost of recording (the writer cannot keep
    // up with a loop this light, so ticks are dropped); with backpressure it is bound by the writer.
    List<Double> bare = new ArrayList<>();
    List<Double> dropMode = new ArrayList<>();
    List<Double> waitMode = new ArrayList<>();
    engineRun(dir, quotes, false, false);
    for (int run = 0; run < 5; run++) {
      bare.add(engineRun(dir, quotes, false, false));
      dropMode.add(engineRun(dir, quotes, true, false));
      waitMode.add(engineRun(dir, quotes, true, true));
    }
    double b = median(bare);
    double d = median(dropMode);
    double w = median(waitMode);
    System.out.printf(Locale.ROOT, "engine loop: bare %,.0f events/s; store attached, drop mode %,.0f events/s"
        + " (%.0f ns per record call); backpressure %,.0f events/s%n", b, d, 1e9 / d - 1e9 / b, w);
  }

  static Quote[] quotes(int n) {
    Quote[] out = new Quote[n];
    double px = 100;
    for (int i = 0; i < n; i++) {
      px += ((i * 2654435761L) % 7 - 3) * 0.01;
      if (px < 1) {
        px = 100;
      }
      out[i] = new Quote(IDS.get(i & 3), T0.plusNanos(i * 1_000L), px, px + 0.01, 100 + (i & 15), 200);
    }
    return out;
  }

  /** Returns {rows per second, file bytes per million rows}. */
  static double[] insertRun(Path dir, Quote[] quotes, int run) throws Exception {
    Path db = dir.resolve("insert-" + run + ".db");
    deleteDb(db);
    // backpressure: the producer parks while the queue is full (a spinning producer would take
    // one of the two cores from the writer), and no tick is dropped
    SqliteStore store = SqliteStore.builder().path(db).backpressure(true).build();
    long t0 = System.nanoTime();
    for (Quote q : quotes) {
      store.recordMarketData(q);
    }
    store.flush();
    long nanos = System.nanoTime() - t0;
    StoreStats s = store.stats();
    store.close();
    if (s.droppedTicks() != 0 || s.written() < quotes.length) {
      throw new IllegalStateException("benchmark lost rows: " + s);
    }
    long bytes = Files.size(db);
    double rate = quotes.length / (nanos / 1e9);
    double perMillion = bytes / (quotes.length / 1e6);
    if (run >= 0) {
      System.out.printf(Locale.ROOT, "run %d: %,.0f rows/s, %,d bytes, batches=%d maxBatchLatency=%.1f ms%n",
          run + 1, rate, bytes, s.batches(), s.maxBatchLatencyNanos() / 1e6);
    }
    deleteDb(db);
    return new double[] {rate, perMillion};
  }

  /** Events per second of the engine thread over all quotes (the store's writer runs beside it). */
  static double engineRun(Path dir, Quote[] quotes, boolean attach, boolean backpressure) throws Exception {
    Path db = dir.resolve("engine.db");
    deleteDb(db);
    SqliteStore store = attach ? SqliteStore.builder().path(db).backpressure(backpressure).build() : null;
    double fast = 0;
    double slow = 0;
    long crossings = 0;
    long t0 = System.nanoTime();
    for (Quote q : quotes) {
      double mid = q.mid();
      fast += (mid - fast) * 0.2;
      slow += (mid - slow) * 0.02;
      if ((fast > slow) != (mid > slow)) {
        crossings++;
      }
      if (store != null) {
        store.recordMarketData(q);
      }
    }
    long nanos = System.nanoTime() - t0;
    if (store != null) {
      store.close();
    }
    deleteDb(db);
    if (crossings < 0) {
      throw new IllegalStateException();
    }
    return quotes.length / (nanos / 1e9);
  }

  static void deleteDb(Path db) throws Exception {
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(Path.of(db + suffix));
    }
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  static String fmt(List<Double> xs) {
    StringBuilder sb = new StringBuilder();
    for (Double x : xs) {
      sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", x));
    }
    return sb.toString();
  }

}
