package dev.algotrade.core.time;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Which trading day an instant belongs to. The day rolls at {@code rollTime} in {@code zone}.
 * With a roll at midnight the trading day is the local date; with a roll at, say, 17:00 the
 * period from 17:00 on day D to 17:00 on day D+1 is trading day D+1 (the futures convention:
 * the evening session counts toward the next day). Local-time arithmetic makes the roll
 * happen at the same wall-clock time across daylight-saving changes. Immutable, thread-safe.
 */
public final class TradingCalendar {

  /** America/New_York, rolling at 17:00 (after the US close). */
  public static final TradingCalendar DEFAULT =
      new TradingCalendar(ZoneId.of("America/New_York"), LocalTime.of(17, 0));

  private final ZoneId zone;
  private final LocalTime rollTime;
  private final Duration shift;

  public TradingCalendar(ZoneId zone, LocalTime rollTime) {
    if (zone == null) {
      throw new IllegalArgumentException("TradingCalendar.zone must not be null");
    }
    if (rollTime == null) {
      throw new IllegalArgumentException("TradingCalendar.rollTime must not be null");
    }
    this.zone = zone;
    this.rollTime = rollTime;
    this.shift = rollTime.equals(LocalTime.MIDNIGHT)
        ? Duration.ZERO
        : Duration.ofDays(1).minusNanos(rollTime.toNanoOfDay());
  }

  public ZoneId zone() {
    return zone;
  }

  public LocalTime rollTime() {
    return rollTime;
  }

  /** The trading day {@code time} belongs to. */
  public LocalDate tradingDay(Instant time) {
    return LocalDateTime.ofInstant(time, zone).plus(shift).toLocalDate();
  }

  /** When trading day {@code day} begins. */
  public Instant startOf(LocalDate day) {
    LocalDateTime local = day.atStartOfDay().minus(shift);
    return ZonedDateTime.of(local, zone).toInstant();
  }

  /** When trading day {@code day} ends: the start of the next one. */
  public Instant endOf(LocalDate day) {
    return startOf(day.plusDays(1));
  }

  @Override
  public String toString() {
    return "TradingCalendar[zone=" + zone + " roll=" + rollTime + "]";
  }
}
