package dev.algotrade.core.monitor;

import dev.algotrade.api.ConfigurationException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * A daily window in which the broker is expected to be away: IB's TWS / Gateway auto-restart
 * (the <i>Lock and Exit</i> time) or a broker's nightly maintenance. A broker outage that starts
 * inside it is only alerted once it outlasts the window by the usual threshold. The window may
 * cross midnight. Immutable, thread-safe.
 *
 * @param start local start time in {@code zone}
 * @param length how long it lasts, more than 0 and at most 12 hours
 * @param zone the zone of {@code start}
 */
public record MaintenanceWindow(LocalTime start, Duration length, ZoneId zone) {

  private static final long DAY_SECONDS = 86_400;

  public MaintenanceWindow {
    if (start == null) {
      throw new ConfigurationException("MaintenanceWindow.start must not be null");
    }
    if (zone == null) {
      throw new ConfigurationException("MaintenanceWindow.zone must not be null");
    }
    if (length == null || length.isNegative() || length.isZero() || length.compareTo(Duration.ofHours(12)) > 0) {
      throw new ConfigurationException("MaintenanceWindow.length must be more than 0 and at most 12 hours, was "
          + length);
    }
  }

  /** A window of {@code length} starting daily at {@code start} in {@code zone}. */
  public static MaintenanceWindow daily(LocalTime start, Duration length, ZoneId zone) {
    return new MaintenanceWindow(start, length, zone);
  }

  /** Seconds since the window's start if {@code time} is inside it, else -1. */
  private long secondsInto(Instant time) {
    long local = time.atZone(zone).toLocalTime().toSecondOfDay();
    long since = Math.floorMod(local - start.toSecondOfDay(), DAY_SECONDS);
    return since < length.toSeconds() ? since : -1;
  }

  /** Whether {@code time} falls in [start, start + length) of some day. */
  public boolean contains(Instant time) {
    return secondsInto(time) >= 0;
  }

  /** The end of the window {@code time} is in, or {@code time} itself when it is in none. */
  public Instant endOfWindowAt(Instant time) {
    long since = secondsInto(time);
    return since < 0 ? time : time.truncatedTo(ChronoUnit.SECONDS).plusSeconds(length.toSeconds() - since);
  }

  @Override
  public String toString() {
    return "daily " + start + " for " + length + " " + zone;
  }
}
