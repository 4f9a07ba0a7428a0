package dev.algotrade.examples.bench;

import ch.qos.logback.classic.Level;
import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.BrokerListener;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.core.TradingSystem;
import dev.algotrade.core.time.SystemClock;
import dev.algotrade.ib.IbBroker;
import dev.algotrade.ib.IbClient;
import dev.algotrade.ib.IbConfig;
import dev.algotrade.ib.IbFeed;
import dev.algotrade.ib.internal.WireProbe;
import dev.algotrade.ib.testkit.SimulatedGateway;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * Tick-to-order latency through the simulated IB gateway on loopback, measured inside this
 * process: from the moment the bytes of the frame carrying a tick are read by the IB reader
 * thread (before decoding) to the moment the bytes of the placeOrder frame answering it are
 * written to the socket (by the engine thread itself when nothing is queued ahead of the frame,
 * else by the IB writer thread). The whole live path is in between: decoder, {@link IbFeed}, the
 * engine's inbox, the engine thread, a strategy answering every Nth quote, risk and execution,
 * {@link IbBroker} and the socket write.
 *
 * <p>A {@link SimulatedGateway} on 127.0.0.1 (ephemeral port) steps its random walk at a fixed
 * rate from a driver thread here; each step sends a bid and an ask tick. Pacing is switched off
 * (IB's limit of 50 messages a second would hold the benchmark's hundreds of orders a second
 * back; a real session paces).
 * Each run builds a fresh gateway, connection and trading system, drops a warm-up of orders and
 * then keeps {@code samples} orders; the output is each run's percentiles, the median of the
 * runs' percentiles, and where the time went (stage stamps taken in this benchmark only).
 *
 * <p>Run (a forked JVM with a fixed heap; arguments are {@code key=value}, all optional):
 *
 * <pre>
 * ./mvnw -q -pl examples -am package -DskipTests exec:exec -Dexec.classpathScope=test \
 *   -Dexec.executable=java -Dexec.args="-Xms1g -Xmx1g -cp %classpath \
 *   dev.algotrade.examples.bench.TickToOrderBenchmark samples=100000 warmup=10000 runs=3"
 * </pre>
 *
 * <p>{@code samples} orders measured per run (default 100,000), {@code warmup} orders dropped
 * first (20,000), {@code runs} measured runs (3) plus one warm-up run ({@code warmupRun=false}
 * skips it), {@code every} = N, answer every Nth quote (4), {@code steps} market steps a second
 * (2,000; the driver parks between steps, so a busy machine gets fewer), {@code
 * order=limit|market} (a marketable limit, the default, or a market order), {@code
 * log=warn|info} (the level of {@code dev.algotrade}; info logs every order through the
 * example's asynchronous file appender), {@code spin=MICROS} (the engine inbox's spin,
 * {@code TradingSystem.Builder.engineSpin}; default 0, park at once). {@code gateway=PORT} uses a simulated
 * gateway already running in its own JVM on 127.0.0.1:PORT instead of one in this JVM (start it
 * with {@code SimulatedGatewayMain --port PORT --symbols AAPL --quote-interval-ms 1 --cash
 * 1000000000}; it steps by itself, so {@code steps} does not apply): the gateway's threads and
 * garbage then stay out of our process, as TWS's do.
 *
 * <p>A main, not a test: it asserts nothing about time.
 */
public final class TickToOrderBenchmark {

  private TickToOrderBenchmark() {}

