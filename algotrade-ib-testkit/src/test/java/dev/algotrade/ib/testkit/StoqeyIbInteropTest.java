package dev.algotrade.ib.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Opt-in ({@code -Pinterop}): an independent IB client, {@code @stoqey/ib} on Node, connects to
 * the gateway, resolves AAPL, streams quotes, places a market order, sees it filled, reads its
 * position and more (src/test/interop/stoqey-ib-check.js). The package is installed with npm
 * into target/interop on first use.
 */
@Tag("interop")
class StoqeyIbInteropTest {

  static final String PACKAGE = "@stoqey/ib@1.6.7";

  @ParameterizedTest(name = "server version {0}")
  @ValueSource(ints = {176, 177, 178})
  void stoqeyIbClientTradesAgainstTheGateway(int serverVersion) throws Exception {
    assumeTrue(run(List.of("node", "--version"), Path.of("."), 30).exitCode == 0,
        "node is not installed");
    Path dir = Path.of("target", "interop").toAbsolutePath();
    Files.createDirectories(dir);
    Path script = dir.resolve("stoqey-ib-check.js");
    Files.copy(Path.of("src", "test", "interop", "stoqey-ib-check.js"), script,
        StandardCopyOption.REPLACE_EXISTING);
    if (!Files.isDirectory(dir.resolve("node_modules/@stoqey/ib"))) {
      Files.writeString(dir.resolve("package.json"), "{\"private\":true}\n");
      Result install = run(List.of("npm", "install", "--no-audit", "--no-fund", PACKAGE), dir,
          300);
      assertThat(install.exitCode).as("npm install %s:%n%s", PACKAGE, install.output)
          .isZero();
    }

    try (SimulatedGateway gw = SimulatedGateway.builder()
        .instrument(new SimInstrument("AAPL", 265598, 0.01, "SMART", "NASDAQ", "USD",
            "APPLE INC", 190.0))
        .instrument("MSFT", 272093, 0.01, 420.0)
        .market(RandomWalkMarket.seeded(42))
        .quoteInterval(Duration.ofMillis(20))
        .serverVersion(serverVersion)
        .build()
        .start()) {
      Result r = run(List.of("node", script.toString(), Integer.toString(gw.port())), dir, 60);
      System.out.println(r.output);
      assertThat(r.exitCode).as("stoqey-ib-check output:%n%s", r.output).isZero();
      assertThat(r.output).contains("ALL OK", "serverVersion=" + serverVersion);

      assertThat(gw.positions()).anySatisfy(p -> {
        assertThat(p.symbol()).isEqualTo("AAPL");
        assertThat(p.quantity()).isEqualTo(10);
      });
      assertThat(gw.fills()).anySatisfy(f -> assertThat(f.orderRef()).isEqualTo("interop-1"));
      assertThat(gw.orders()).anySatisfy(o -> {
        assertThat(o.orderRef()).isEqualTo("interop-2");
        assertThat(o.status()).isEqualTo("Cancelled");
      });
    }
  }

  record Result(int exitCode, String output) {}

  static Result run(List<String> command, Path dir, int timeoutSeconds)
      throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(-1, e.toString());
    }
    byte[][] out = new byte[1][];
    Thread drain = new Thread(() -> {
      try {
        out[0] = p.getInputStream().readAllBytes();
      } catch (IOException e) {
        out[0] = e.toString().getBytes(StandardCharsets.UTF_8);
      }
    });
    drain.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    drain.join(5000);
    String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
    return new Result(p.isAlive() ? -1 : p.exitValue(), text);
  }
}
