package dev.algotrade.examples;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Alerter;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.alert.CompositeAlerter;
import dev.algotrade.core.monitor.HeartbeatCheck;
import dev.algotrade.core.time.SystemClock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The external watchdog: run it from cron or a systemd timer while the bot should be running.
 * It reads the bot's heartbeat file and, when the last heartbeat is older than {@code --max-age}
 * (or the file is missing), sends a CRITICAL alert through the channels configured in the
 * environment / {@code .env} (Twilio if {@code TWILIO_*} is set; the log always).
 *
 * <pre>
 * java -cp examples.jar dev.algotrade.examples.Watchdog --heartbeat data/heartbeat --max-age 60s
 * </pre>
 *
 * While the heartbeat stays stale, runs every minute alert once and then at most every
 * {@code --repeat} (default 30 min), remembering the last alert in a small state file; when the
 * heartbeat is fresh again an INFO "Heartbeat back" follows. Exit codes: 0 the heartbeat is
 * fresh (or the bot stopped gracefully), 1 stale or missing (alerted now or before), 2 wrong
 * usage.
 */
public final class Watchdog {

  static final int FRESH = 0;
  static final int ALERTED = 1;
  static final int USAGE = 2;

  private Watchdog() {}

  public static void main(String[] args) {
    System.exit(run(args, IbWiring.environment(), System.out, SystemClock.instance(), null));
  }

  /**
   * One check. {@code channels}: the alert channels to use, or null to build them from
   * {@code env}.
   */
  static int run(String[] args, Map<String, String> env, PrintStream out, Clock clock, List<Alerter> channels) {
    Path file = Path.of("data", "heartbeat");
    Duration maxAge = Duration.ofSeconds(60);
    Duration repeat = Duration.ofMinutes(30);
    Path state = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--heartbeat":
            file = Path.of(value(args, ++i, "--heartbeat"));
            break;
          case "--max-age":
            maxAge = parseDuration(value(args, ++i, "--max-age"), "--max-age");
            break;
          case "--repeat":
            repeat = parseDuration(value(args, ++i, "--repeat"), "--repeat");
            break;
          case "--state":
            state = Path.of(value(args, ++i, "--state"));
            break;
          case "--help":
          case "-h":
            usage(out);
            return FRESH;
          default:
            throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
    } catch (IllegalArgumentException e) {
      out.println("watchdog: " + e.getMessage());
      usage(out);
      return USAGE;
    }
    if (state == null) {
      state = file.resolveSibling(file.getFileName() + ".alerted");
    }
    Instant now = clock.now();
    HeartbeatCheck.Result r = HeartbeatCheck.check(file, maxAge, now);
    String previous = readState(state);
    switch (r.status()) {
      case FRESH:
        out.printf(Locale.ROOT, "heartbeat fresh: age=%ds maxAge=%ds [%s]%n", r.age().getSeconds(), maxAge.getSeconds(),
            r.content());
        if (previous != null) {
          deleteState(state);
          send(new Alert(Severity.INFO, "Heartbeat back", "age=" + r.age().getSeconds() + "s [" + r.content()
              + "] after the alert [" + previous + "]", now, "heartbeat-back"), channels, env, clock);
        }
        return FRESH;
      case STOPPED:
        out.printf(Locale.ROOT, "bot stopped gracefully: age=%ds [%s]; no alert%n", r.age().getSeconds(), r.content());
        deleteState(state);
        return FRESH;
      default:
        Alert a = r.toAlert(now);
        String heartbeat = "heartbeat=" + (r.heartbeatTime() == null ? "none" : r.heartbeatTime().toString());
        Instant lastAlert = alertedAt(previous, heartbeat);
        if (lastAlert != null && Duration.between(lastAlert, now).compareTo(repeat) < 0) {
          out.println("still " + r.status() + ", already alerted at " + lastAlert + "; next reminder after "
              + lastAlert.plus(repeat) + ": " + a.text());
          return ALERTED;
        }
        out.println("ALERT " + a.severity() + " " + a.title() + ": " + a.text());
        send(a, channels, env, clock);
        writeState(state, heartbeat + " alerted=" + now);
        return ALERTED;
    }
  }

  /** When the same heartbeat was alerted before, from the state line; null if never. */
  static Instant alertedAt(String stateLine, String heartbeat) {
    if (stateLine == null || !stateLine.startsWith(heartbeat + " ")) {
      return null;
    }
    int at = stateLine.indexOf("alerted=");
    try {
      return at < 0 ? null : Instant.parse(stateLine.substring(at + 8).trim());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String readState(Path state) {
    try {
      return Files.exists(state) ? Files.readString(state, StandardCharsets.UTF_8).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void writeState(Path state, String line) {
    try {
      Files.writeString(state, line + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("watchdog: cannot write " + state + ": " + e); // the next run alerts again
    }
  }

  private static void deleteState(Path state) {
    try {
      Files.deleteIfExists(state);
    } catch (IOException e) {
      System.err.println("watchdog: cannot delete " + state + ": " + e);
    }
  }

  private static void send(Alert a, List<Alerter> given, Map<String, String> env, Clock clock) {
    List<Alerter> channels = given != null ? given : AlertChannels.fromEnv(env);
    // the composite logs the alert, retries deliveries, and close() waits for them
    CompositeAlerter.Builder b = CompositeAlerter.builder().clock(clock).summaryInterval(Duration.ZERO)
        .closeTimeout(Duration.ofSeconds(60));
    for (Alerter c : channels) {
      b.channel(c, Severity.INFO);
    }
    try (CompositeAlerter alerts = b.build()) {
      alerts.send(a);
    }
  }

  /** {@code 60s}, {@code 5m}, {@code 1h}, a plain number of seconds, or ISO-8601 ({@code PT90S}). */
  static Duration parseDuration(String s, String name) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (v.startsWith("pt")) {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      } else if (v.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      } else if (v.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
      } else {
        d = Duration.ofSeconds(Long.parseLong(v));
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0, was '" + s + "'");
      }
      return d;
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be like 60s, 5m, 1h or PT90S, was '" + s + "'");
    }
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  private static void usage(PrintStream out) {
    out.println("usage: Watchdog [--heartbeat data/heartbeat] [--max-age 60s] [--repeat 30m] [--state FILE]");
    out.println("  --repeat: while the heartbeat stays stale, alert again at most this often (state in FILE,");
    out.println("            default: the heartbeat's path + .alerted)");
    out.println("  exit 0: heartbeat fresh (or the bot stopped gracefully); 1: stale or missing, alert sent; 2: usage");
  }
}