  /** Benchmark settings, from {@code key=value} arguments. */
  record Settings(int samples, int warmup, int runs, boolean warmupRun, int every, int stepsPerSecond,
      boolean limitOrders, String log, int gatewayPort, int spinMicros) {

    static Settings parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (String a : args) {
        for (String part : a.trim().split("\\s+")) {
          if (part.isEmpty()) {
            continue;
          }
          int eq = part.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("arguments are key=value, was '" + part + "'");
          }
          m.put(part.substring(0, eq), part.substring(eq + 1).replace("_", ""));
        }
      }
      Settings s = new Settings(intArg(m, "samples", 100_000), intArg(m, "warmup", 20_000), intArg(m, "runs", 3),
          Boolean.parseBoolean(m.getOrDefault("warmupRun", "true")), intArg(m, "every", 4),
          intArg(m, "steps", 2_000), !"market".equals(m.getOrDefault("order", "limit")),
          m.getOrDefault("log", "warn"), intArg(m, "gateway", 0), intArg(m, "spin", 0));
      m.keySet().removeAll(List.of("samples", "warmup", "runs", "warmupRun", "every", "steps", "order", "log",
          "gateway", "spin"));
      if (!m.isEmpty()) {
        throw new IllegalArgumentException("unknown arguments " + m.keySet()
            + "; known: samples, warmup, runs, warmupRun, every, steps, order, log, gateway, spin");
      }
      if (s.samples < 1 || s.warmup < 0 || s.runs < 1 || s.every < 1 || s.stepsPerSecond < 1 || s.spinMicros < 0) {
        throw new IllegalArgumentException("samples, runs, every and steps must be >= 1, warmup and spin >= 0, was "
            + s);
      }
      return s;
    }

    private static int intArg(Map<String, String> m, String key, int dflt) {
      String v = m.get(key);
      return v == null ? dflt : Integer.parseInt(v);
    }
  }

  public static void main(String[] args) throws Exception {
    Settings s = Settings.parse(args);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.algotrade"))
        .setLevel(Level.toLevel(s.log, Level.WARN));
    System.out.printf(Locale.ROOT, "tick-to-order benchmark: %s %s (%s), %d CPUs, load average %s%n",
        System.getProperty("java.vm.name"), System.getProperty("java.version"), System.getProperty("java.vm.vendor"),
        Runtime.getRuntime().availableProcessors(), loadAverage());
    System.out.println("host: " + HostIdle.describe());
    System.out.printf(Locale.ROOT, "settings: %,d samples per run after %,d warm-up orders, %d runs%s, answer every %d"
        + " quote(s) with a %s order of 1 share (alternating buy / sell), market %,d steps/s (2 ticks each),"
        + " log level dev.algotrade=%s, engine spin %,d us%n", s.samples, s.warmup, s.runs,
        s.warmupRun ? " + 1 warm-up run" : "", s.every, s.limitOrders ? "marketable limit" : "market",
        s.stepsPerSecond, s.log.toUpperCase(Locale.ROOT), s.spinMicros);
    System.out.println("IB pacing SWITCHED OFF for the benchmark (IB allows 50 messages/s; a real session would pace"
        + " orders beyond that)");
    List<RunResult> results = new ArrayList<>();
    for (int r = s.warmupRun ? 0 : 1; r <= s.runs; r++) {
      RunResult res = once(s, r);
      System.out.println((r == 0 ? "warm-up run: " : "run " + r + ": ") + res.format());
      if (r > 0) {
        results.add(res);
      }
    }
    System.out.println(median(results, s));
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  // ---------------------------------------------------------------- one run

  static RunResult once(Settings s, int run) throws Exception {
    // the warm-up run (run 0) is as long as a run's warm-up, twice
    int total = run == 0 ? 2 * Math.max(1, s.warmup) : s.warmup + s.samples;
    int from = run == 0 ? Math.max(1, s.warmup) : s.warmup;
    Stamps st = new Stamps(total);
    Instrument inst = Instrument.stock("AAPL");
    // gateway=PORT: a gateway already running in its own JVM on 127.0.0.1 that steps by itself
    // (SimulatedGatewayMain --quote-interval-ms 1), as TWS runs beside us; else one in this JVM
    boolean external = s.gatewayPort > 0;
    try (SimulatedGateway gw = external ? null : SimulatedGateway.builder().port(0)
        .instrument("AAPL", 265598, 0.01, 190.00).seed(42 + run).startingCash(1e9).build().start()) {
      IbConfig config = IbConfig.builder().host("127.0.0.1").port(external ? s.gatewayPort : gw.port()).clientId(1)
          .connectTimeout(Duration.ofSeconds(10)).build();
      IbClient client = IbClient.create(config, SystemClock.instance());
      client.switchOffPacingForBenchmark();
      client.wireProbe(st);
      try {
        client.start().get(15, TimeUnit.SECONDS);
        IbFeed feed = IbFeed.on(client);
        IbBroker broker = IbBroker.on(client).register(inst);
        AnswerEveryNth strategy = new AnswerEveryNth(inst.id(), s.every, total, s.limitOrders, st);
        // orders still working at the stop are left alone: the gateway fills them anyway
        TradingSystem system = TradingSystem.builder().instrument(inst).feed(new StampingFeed(feed, st))
            .broker(new StampingBroker(broker, st)).strategy(strategy).killSwitchFile(null).noHealthMonitor()
            .cancelOrdersOnStop(false).recordMarketData(false).environment(Map.of())
            .engineSpin(Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(s.spinMicros))).build();
        long gcBefore = gcMillis();
        long gcCountBefore = gcCount();
        system.start();
        Driver driver = external ? null : new Driver(gw, s.stepsPerSecond);
        long t0 = System.nanoTime();
        if (driver != null) {
          driver.start();
        }
        long deadline = t0 + TimeUnit.MINUTES.toNanos(30);
        while (st.writtenCount.get() < total && System.nanoTime() - deadline < 0 && system.isRunning()) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        long elapsed = System.nanoTime() - t0;
        if (driver != null) {
          driver.stop();
        }
        long gcMs = gcMillis() - gcBefore;
        long gcN = gcCount() - gcCountBefore;
        system.stop("benchmark done");
        system.awaitTermination(Duration.ofSeconds(20));
        if (st.writtenCount.get() < total) {
          throw new IllegalStateException("run " + run + " ended with " + st.writtenCount.get() + " of " + total
              + " orders written (system running: " + system.isRunning() + ")");
        }
        if (strategy.refused > 0) {
          throw new IllegalStateException(strategy.refused + " orders were denied or rejected; the frame-to-order"
              + " correlation needs every submit on the wire");
        }
        int bad = st.verifyCorrelation();
        if (bad > 0) {
          throw new IllegalStateException(bad + " sampled placeOrder frames carry another order's orderRef");
        }
        long steps = driver == null ? strategy.quotes / 2 : driver.steps;
        return RunResult.of(st, from, total, elapsed, strategy.quotes, steps, strategy.ringMisses, gcN,
            gcMs);
      } finally {
        client.close();
      }
    }
  }

  private static long gcMillis() {
    long t = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, b.getCollectionTime());
    }
    return t;
  }

  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, b.getCollectionCount());
    }
    return n;
  }

  // ---------------------------------------------------------------- stamps

  /**
   * The timestamps of one run. Quote stamps live in a ring indexed by quote sequence (written
   * on the IB reader thread, read on the engine thread after the inbox hand-off); order stamps
   * in arrays indexed by order sequence (engine thread, then the IB writer thread after the
   * outgoing queue's hand-off). The j-th {@code broker.submit} is the j-th placeOrder frame: the
   * writer sends in queue order, and {@link #verifyCorrelation} checks it on sampled frames.
   */
  static final class Stamps implements WireProbe {
    static final int RING = 1 << 16;
    // reader thread
    long lastRead;
    long quoteSeq;
    final long[] ringRead = new long[RING];
    final long[] ringDelivered = new long[RING];
    final Object[] ringQuote = new Object[RING];
    // engine thread: the quote being answered, picked up by the broker wrapper
    long pendingRead;
    long pendingDelivered;
    long pendingStrategy;
    boolean pending;
    int submits;
    final long[] read;
    final long[] delivered;
    final long[] strategy;
    final long[] brokerIn;
    final long[] brokerOut;
    final String[] orderRef;
    // writer thread
    int frames;
    final long[] writtenAt;
    final byte[][] sampledFrames;
    final AtomicInteger writtenCount = new AtomicInteger();

    Stamps(int total) {
      read = new long[total];
      delivered = new long[total];
      strategy = new long[total];
      brokerIn = new long[total];
      brokerOut = new long[total];
      orderRef = new String[total];
      writtenAt = new long[total];
      sampledFrames = new byte[total][];
    }

    @Override
    public void frameRead(long nanoTime) {
      lastRead = nanoTime;
    }

    @Override
    public void frameWritten(byte[] frame, long nanoTime) {
      // placeOrder frames start with the message id 3: length prefix, '3', NUL
      if (frame.length > 6 && frame[4] == '3' && frame[5] == 0) {
        int j = frames++;
        if (j < writtenAt.length) {
          writtenAt[j] = nanoTime;
          if ((j & 63) == 0) {
            sampledFrames[j] = frame;
          }
          writtenCount.lazySet(j + 1);
        }
      }
    }

    /** Reader thread: a quote left the feed for the engine's inbox. */
    void quoteDelivered(Quote q, long now) {
      int i = (int) (quoteSeq++ & (RING - 1));
      ringRead[i] = lastRead;
      ringDelivered[i] = now;
      ringQuote[i] = q;
    }

    /** Checks sampled placeOrder frames against the order submitted with the same sequence. */
    int verifyCorrelation() {
      int bad = 0;
      int n = Math.min(writtenCount.get(), submits);
      for (int j = 0; j < n; j += 64) {
        byte[] f = sampledFrames[j];
        if (f == null || orderRef[j] == null || !orderRef(f).equals(orderRef[j])) {
          bad++;
        }
      }
      return bad;
    }

    /** Field 27 of a placeOrder frame (ib-protocol.md §3.3). */
    static String orderRef(byte[] f) {
      int field = 1;
      int start = 4;
      for (int i = 4; i < f.length; i++) {
        if (f[i] == 0) {
          if (field == 27) {
            return new String(f, start, i - start, StandardCharsets.US_ASCII);
          }
          field++;
          start = i + 1;
        }
      }
      return "";
    }
  }

  /** Wraps the IB feed: stamps each quote on the reader thread as it leaves for the engine. */
  static final class StampingFeed implements MarketDataFeed {
    private final MarketDataFeed delegate;
    private final Stamps st;

    StampingFeed(MarketDataFeed delegate, Stamps st) {
      this.delegate = delegate;
      this.st = st;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public void subscribe(Instrument instrument) {
      delegate.subscribe(instrument);
    }

    @Override
    public void start(MarketDataListener listener) {
      delegate.start(new MarketDataListener() {
        @Override
        public void onMarketData(MarketData data) {
          if (data instanceof Quote) {
            st.quoteDelivered((Quote) data, System.nanoTime());
          }
          listener.onMarketData(data);
        }

        @Override
        public void onFeedStatus(FeedStatus status) {
          listener.onFeedStatus(status);
        }
      });
    }

    @Override
    public void stop() {
      delegate.stop();
    }
  }

  /** Wraps the IB broker: stamps each submit on the engine thread, before and after IbBroker's part. */
  static final class StampingBroker implements Broker {
    private final Broker delegate;
    private final Stamps st;

    StampingBroker(Broker delegate, Stamps st) {
      this.delegate = delegate;
      this.st = st;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public AccountMode accountMode() {
      return delegate.accountMode();
    }

    @Override
    public void connect(BrokerListener listener) {
      delegate.connect(listener);
    }

    @Override
    public void submit(ClientOrderId id, OrderRequest request) {
      long in = System.nanoTime();
      int j = st.submits++;
      boolean tracked = j < st.read.length;
      if (tracked) {
        st.brokerIn[j] = in;
        st.orderRef[j] = id.value();
        if (st.pending) {
          st.read[j] = st.pendingRead;
          st.delivered[j] = st.pendingDelivered;
          st.strategy[j] = st.pendingStrategy;
          st.pending = false;
        }
      }
      delegate.submit(id, request);
      if (tracked) {
        st.brokerOut[j] = System.nanoTime();
      }
    }

    @Override
    public void cancel(ClientOrderId id) {
      delegate.cancel(id);
    }

    @Override
    public void cancelAll() {
      delegate.cancelAll();
    }

    @Override
    public void requestPositions() {
      delegate.requestPositions();
    }

    @Override
    public void requestOpenOrders() {
      delegate.requestOpenOrders();
    }

    @Override
    public void requestAccount() {
      delegate.requestAccount();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /**
   * Sends one order of one share on every Nth quote, alternating buy and sell so the position
   * stays within one share; a marketable limit (5 cents through the touch) or a market order.
   * Engine thread only.
   */
  static final class AnswerEveryNth implements Strategy {
    private final InstrumentId id;
    private final int every;
    private final int total;
    private final boolean limit;
    private final Stamps st;
    long quotes;
    int sent;
    int refused;
    int ringMisses;

    AnswerEveryNth(InstrumentId id, int every, int total, boolean limit, Stamps st) {
      this.id = id;
      this.every = every;
      this.total = total;
      this.limit = limit;
      this.st = st;
    }

    @Override
    public void onQuote(StrategyContext ctx, Quote q) {
      long now = System.nanoTime();
      long k = quotes++;
      if ((k + 1) % every != 0 || sent >= total || q.bid() <= 0 || q.ask() <= 0) {
        return;
      }
      int i = (int) (k & (Stamps.RING - 1));
      if (st.ringQuote[i] != q) {
        ringMisses++; // the engine fell a whole ring behind the reader: no stamps for this one
        return;
      }
      st.pendingRead = st.ringRead[i];
      st.pendingDelivered = st.ringDelivered[i];
      st.pendingStrategy = now;
      st.pending = true;
      Side side = (sent & 1) == 0 ? Side.BUY : Side.SELL;
      OrderRequest r = limit
          ? OrderRequest.limit(id, side, 1, side == Side.BUY ? cents(q.ask() + 0.05) : cents(q.bid() - 0.05))
          : OrderRequest.market(id, side, 1);
      ctx.submit(r);
      sent++;
    }

    @Override
    public void onOrderUpdate(StrategyContext ctx, Order order, OrderEvent event) {
      if (event instanceof OrderRejected || event instanceof OrderDenied) {
        refused++;
      }
    }

    private static double cents(double price) {
      return Math.round(price * 100) / 100.0;
    }
  }

  /** Steps the gateway's market at a fixed rate on its own thread (parking between steps). */
  static final class Driver {
    private final SimulatedGateway gw;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean running = true;
    volatile long steps;

    Driver(SimulatedGateway gw, int stepsPerSecond) {
      this.gw = gw;
      this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / stepsPerSecond;
      this.thread = new Thread(this::loop, "bench-market-driver");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(5_000);
    }

    private void loop() {
      long next = System.nanoTime();
      long n = 0;
      while (running) {
        gw.market().step();
        n++;
        steps = n;
        next += intervalNanos;
        long now = System.nanoTime();
        if (next - now > 0) {
          LockSupport.parkNanos(next - now);
        } else if (now - next > 100 * intervalNanos) {
          next = now; // far behind (the machine is busy): do not burst to catch up
        }
      }
    }
  }

  // ---------------------------------------------------------------- results

  /** Percentiles in microseconds. */
  record Pct(double p50, double p90, double p99, double p999, double max) {
    static Pct of(long[] nanos) {
      long[] c = nanos.clone();
      Arrays.sort(c);
      return new Pct(at(c, 0.50), at(c, 0.90), at(c, 0.99), at(c, 0.999), c[c.length - 1] / 1e3);
    }

    private static double at(long[] sorted, double q) {
      int i = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e3;
    }

    String format() {
      return String.format(Locale.ROOT, "p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f us", p50, p90, p99, p999,
          max);
    }
  }

  static final String[] STAGES = {"read -> quote to engine inbox (decode, IbFeed)",
      "inbox -> strategy onQuote (hand-off to the engine thread)",
      "onQuote -> broker.submit (strategy, risk, execution)",
      "IbBroker.submit to written (frame built, written; engine thread)",
      "submit return -> written (frames that waited for the writer)"};

  record RunResult(int samples, Pct total, Pct[] stages, double ordersPerSecond, double quotesPerSecond,
      double stepsPerSecond, int ringMisses, long gcCount, long gcMillis) {

    static RunResult of(Stamps st, int from, int to, long elapsedNanos, long quotes, long steps, int ringMisses,
        long gcCount, long gcMillis) {
      int n = to - from;
      long[] total = new long[n];
      long[][] stage = new long[5][n];
      for (int i = 0; i < n; i++) {
        int j = from + i;
        long w = st.writtenAt[j];
        total[i] = w - st.read[j];
        stage[0][i] = st.delivered[j] - st.read[j];
        stage[1][i] = st.strategy[j] - st.delivered[j];
        stage[2][i] = st.brokerIn[j] - st.strategy[j];
        // the engine thread writes the frame itself inside submit unless something was queued
        // ahead of it; then the writer thread does, usually after submit returned
        stage[3][i] = Math.min(w, st.brokerOut[j]) - st.brokerIn[j];
        stage[4][i] = Math.max(0, w - st.brokerOut[j]);
      }
      Pct[] p = new Pct[5];
      for (int k = 0; k < 5; k++) {
        p[k] = Pct.of(stage[k]);
      }
      double secs = elapsedNanos / 1e9;
      return new RunResult(n, Pct.of(total), p, to / secs, quotes / secs, steps / secs, ringMisses, gcCount, gcMillis);
    }

    String format() {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
          "%,d samples, tick-to-order %s%n  (%.0f orders/s, %.0f quotes/s, %.0f steps/s; GC %d collections %d ms;"
              + " ring misses %d)", samples, total.format(), ordersPerSecond, quotesPerSecond, stepsPerSecond,
          gcCount, gcMillis, ringMisses));
      for (int k = 0; k < STAGES.length; k++) {
        b.append(String.format(Locale.ROOT, "%n    %-64s p50 %6.1f  p99 %7.1f us", STAGES[k], stages[k].p50,
            stages[k].p99));
      }
      return b.toString();
    }
  }

  static String median(List<RunResult> rs, Settings s) {
    double[][] v = new double[5][rs.size()];
    for (int i = 0; i < rs.size(); i++) {
      Pct p = rs.get(i).total;
      v[0][i] = p.p50;
      v[1][i] = p.p90;
      v[2][i] = p.p99;
      v[3][i] = p.p999;
      v[4][i] = p.max;
    }
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "MEDIAN of %d runs (%,d samples each): tick-to-order p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f us",
        rs.size(), s.samples, med(v[0]), med(v[1]), med(v[2]), med(v[3]), med(v[4])));
    for (int k = 0; k < STAGES.length; k++) {
      double[] p50 = new double[rs.size()];
      double[] p99 = new double[rs.size()];
      for (int i = 0; i < rs.size(); i++) {
        p50[i] = rs.get(i).stages[k].p50;
        p99[i] = rs.get(i).stages[k].p99;
      }
      b.append(String.format(Locale.ROOT, "%n    %-64s p50 %6.1f  p99 %7.1f us", STAGES[k], med(p50), med(p99)));
    }
    b.append(String.format(Locale.ROOT, "%ntarget: p50 < 20 us and p99 < 100 us"));
    return b.toString();
  }

  static double med(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    int n = c.length;
    return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  }
}
