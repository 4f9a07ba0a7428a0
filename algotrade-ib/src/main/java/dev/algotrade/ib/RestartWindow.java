package dev.algotrade.ib;

import dev.algotrade.api.ConfigurationException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * When TWS / IB Gateway restarts itself every day (its "Lock and Exit" auto-restart time). A
 * connection lost inside the window, and the refused attempts while it lasts, are logged as
 * expected (INFO) instead of as a problem (WARN/ERROR); the reconnect itself works the same
 * either way. {@link #none()} (length zero, the default) means no window is configured.
 *
 * <p>Immutable and thread-safe.
 *
 * @param start local time the restart begins, in {@code zone}
 * @param length how long the window lasts (zero = none; at most 12 hours)
 * @param zone the time zone of {@code start} (the TWS machine's zone)
 */
public record RestartWindow(LocalTime start, Duration length, ZoneId zone) {

  private static final long DAY_SECONDS = 86_400;

  public RestartWindow {
    if (start == null) {
      throw new ConfigurationException("RestartWindow.start must not be null");
    }
    if (zone == null) {
      throw new ConfigurationException("RestartWindow.zone must not be null");
    }
    if (length == null || length.isNegative() || length.compareTo(Duration.ofHours(12)) > 0) {
      throw new ConfigurationException("RestartWindow.length must be in 0..12 hours, was " + length);
    }
  }

  /** No configured restart window. */
  public static RestartWindow none() {
    return new RestartWindow(LocalTime.MIDNIGHT, Duration.ZERO, ZoneId.of("UTC"));
  }

  /** A window of {@code length} starting daily at {@code start} in {@code zone}. */
  public static RestartWindow daily(LocalTime start, Duration length, ZoneId zone) {
    return new RestartWindow(start, length, zone);
  }

  public boolean isNone() {
    return length.isZero();
  }

  /** Whether {@code time} falls in [start, start + length) of some day (the window may cross midnight). */
  public boolean contains(Instant time) {
    if (isNone()) {
      return false;
    }
    long local = time.atZone(zone).toLocalTime().toSecondOfDay();
    long since = Math.floorMod(local - start.toSecondOfDay(), DAY_SECONDS);
    return since < length.toSeconds();
  }

  @Override
  public String toString() {
    return isNone() ? "none" : "daily " + start + " for " + length + " " + zone;
  }
}
