package dev.algotrade.examples;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.core.RunSummary;
import dev.algotrade.core.SystemStatus;
import dev.algotrade.core.TradingSystem;
import dev.algotrade.core.feed.SimulatedMarket;
import dev.algotrade.core.config.Settings;
import dev.algotrade.core.monitor.HealthMonitorConfig;
import dev.algotrade.core.monitor.MaintenanceWindow;
import dev.algotrade.core.paper.PaperBroker;
import dev.algotrade.core.risk.RiskLimits;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.core.time.SystemClock;
import dev.algotrade.sqlite.SqliteStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

/**
 * The bundled example bot: a moving-average crossover trading a simulated market on the paper
 * broker.
 *
 * <pre>
 *   live (default): quotes at real-time pace, a status line every few seconds; stops on
 *                   Ctrl+C, when a file named STOP appears, or after --duration
 *   --replay        as fast as possible over --events quotes, then a summary
 * </pre>
 *
 * Options: {@code --duration 60s|5m|1h}, {@code --replay}, {@code --events N},
 * {@code --speed X} (live pace multiplier), {@code --seed N}, {@code --symbol AAPL},
 * {@code --quantity N}, {@code --fast N}, {@code --slow N}, {@code --status-every 5s},
 * {@code --db PATH} (the SQLite audit file; live default {@code data/algotrade.db} with the paper
 * broker, {@code data/algotrade-ib-<account>.db} with {@code BROKER=ib}: recovery must never apply
 * one broker's or account's state to another).
 *
 * <p>Risk limits and safety settings come from the environment and a {@code .env} file in the
 * working directory (the environment wins), with the names in {@code .env.example}; unset keys
 * take the defaults below, sized for the simulated market (a price near 100, 100 shares). A
 * malformed or out-of-range value stops the bot at start-up with the key and the value.
 */
public final class ExampleBot {

  private ExampleBot() {}

  /** Defaults for the simulated market; every one can be overridden in .env or the environment. */
  static final RiskLimits DEFAULT_LIMITS = RiskLimits.builder()
      .maxPositionValue(25_000)
      .maxLeverage(2.0)
      .dailyLossLimit(2_000)
      .drawdownAlert(1_500)
      .drawdownHalt(3_000)
      .maxOrderQuantity(1_000)
      .maxOrderNotional(50_000)
      .priceCollarPercent(5)
      .maxOrdersPerSecond(10)
      .maxOrdersPerMinute(300)
      .maxConsecutiveRejects(5)
      .build();

  /** The bot's settings from .env and the environment. */
  record BotSettings(RiskLimits limits, Path killSwitchFile, boolean flattenOnKillSwitch, ZoneId tradingDayZone,
      LocalTime tradingDayRoll) {
    static BotSettings load(Settings s) {
      return new BotSettings(RiskLimits.from(s, DEFAULT_LIMITS),
          Path.of(s.getString("KILL_SWITCH_FILE", "STOP")),
          s.getBoolean("KILL_SWITCH_FLATTEN", false),
          s.getZone("TRADING_DAY_ZONE", ZoneId.of("America/New_York")),
          s.getTime("TRADING_DAY_ROLL", LocalTime.of(17, 0)));
    }

    static BotSettings defaults() {
      return load(Settings.of(java.util.Map.of()));
    }
  }

