package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shutdown hook in a real JVM: System.exit while trading alerts, a graceful stop does not. */
class AbnormalExitChildJvmTest {

  @TempDir
  Path dir;

  private int runChild(String mode, Path alerts) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        ExitChild.class.getName(), alerts.toString(), mode))
        .redirectErrorStream(true).redirectOutput(dir.resolve(mode + ".log").toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not exit; log: " + Files.readString(dir.resolve(mode + ".log")));
    }
    return p.exitValue();
  }

  @Test
  void systemExitWhileTradingAlertsThroughTheChannels() throws Exception {
    Path alerts = dir.resolve("exit-alerts.txt");
    assertThat(runChild("exit", alerts)).isEqualTo(3);
    assertThat(alerts).exists();
    assertThat(Files.readString(alerts)).contains("CRITICAL Process exiting while trading");
  }

  @Test
  void gracefulStopThenExitDoesNotAlert() throws Exception {
    Path alerts = dir.resolve("graceful-alerts.txt");
    assertThat(runChild("graceful", alerts)).isEqualTo(0);
    String text = Files.exists(alerts) ? Files.readString(alerts) : "";
    assertThat(text).doesNotContain("Process exiting");
  }
}
