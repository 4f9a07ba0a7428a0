package dev.algotrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example bot as a real process: SIGTERM and the kill-switch file both end it cleanly with
 * exit code 0 and every fill in the database; a start with the kill-switch file present refuses.
 */
@DisabledOnOs(OS.WINDOWS) // Process.destroy() is SIGTERM on Unix only
class ExampleBotProcessTest {

  /** A running bot and its output lines (stdout and stderr merged). */
  static final class Bot {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();

    Bot(Path dir, String... extra) throws IOException {
      List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), ExampleBot.class.getName(), "--speed", "20", "--fast", "5",
          "--slow", "10", "--status-every", "1s", "--db", dir.resolve("bot.db").toString()));
      cmd.addAll(List.of(extra));
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().put("ALGOTRADE_LOG_DIR", dir.resolve("logs").toString());
      pb.environment().remove("ALGOTRADE_LIVE");
      // at 20x speed the crossover trades far more often than a person would allow it to
      pb.environment().put("MAX_ORDERS_PER_SECOND", "1000");
      pb.environment().put("MAX_ORDERS_PER_MINUTE", "60000");
      process = pb.start();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("reader failed: " + e);
        }
      }, "bot-output");
      reader.setDaemon(true);
      reader.start();
    }

    void awaitLine(Predicate<String> p, String what) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (lines.stream().noneMatch(p)) {
        if (System.nanoTime() > deadline || !process.isAlive() && lines.stream().noneMatch(p)) {
          throw new AssertionError("no line " + what + " in: " + lines);
        }
        Thread.sleep(20);
      }
    }

    int awaitExit() throws InterruptedException {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited in time; output: %s", lines).isTrue();
      return process.exitValue();
    }

    long stoppedFills() throws InterruptedException {
      awaitLine(l -> l.startsWith("stopped: fills="), "stopped: fills=");
      Matcher m = Pattern.compile("stopped: fills=(\\d+)").matcher(
          lines.stream().filter(l -> l.startsWith("stopped: fills=")).findFirst().orElseThrow());
      assertThat(m.find()).isTrue();
      return Long.parseLong(m.group(1));
    }
  }

  static long dbFills(Path dir) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bot.db"));
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM fills")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void sigtermStopsGracefullyWithExitCodeZeroAndNothingLost(@TempDir Path dir) throws Exception {
    Bot bot = new Bot(dir);
    bot.awaitLine(l -> l.matches(".*state=ACTIVE.* fills=[1-9].*"), "with a fill");
    // SIGTERM, as kill(1) sends it (Process.destroy() would also close our end of its output)
    assertThat(bot.process.toHandle().destroy()).isTrue();
    assertThat(bot.awaitExit()).as("exit code; output: %s", bot.lines).isZero();
    long fills = bot.stoppedFills();
    assertThat(fills).isPositive();
    assertThat(dbFills(dir)).isEqualTo(fills);
  }

  @Test
  void theKillSwitchFileStopsItCleanlyAndARestartWithTheFilePresentRefuses(@TempDir Path dir) throws Exception {
    Bot bot = new Bot(dir);
    bot.awaitLine(l -> l.matches(".*state=ACTIVE.* fills=[1-9].*"), "with a fill");
    Files.createFile(dir.resolve("STOP"));
    assertThat(bot.awaitExit()).as("exit code; output: %s", bot.lines).isZero();
    assertThat(bot.lines).anySatisfy(l -> assertThat(l).contains("state=HALTED").contains("KILL_SWITCH"));
    assertThat(dbFills(dir)).isEqualTo(bot.stoppedFills());

    Bot again = new Bot(dir);
    assertThat(again.awaitExit()).isEqualTo(3);
    assertThat(again.lines).anySatisfy(l -> assertThat(l).contains("refusing to start").contains("is present: refusing to trade"));
  }
}
