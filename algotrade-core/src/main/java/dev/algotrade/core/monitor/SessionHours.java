package dev.algotrade.core.monitor;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * When an instrument is expected to trade: a daily window {@code open}..{@code close} in
 * {@code zone} on the given weekdays, minus holidays. A window with close before open runs over
 * midnight (e.g. 18:00-17:00 for futures) and belongs to the day it opens. Immutable.
 *
 * @param zone the exchange's time zone
 * @param open local opening time
 * @param close local closing time (exclusive)
 * @param days weekdays on which a session opens
 * @param holidays dates (in {@code zone}) on which no session opens
 */
public record SessionHours(ZoneId zone, LocalTime open, LocalTime close, Set<DayOfWeek> days, Set<LocalDate> holidays) {

  /** US equities' regular session: America/New_York 09:30-16:00, Monday to Friday. */
  public static final SessionHours US_EQUITIES = new SessionHours(ZoneId.of("America/New_York"), LocalTime.of(9, 30),
      LocalTime.of(16, 0), EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), Set.of());

  /** Round the clock, every day (crypto, or to switch the calendar off). */
  public static final SessionHours ALWAYS = new SessionHours(ZoneId.of("UTC"), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT,
      EnumSet.allOf(DayOfWeek.class), Set.of());

  public SessionHours {
    if (zone == null) {
      throw new IllegalArgumentException("SessionHours.zone must not be null");
    }
    if (open == null || close == null) {
      throw new IllegalArgumentException("SessionHours.open and close must not be null, were " + open + " and " + close);
    }
    if (days == null || days.isEmpty()) {
      throw new IllegalArgumentException("SessionHours.days must name at least one weekday, was " + days);
    }
    if (holidays == null || holidays.stream().anyMatch(d -> d == null)) {
      throw new IllegalArgumentException("SessionHours.holidays must not be null or hold null, was " + holidays);
    }
    days = Set.copyOf(days);
    holidays = Set.copyOf(holidays);
  }

  /** Weekday sessions {@code open}..{@code close} in {@code zone}, no holidays. */
  public static SessionHours weekdays(ZoneId zone, LocalTime open, LocalTime close) {
    return new SessionHours(zone, open, close, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), Set.of());
  }

  /** The same hours with these holidays. */
  public SessionHours withHolidays(Set<LocalDate> dates) {
    return new SessionHours(zone, open, close, days, dates);
  }

  /** Whether a session is open at {@code time}. */
  public boolean isOpen(Instant time) {
    return currentOpen(time) != null;
  }

  /**
   * When the session that is open at {@code time} opened, or null if none is open. Allocates a
   * little; meant for a once-a-second check, not the quote path.
   */
  public Instant currentOpen(Instant time) {
    ZonedDateTime local = time.atZone(zone);
    LocalDate today = local.toLocalDate();
    LocalTime t = local.toLocalTime();
    boolean overnight = !close.isAfter(open); // includes open == close: 24 h
    if (!overnight) {
      return opensOn(today) && !t.isBefore(open) && t.isBefore(close) ? today.atTime(open).atZone(zone).toInstant() : null;
    }
    if (!t.isBefore(open) && opensOn(today)) {
      return today.atTime(open).atZone(zone).toInstant();
    }
    LocalDate yesterday = today.minusDays(1);
    if (t.isBefore(close) && opensOn(yesterday)) {
      return yesterday.atTime(open).atZone(zone).toInstant();
    }
    return null;
  }

  private boolean opensOn(LocalDate d) {
    return days.contains(d.getDayOfWeek()) && !holidays.contains(d);
  }
}
