package dev.algotrade.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.testkit.RecordingAlerter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogTest {

  private static final Instant T = Instant.parse("2024-01-02T15:00:00Z");

  @TempDir
  Path dir;

  private final RecordingAlerter channel = new RecordingAlerter("phone");
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private Path heartbeat(String state) throws Exception {
    Path f = dir.resolve("heartbeat");
    Files.writeString(f, "pid=4242 time=" + T + " state=" + state + " equity=1000000.00\n");
    return f;
  }

  private int run(Instant now, String... args) {
    return Watchdog.run(args, Map.of(), out, new SimulatedClock(now), List.of(channel));
  }

  @Test
  void freshHeartbeatExitsZeroWithoutAlert() throws Exception {
    Path f = heartbeat("ACTIVE");
    assertThat(run(T.plusSeconds(59), "--heartbeat", f.toString(), "--max-age", "60s")).isEqualTo(0);
    assertThat(channel.alerts()).isEmpty();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("heartbeat fresh", "age=59s");
  }

  @Test
  void staleHeartbeatAlertsThroughTheChannelsAndExitsOne() throws Exception {
    Path f = heartbeat("ACTIVE");
    assertThat(run(T.plusSeconds(300), "--heartbeat", f.toString(), "--max-age", "1m")).isEqualTo(1);
    // the composite has been closed, so the delivery happened before run() returned
    assertThat(channel.alerts()).singleElement().satisfies(a -> {
      assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(a.title()).isEqualTo("Heartbeat stale");
      assertThat(a.text()).contains("age=300s", "maxAge=60s", "pid=4242");
    });
  }

  @Test
  void aStaleHeartbeatAlertsOnceThenRemindsAfterTheRepeatAndReportsTheRecovery() throws Exception {
    Path f = heartbeat("ACTIVE");
    String[] args = {"--heartbeat", f.toString(), "--max-age", "60s", "--repeat", "30m"};
    assertThat(run(T.plusSeconds(120), args)).isEqualTo(1);
    assertThat(run(T.plusSeconds(180), args)).isEqualTo(1); // cron, one minute later
    assertThat(run(T.plus(Duration.ofMinutes(31)), args)).isEqualTo(1);
    assertThat(channel.alerts()).hasSize(1);
    assertThat(run(T.plus(Duration.ofMinutes(33)), args)).isEqualTo(1); // 30 min after the first alert
    assertThat(channel.alerts()).extracting(Alert::title).containsExactly("Heartbeat stale", "Heartbeat stale");
    // the bot is back
    Files.writeString(f, "pid=5151 time=" + T.plus(Duration.ofMinutes(40)) + " state=ACTIVE equity=1.00\n");
    assertThat(run(T.plus(Duration.ofMinutes(40)).plusSeconds(5), args)).isEqualTo(0);
    assertThat(channel.alerts()).extracting(Alert::title).endsWith("Heartbeat back");
    assertThat(channel.alerts().get(2).severity()).isEqualTo(Severity.INFO);
    assertThat(dir.resolve("heartbeat.alerted")).doesNotExist();
    // and a new outage alerts at once
    assertThat(run(T.plus(Duration.ofMinutes(45)), args)).isEqualTo(1);
    assertThat(channel.alerts()).hasSize(4);
  }

  @Test
  void missingHeartbeatAlerts() {
    assertThat(run(T, "--heartbeat", dir.resolve("none").toString())).isEqualTo(1);
    assertThat(channel.alerts()).extracting(Alert::title).containsExactly("Heartbeat missing");
  }

  @Test
  void gracefullyStoppedBotDoesNotAlert() throws Exception {
    Path f = heartbeat("STOPPED");
    assertThat(run(T.plus(Duration.ofHours(5)), "--heartbeat", f.toString())).isEqualTo(0);
    assertThat(channel.alerts()).isEmpty();
  }

  @Test
  void misuseExitsTwo() {
    assertThat(run(T, "--max-age", "soon")).isEqualTo(2);
    assertThat(run(T, "--bogus")).isEqualTo(2);
    assertThat(run(T, "--heartbeat")).isEqualTo(2);
    assertThat(channel.alerts()).isEmpty();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("--max-age must be like 60s", "usage: Watchdog");
  }

  @Test
  void durationsParse() {
    assertThat(Watchdog.parseDuration("90", "--max-age")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Watchdog.parseDuration("5m", "--max-age")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Watchdog.parseDuration("PT2M", "--max-age")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> Watchdog.parseDuration("0s", "--repeat")).hasMessageContaining("--repeat must be > 0");
  }
}
