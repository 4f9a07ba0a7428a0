package dev.algotrade.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.core.SystemStatus;
import dev.algotrade.core.TradingSystem;
import dev.algotrade.ib.testkit.SimPosition;
import dev.algotrade.ib.testkit.SimulatedGateway;
import dev.algotrade.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example bot's IB wiring: environment and .env, and real runs against the simulated gateway. */
class IbWiringTest {

  private SimulatedGateway gateway;

  @AfterEach
  void closeGateway() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private SimulatedGateway startGateway() {
    // the gateway's own random walk steps every 5 ms, so a fast crossover trades within moments
    gateway = SimulatedGateway.builder().port(0).instrument("AAPL", 265598, 0.01, 190.00).seed(11)
        .quoteInterval(Duration.ofMillis(5)).build().start();
    return gateway;
  }

  @org.junit.jupiter.api.io.TempDir
  static java.nio.file.Path tmp;
  private static int dbs;

  /** The given options, recording to a fresh database under the test's temporary directory. */
  private static ExampleBot.Options options(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--db";
    all[args.length + 1] = tmp.resolve("bot-" + (++dbs) + ".db").toString();
    return ExampleBot.Options.parse(all);
  }

  @Test
  void ibDailyRestartBecomesTheMonitorsBrokerMaintenanceWindow() {
    dev.algotrade.ib.IbConfig none = dev.algotrade.ib.IbConfig.fromEnv(Map.of());
    assertThat(IbWiring.maintenanceWindow(none)).isNull();
    dev.algotrade.ib.IbConfig set = dev.algotrade.ib.IbConfig.fromEnv(Map.of("IB_DAILY_RESTART", "23:45",
        "IB_DAILY_RESTART_ZONE", "Europe/Zurich"));
    dev.algotrade.core.monitor.MaintenanceWindow w = IbWiring.maintenanceWindow(set);
    assertThat(w.start()).isEqualTo(java.time.LocalTime.of(23, 45));
    assertThat(w.zone()).isEqualTo(java.time.ZoneId.of("Europe/Zurich"));
    assertThat(w.length()).isEqualTo(dev.algotrade.ib.IbConfig.DEFAULT_RESTART_LENGTH);
    assertThat(ExampleBot.monitoring(Path.of("data", "x.db"), w).brokerMaintenance()).isEqualTo(w);
  }

  @Test
  void theDefaultDatabaseIsOnePerIbAccountNeverThePaperBots() {
    assertThat(IbWiring.defaultDatabase("DU123456")).isEqualTo(Path.of("data", "algotrade-ib-DU123456.db"));
    assertThat(IbWiring.defaultDatabase("U1/../x")).isEqualTo(Path.of("data", "algotrade-ib-U1____x.db"));
    assertThat(IbWiring.defaultDatabase("")).isEqualTo(Path.of("data", "algotrade-ib-unknown.db"));
    assertThat(IbWiring.defaultDatabase("DU123456")).isNotEqualTo(Path.of("data", "algotrade.db"));
  }

  @Test
  void brokerIbSelectsIb() {
    assertThat(IbWiring.selected(Map.of("BROKER", "ib"))).isTrue();
    assertThat(IbWiring.selected(Map.of("BROKER", " IB "))).isTrue();
    assertThat(IbWiring.selected(Map.of("BROKER", "paper"))).isFalse();
    assertThat(IbWiring.selected(Map.of())).isFalse();
  }

  @Test
  void dotEnvIsReadUnderTheProcessEnvironment(@TempDir Path dir) throws IOException {
    Path env = dir.resolve(".env");
    Files.writeString(env, String.join("\n",
        "# IB paper gateway",
        "",
        "BROKER=ib",
        "export IB_PORT=4002",
        "IB_HOST=\"127.0.0.1\"",
        "IB_ACCOUNT='DU123456'",
        "IB_CLIENT_ID=3 # trailing comment",
        "EMPTY="));
    Map<String, String> merged = IbWiring.environment(env, Map.of("IB_CLIENT_ID", "9"));
    assertThat(merged).containsEntry("BROKER", "ib").containsEntry("IB_PORT", "4002")
        .containsEntry("IB_HOST", "127.0.0.1").containsEntry("IB_ACCOUNT", "DU123456")
        .containsEntry("IB_CLIENT_ID", "9").containsEntry("EMPTY", "");
    assertThat(IbWiring.environment(dir.resolve("missing.env"), Map.of("A", "1"))).containsExactly(Map.entry("A", "1"));
  }

