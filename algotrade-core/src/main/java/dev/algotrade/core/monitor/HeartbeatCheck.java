package dev.algotrade.core.monitor;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The watchdog's decision: is the heartbeat file younger than {@code maxAge} at {@code now}?
 * The time is read from the file's {@code time=} field; if that cannot be read, from the file's
 * modification time. Stateless and thread-safe.
 */
public final class HeartbeatCheck {

  /** What the watchdog found. */
  public enum Status {
    FRESH,
    /** The last heartbeat says the system stopped gracefully ({@code state=STOPPED}). */
    STOPPED,
    STALE,
    MISSING
  }

  /**
   * @param status fresh, stale or missing
   * @param file the file looked at
   * @param heartbeatTime the last heartbeat's time, or null if missing
   * @param age how old it is at the time of the check, or null if missing
   * @param maxAge the limit
   * @param content the file's line (trimmed), or empty
   */
  public record Result(Status status, Path file, Instant heartbeatTime, Duration age, Duration maxAge, String content) {

    public boolean isFresh() {
      return status == Status.FRESH;
    }

    /** The alert to send for a stale or missing heartbeat. */
    public Alert toAlert(Instant now) {
      if (status == Status.MISSING) {
        return new Alert(Severity.CRITICAL, "Heartbeat missing", "file=" + file.toAbsolutePath()
            + " does not exist: the trading process is not running (or never started)", now, "heartbeat-missing");
      }
      return new Alert(Severity.CRITICAL, "Heartbeat stale", "age=" + age.getSeconds() + "s maxAge="
          + maxAge.getSeconds() + "s last=[" + content + "] file=" + file.toAbsolutePath()
          + ": the trading process crashed, hung or its machine stopped", now, "heartbeat-stale");
    }
  }

  private HeartbeatCheck() {}

  /** Checks {@code file} at {@code now}. */
  public static Result check(Path file, Duration maxAge, Instant now) {
    if (file == null || maxAge == null || now == null || maxAge.isNegative()) {
      throw new IllegalArgumentException("HeartbeatCheck: file, maxAge (>= 0) and now are required, were " + file
          + ", " + maxAge + ", " + now);
    }
    String content;
    Instant time;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8).trim();
      time = parseTime(content);
      if (time == null) {
        time = Files.getLastModifiedTime(file).toInstant();
      }
    } catch (NoSuchFileException e) {
      return new Result(Status.MISSING, file, null, null, maxAge, "");
    } catch (IOException e) {
      return new Result(Status.MISSING, file, null, null, maxAge, "unreadable: " + e);
    }
    Duration age = Duration.between(time, now);
    Status s = age.compareTo(maxAge) <= 0 ? Status.FRESH
        : content.contains("state=" + Heartbeat.STOPPED) ? Status.STOPPED : Status.STALE;
    return new Result(s, file, time, age, maxAge, content);
  }

  /** The {@code time=} field of a heartbeat line, or null. */
  static Instant parseTime(String line) {
    for (String part : line.split("\\s+")) {
      if (part.startsWith("time=")) {
        try {
          return Instant.parse(part.substring(5));
        } catch (DateTimeParseException e) {
          return null;
        }
      }
    }
    return null;
  }
}