  public static void main(String[] args) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (o.help) {
      System.out.println(Options.USAGE);
      return;
    }
    BotSettings settings;
    try {
      settings = BotSettings.load(Settings.fromEnvironment());
    } catch (ConfigurationException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.err.println("see .env.example for every key, its meaning and its range");
      System.exit(2);
      return;
    }
    int code;
    try {
      code = o.replay ? runReplay(o, settings, System.out) : runLive(o, settings, System.out);
    } catch (ConfigurationException e) {
      System.err.println("refusing to start: " + e.getMessage());
      code = 3;
    }
    if (code != 0) {
      System.exit(code);
    }
  }

  static Instrument instrument(Options o) {
    return Instrument.stock(o.symbol);
  }

  /**
   * The strategy alone, without risk limits: simulated market, crossover, paper broker (the
   * golden replay pins its results).
   */
  static TradingSystem replaySystem(Options o, PaperBroker broker) {
    return replaySystem(o, new BotSettings(RiskLimits.NONE, Path.of("STOP"), false, ZoneId.of("America/New_York"),
        LocalTime.of(17, 0)), broker);
  }

  /** The replay system the bot runs: simulated market, crossover, paper broker, risk limits. */
  static TradingSystem replaySystem(Options o, BotSettings settings, PaperBroker broker) {
    Instrument inst = instrument(o);
    Instant start = Instant.parse("2024-01-02T14:30:00Z");
    SimulatedMarket market = SimulatedMarket.builder().instrument(inst, 100.0).seed(o.seed).maxSizeLots(500)
        .step(Duration.ofMillis(100)).start(start).limit(o.events).build();
    MovingAverageCrossover strategy = new MovingAverageCrossover(inst.id(), o.fast, o.slow, o.quantity, true);
    TradingSystem.Builder b = TradingSystem.builder().replay().clock(new SimulatedClock(start)).instrument(inst)
        .feed(market).broker(broker).strategy(strategy).recordMarketData(false).killSwitchFile(null)
        .riskLimits(settings.limits()).tradingDay(settings.tradingDayZone(), settings.tradingDayRoll());
    if (o.db != null) {
      // a replay outruns any disk: let the store slow it down rather than drop anything
      b.store(SqliteStore.builder().path(o.db).backpressure(true).build());
    }
    return b.build();
  }

  /** Replay: as fast as possible, then a summary. */
  static int runReplay(Options o, BotSettings settings, PrintStream out) {
    Instrument inst = instrument(o);
    TradingSystem system = replaySystem(o, settings, PaperBroker.create());
    String strategyName = "ma-crossover";
    out.printf(Locale.ROOT, "replaying %,d quotes of %s (seed %d) through %s%n", o.events, inst.id(), o.seed,
        strategyName);
    RunSummary s = system.run();
    out.println("--- replay summary ---");
    out.printf(Locale.ROOT, "trades (fills)      %,d%n", s.fills());
    out.printf(Locale.ROOT, "orders              %,d submitted, %,d denied, %,d rejected%n", s.ordersSubmitted(),
        s.ordersDenied(), s.ordersRejected());
    out.printf(Locale.ROOT, "P&L                 %,.2f (realized %,.2f, commissions %,.2f)%n", s.totalPnl(),
        s.realizedPnl(), s.commissions());
    out.printf(Locale.ROOT, "max drawdown        %,.2f%n", s.maxDrawdown());
    SystemStatus st = system.status();
    out.printf(Locale.ROOT, "trading state       %s%s%n", st.tradingState(),
        st.tradingStateReason().isEmpty() ? "" : " (" + st.tradingStateReason() + ")");
    out.printf(Locale.ROOT, "final equity        %,.2f%n", s.finalEquity());
    out.printf(Locale.ROOT, "simulated time      %s .. %s%n", s.firstEvent(), s.lastEvent());
    out.printf(Locale.ROOT, "events/second       %,.0f (%,d events in %.3f s)%n", s.eventsPerSecond(),
        s.marketEvents(), s.wallTime().toNanos() / 1e9);
    return 0;
  }

  /**
   * Health monitor defaults plus the heartbeat file {@code heartbeat} beside the database (so
   * {@code data/heartbeat} by default), which the {@link Watchdog} reads.
   */
  static HealthMonitorConfig monitoring(Path db) {
    return monitoring(db, null);
  }

  /** As {@link #monitoring(Path)}, with the broker's daily maintenance window (null: none). */
  static HealthMonitorConfig monitoring(Path db, MaintenanceWindow brokerMaintenance) {
    Path dir = db.toAbsolutePath().getParent();
    return HealthMonitorConfig.builder().heartbeatFile(dir == null ? Path.of("heartbeat") : dir.resolve("heartbeat"))
        .brokerMaintenance(brokerMaintenance).build();
  }

  /** Live: real-time pace, status every few seconds, Ctrl+C or STOP to end. */
  static int runLive(Options o, BotSettings settings, PrintStream out) {
    Map<String, String> env = IbWiring.environment();
    if (IbWiring.selected(env)) {
      return IbWiring.runLive(o, out, env, settings); // BROKER=ib: the same strategy on IB
    }
    Instrument inst = instrument(o);
    SimulatedMarket market = SimulatedMarket.builder().instrument(inst, 100.0).seed(o.seed).maxSizeLots(500)
        .step(Duration.ofMillis(100)).speed(o.speed).clock(SystemClock.instance()).build();
    MovingAverageCrossover strategy = new MovingAverageCrossover(inst.id(), o.fast, o.slow, o.quantity, true);
    SqliteStore store = SqliteStore.builder().path(o.db != null ? o.db : Path.of("data", "algotrade.db")).build();
    TradingSystem.Builder builder = TradingSystem.builder().instrument(inst).feed(market).broker(PaperBroker.create())
        .strategy(strategy).store(store).riskLimits(settings.limits()).killSwitchFile(settings.killSwitchFile())
        .flattenOnKillSwitch(settings.flattenOnKillSwitch())
        .tradingDay(settings.tradingDayZone(), settings.tradingDayRoll()).healthMonitor(monitoring(store.path()))
        .reconciliation(Settings.of(env));
    AlertChannels.fromEnv(env).forEach(builder::alerter);
    TradingSystem system = builder.build();
    Signals.stopOnCtrlC(system);
    system.start();
    out.printf(Locale.ROOT, "trading %s on a simulated market with the paper broker, recording to %s;"
        + " Ctrl+C or 'touch %s' to stop%n", inst.id(), store.path(), settings.killSwitchFile());
    out.printf(Locale.ROOT, "risk: %s%n", describe(settings.limits()));
    long started = SystemClock.instance().nanoTime();
    while (!system.awaitTermination(o.statusEvery)) {
      out.println(system.status().format());
      if (o.duration != null && SystemClock.instance().nanoTime() - started >= o.duration.toNanos()) {
        system.stop("--duration " + o.duration + " elapsed");
      }
    }
    out.println(system.status().format());
    RunSummary s = system.summary();
    out.printf(Locale.ROOT, "stopped: fills=%d P&L=%.2f maxDrawdown=%.2f%n", s.fills(), s.totalPnl(), s.maxDrawdown());
    return 0;
  }

  static String describe(RiskLimits l) {
    return String.format(Locale.ROOT, "maxPosition=%.0f maxLeverage=%.2f dailyLoss=%.0f drawdownAlert=%.0f drawdownHalt=%.0f"
        + " maxOrderQty=%.0f maxOrderNotional=%.0f collar=%.1f%% orders/s=%d orders/min=%d maxRejects=%d",
        l.maxPositionValue().defaultValue(), l.maxLeverage(), l.dailyLossLimit(), l.drawdownAlert(), l.drawdownHalt(),
        l.maxOrderQuantity().defaultValue(), l.maxOrderNotional().defaultValue(), l.priceCollarPercent().defaultValue(),
        l.maxOrdersPerSecond(), l.maxOrdersPerMinute(), l.maxConsecutiveRejects());
  }

  /** Command-line options. */
  static final class Options {
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: ExampleBot [--replay [--events N]] [--duration 60s|5m|1h] [--speed X] [--seed N]",
        "                  [--symbol AAPL] [--quantity N] [--fast N] [--slow N] [--status-every 5s]",
        "                  [--db data/algotrade.db]   (live: always recorded there, with BROKER=ib in"
        + " data/algotrade-ib-<account>.db; replay: only with --db)");
    boolean replay;
    boolean help;
    long events = 1_000_000;
    Duration duration;
    double speed = 1.0;
    long seed = 42;
    String symbol = "AAPL";
    double quantity = 100;
    int fast = 20;
    int slow = 50;
    Duration statusEvery = Duration.ofSeconds(5);
    Path db;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--replay":
            o.replay = true;
            break;
          case "--help":
          case "-h":
            o.help = true;
            break;
          case "--events":
            o.events = positiveLong(a, value(args, ++i, a));
            break;
          case "--duration":
            o.duration = duration(a, value(args, ++i, a));
            break;
          case "--speed":
            o.speed = positiveDouble(a, value(args, ++i, a));
            break;
          case "--seed":
            o.seed = parseLong(a, value(args, ++i, a));
            break;
          case "--symbol":
            o.symbol = value(args, ++i, a);
            break;
          case "--quantity":
            o.quantity = positiveDouble(a, value(args, ++i, a));
            break;
          case "--fast":
            o.fast = (int) positiveLong(a, value(args, ++i, a));
            break;
          case "--slow":
            o.slow = (int) positiveLong(a, value(args, ++i, a));
            break;
          case "--db":
            o.db = Path.of(value(args, ++i, a));
            break;
          case "--status-every":
            o.statusEvery = duration(a, value(args, ++i, a));
            break;
          default:
            throw new IllegalArgumentException("unknown option '" + a + "'");
        }
      }
      if (o.fast >= o.slow) {
        throw new IllegalArgumentException("--fast must be below --slow, was fast=" + o.fast + " slow=" + o.slow);
      }
      return o;
    }

    private static String value(String[] args, int i, String opt) {
      if (i >= args.length) {
        throw new IllegalArgumentException(opt + " needs a value");
      }
      return args[i];
    }

    private static long parseLong(String opt, String v) {
      try {
        return Long.parseLong(v.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(opt + " must be a whole number, was '" + v + "'");
      }
    }

    private static long positiveLong(String opt, String v) {
      long n = parseLong(opt, v);
      if (n <= 0) {
        throw new IllegalArgumentException(opt + " must be > 0, was " + n);
      }
      return n;
    }

    private static double positiveDouble(String opt, String v) {
      double d;
      try {
        d = Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(opt + " must be a number, was '" + v + "'");
      }
      if (!(d > 0) || Double.isInfinite(d)) {
        throw new IllegalArgumentException(opt + " must be finite and > 0, was " + v);
      }
      return d;
    }

    static Duration duration(String opt, String v) {
      String s = v.trim().toLowerCase(Locale.ROOT);
      try {
        Duration d;
        if (s.endsWith("ms")) {
          d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        } else if (s.endsWith("s")) {
          d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
        } else if (s.endsWith("m")) {
          d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
        } else if (s.endsWith("h")) {
          d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
        } else {
          d = Duration.ofSeconds(Long.parseLong(s));
        }
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException(opt + " must be > 0, was '" + v + "'");
        }
        return d;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(opt + " must look like 90s, 5m or 1h, was '" + v + "'");
      }
    }
  }
}