  @Test
  void aDotEnvLineThatIsNotKeyValueIsNamed(@TempDir Path dir) throws IOException {
    Path env = dir.resolve(".env");
    Files.writeString(env, "BROKER=ib\nIB_PORT 4002\n");
    assertThatThrownBy(() -> IbWiring.environment(env, Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("line 2").hasMessageContaining("IB_PORT 4002");
  }

  @Test
  void theCrossoverTradesTheSimulatedGatewayAndTheBooksAgree() {
    startGateway();
    Map<String, String> env = Map.of("BROKER", "ib", "IB_PORT", Integer.toString(gateway.port()),
        "IB_CLIENT_ID", "9");
    try (IbWiring ib = IbWiring.connect(options("--fast", "2", "--slow", "5", "--quantity", "10"), env)) {
      TradingSystem system = ib.system();
      system.start();
      Await.until("three fills through IB", Duration.ofSeconds(20), () -> system.status().fills() >= 3);
      system.stop("test done");
      assertThat(system.awaitTermination(Duration.ofSeconds(20))).isTrue();
      SystemStatus s = system.status();
      assertThat(s.openOrders()).isEmpty();
      assertThat(s.fills()).isEqualTo(gateway.fills().size());
      double engine = s.positions().stream().mapToDouble(Position::quantity).sum();
      double atGateway = gateway.positions().stream().mapToDouble(SimPosition::quantity).sum();
      assertThat(engine).isEqualTo(atGateway);
    }
    // the gateway notices the close on its own thread: wait for it (a client that reconnected
    // after close() would keep the id and fail this)
    Await.until("the gateway sees the connection closed", Duration.ofSeconds(10),
        () -> gateway.connectedClientIds().isEmpty());
  }

  @Test
  void runLivePrintsStatusAndTheFillsTheGatewayBooked() {
    startGateway();
    Map<String, String> env = Map.of("BROKER", "ib", "IB_PORT", Integer.toString(gateway.port()),
        "IB_CLIENT_ID", "4");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = IbWiring.runLive(options("--duration", "2s", "--status-every", "1s", "--fast", "2", "--slow", "5"),
        new PrintStream(bytes, true, StandardCharsets.UTF_8), env);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isZero();
    assertThat(out).contains("trading AAPL on IB 127.0.0.1:" + gateway.port() + " (client id 4, account DU123456, PAPER)");
    Matcher m = Pattern.compile("stopped: fills=(\\d+) ").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    assertThat(Integer.parseInt(m.group(1))).isEqualTo(gateway.fills().size());
  }

  @Test
  void noGatewayListeningEndsWithTheReasonAndCode1() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = IbWiring.runLive(options("--duration", "2s"), new PrintStream(bytes, true, StandardCharsets.UTF_8),
        Map.of("BROKER", "ib", "IB_PORT", Integer.toString(port), "IB_CONNECT_TIMEOUT_SECONDS", "2"));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isEqualTo(1);
    assertThat(out).contains("Connection refused to IB host=127.0.0.1 port=" + port).contains("docs/ib-setup.md");
  }

  @Test
  void aLivePortIsRefusedWithCode2() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = IbWiring.runLive(options("--duration", "2s"), new PrintStream(bytes, true, StandardCharsets.UTF_8),
        Map.of("BROKER", "ib", "IB_PORT", "4001"));
    assertThat(code).isEqualTo(2);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("4001").contains("ALGOTRADE_LIVE=yes");
  }
}
