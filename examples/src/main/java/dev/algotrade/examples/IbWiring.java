package dev.algotrade.examples;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.core.RunSummary;
import dev.algotrade.core.TradingSystem;
import dev.algotrade.core.config.DotEnv;
import dev.algotrade.core.config.Settings;
import dev.algotrade.core.monitor.MaintenanceWindow;
import dev.algotrade.core.time.SystemClock;
import dev.algotrade.ib.IbBroker;
import dev.algotrade.ib.IbClient;
import dev.algotrade.ib.IbConfig;
import dev.algotrade.ib.IbFeed;
import dev.algotrade.ib.RestartWindow;
import dev.algotrade.sqlite.SqliteStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The example bot on Interactive Brokers ({@code BROKER=ib}): one {@link IbClient} shared by an
 * {@link IbFeed} (quotes) and an {@link IbBroker} (orders), configured by
 * {@link IbConfig#fromEnv} from the environment ({@code IB_HOST}, {@code IB_PORT} default 7497,
 * {@code IB_CLIENT_ID}, ...) and a {@code .env} file in the working directory if there is one
 * (the real environment wins). It trades the same {@link MovingAverageCrossover} as the
 * simulated run. Paper only: the live ports and live accounts stay refused (see
 * docs/ib-setup.md).
 *
 * <p>Not thread-safe: built and run on the main thread; the system it builds is thread-safe.
 */
final class IbWiring implements AutoCloseable {

  private final IbClient client;
  private final TradingSystem system;
  private final Instrument instrument;

  private IbWiring(IbClient client, TradingSystem system, Instrument instrument) {
    this.client = client;
    this.system = system;
    this.instrument = instrument;
  }

  /** Whether the environment asks for IB ({@code BROKER=ib}, any case). */
  static boolean selected(Map<String, String> env) {
    String b = env.get("BROKER");
    return b != null && b.trim().equalsIgnoreCase("ib");
  }

  /**
   * Connects to TWS / IB Gateway (waiting up to the configured connect timeout) and builds the
   * live system: IB feed and broker on one connection, the crossover from {@code o}.
   *
   * @throws ConfigurationException for a bad {@code IB_*} value or a refused live port
   * @throws IllegalStateException if the connection cannot be made; the message says why
   */
  static IbWiring connect(ExampleBot.Options o, Map<String, String> env) {
    return connect(o, env, null);
  }

  /** {@code IB_DAILY_RESTART} as the health monitor's broker maintenance window (null when unset). */
  static MaintenanceWindow maintenanceWindow(IbConfig config) {
    RestartWindow w = config.dailyRestart();
    return w.isNone() ? null : MaintenanceWindow.daily(w.start(), w.length(), w.zone());
  }

  /** As {@link #connect(ExampleBot.Options, Map)}, with the bot's risk and safety settings (null: none). */
  static IbWiring connect(ExampleBot.Options o, Map<String, String> env, ExampleBot.BotSettings settings) {
    IbConfig config = IbConfig.fromEnv(env);
    IbClient client = IbClient.create(config, SystemClock.instance());
    try {
      client.start().get(config.connectTimeout().plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      client.close();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      client.close();
      throw new IllegalStateException("IB did not send nextValidId and managedAccounts within "
          + config.connectTimeout().toSeconds() + " s (host=" + config.host() + " port=" + config.port() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
      throw new IllegalStateException("interrupted while connecting to IB", e);
    }
    Instrument inst = ExampleBot.instrument(o);
    IbFeed feed = IbFeed.on(client);
    IbBroker broker = IbBroker.on(client).register(inst);
    MovingAverageCrossover strategy = new MovingAverageCrossover(inst.id(), o.fast, o.slow, o.quantity, true);
    // one database per IB account by default: a restart recovers positions from the database, and
    // state written for the paper broker or another account must never be applied to this one
    SqliteStore store = SqliteStore.builder().path(o.db != null ? o.db : defaultDatabase(client.account())).build();
    TradingSystem.Builder b = TradingSystem.builder().instrument(inst).feed(feed).broker(broker).strategy(strategy)
        .store(store).allowLiveTrading(config.liveAllowed()).environment(env)
        .healthMonitor(ExampleBot.monitoring(store.path(), maintenanceWindow(config))).reconciliation(Settings.of(env));
    AlertChannels.fromEnv(env).forEach(b::alerter);
    if (settings != null) {
      b.riskLimits(settings.limits()).killSwitchFile(settings.killSwitchFile())
          .flattenOnKillSwitch(settings.flattenOnKillSwitch())
          .tradingDay(settings.tradingDayZone(), settings.tradingDayRoll());
    }
    return new IbWiring(client, b.build(), inst);
  }

  TradingSystem system() {
    return system;
  }

  IbClient client() {
    return client;
  }

  /** Stops the system (cancelling working orders) and then closes the shared connection. */
  @Override
  public void close() {
    system.close();
    client.close();
  }

  /** Live on IB: status every few seconds; Ctrl+C, a STOP file or --duration ends it. */
  static int runLive(ExampleBot.Options o, PrintStream out, Map<String, String> env) {
    return runLive(o, out, env, null);
  }

  /** As {@link #runLive(ExampleBot.Options, PrintStream, Map)}, with the bot's risk and safety settings. */
  static int runLive(ExampleBot.Options o, PrintStream out, Map<String, String> env, ExampleBot.BotSettings settings) {
    IbWiring ib;
    try {
      ib = connect(o, env, settings);
    } catch (ConfigurationException e) {
      out.println("error: " + e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      out.println("error: cannot trade on IB: " + e.getMessage());
      out.println("see docs/ib-setup.md, section 4 (troubleshooting)");
      return 1;
    }
    try (ib) {
      TradingSystem system = ib.system;
      Signals.stopOnCtrlC(system);
      system.start();
      IbConfig c = ib.client.config();
      out.printf(Locale.ROOT, "trading %s on IB %s:%d (client id %d, account %s, %s); Ctrl+C or 'touch STOP' to stop%n",
          ib.instrument.id(), c.host(), c.port(), c.clientId(), ib.client.account(), ib.client.accountMode());
      long started = SystemClock.instance().nanoTime();
      while (!system.awaitTermination(o.statusEvery)) {
        out.println(system.status().format());
        if (o.duration != null && SystemClock.instance().nanoTime() - started >= o.duration.toNanos()) {
          system.stop("--duration " + o.duration + " elapsed");
        }
      }
      out.println(system.status().format());
      RunSummary s = system.summary();
      out.printf(Locale.ROOT, "stopped: fills=%d P&L=%.2f maxDrawdown=%.2f%n", s.fills(), s.totalPnl(),
          s.maxDrawdown());
    }
    return 0;
  }

  /** The process environment over the {@code .env} file in the working directory (if any). */
  static Map<String, String> environment() {
    return environment(Path.of(".env"), System.getenv());
  }

  /**
   * {@code processEnv} laid over the {@code KEY=VALUE} lines of {@code dotEnv} (a missing file
   * counts as empty), parsed by core's {@link DotEnv} like every other setting.
   *
   * @throws ConfigurationException naming the file and line of a line that is not KEY=VALUE
   */
  static Map<String, String> environment(Path dotEnv, Map<String, String> processEnv) {
    return Settings.load(dotEnv, processEnv).asMap();
  }

  /** {@code data/algotrade-ib-<account>.db}: the IB bot's default audit file, one per account. */
  static Path defaultDatabase(String account) {
    String safe = account.replaceAll("[^A-Za-z0-9]", "_");
    return Path.of("data", "algotrade-ib-" + (safe.isEmpty() ? "unknown" : safe) + ".db");
  }

}
