package dev.algotrade.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionHoursTest {

  private static final SessionHours US = SessionHours.US_EQUITIES;

  @Test
  void usEquitiesRegularHoursInNewYorkTime() {
    assertThat(US.isOpen(Instant.parse("2024-01-02T14:29:59Z"))).isFalse(); // 09:29:59 EST
    assertThat(US.isOpen(Instant.parse("2024-01-02T14:30:00Z"))).isTrue();
    assertThat(US.isOpen(Instant.parse("2024-01-02T20:59:59Z"))).isTrue();
    assertThat(US.isOpen(Instant.parse("2024-01-02T21:00:00Z"))).isFalse(); // 16:00 EST
    assertThat(US.currentOpen(Instant.parse("2024-01-02T18:00:00Z"))).isEqualTo(Instant.parse("2024-01-02T14:30:00Z"));
    // summer time: 09:30 EDT is 13:30 UTC
    assertThat(US.isOpen(Instant.parse("2024-07-02T13:30:00Z"))).isTrue();
    assertThat(US.isOpen(Instant.parse("2024-07-02T13:29:00Z"))).isFalse();
  }

  @Test
  void weekendsAndHolidaysAreClosed() {
    assertThat(US.isOpen(Instant.parse("2024-01-06T17:00:00Z"))).isFalse(); // Saturday noon
    assertThat(US.isOpen(Instant.parse("2024-01-07T17:00:00Z"))).isFalse(); // Sunday noon
    SessionHours h = US.withHolidays(Set.of(LocalDate.of(2024, 12, 25)));
    assertThat(h.isOpen(Instant.parse("2024-12-25T17:00:00Z"))).isFalse();
    assertThat(h.isOpen(Instant.parse("2024-12-24T17:00:00Z"))).isTrue();
  }

  @Test
  void overnightSessionBelongsToTheDayItOpens() {
    SessionHours futures = new SessionHours(ZoneId.of("America/Chicago"), LocalTime.of(17, 0), LocalTime.of(16, 0),
        EnumSet.of(DayOfWeek.SUNDAY, DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY),
        Set.of());
    // Sunday 18:00 Chicago (CST, UTC-6): open since Sunday 17:00
    assertThat(futures.currentOpen(Instant.parse("2024-01-08T00:00:00Z"))).isEqualTo(Instant.parse("2024-01-07T23:00:00Z"));
    // Monday 10:00 Chicago: still Sunday's session
    assertThat(futures.currentOpen(Instant.parse("2024-01-08T16:00:00Z"))).isEqualTo(Instant.parse("2024-01-07T23:00:00Z"));
    // Monday 16:30 Chicago: the daily break
    assertThat(futures.isOpen(Instant.parse("2024-01-08T22:30:00Z"))).isFalse();
    // Friday 18:00 Chicago: no session opens on Friday evening
    assertThat(futures.isOpen(Instant.parse("2024-01-13T00:00:00Z"))).isFalse();
  }

  @Test
  void alwaysIsAlwaysOpen() {
    assertThat(SessionHours.ALWAYS.isOpen(Instant.parse("2024-01-06T03:00:00Z"))).isTrue();
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> new SessionHours(ZoneId.of("UTC"), LocalTime.NOON, LocalTime.MIDNIGHT, Set.of(), Set.of()))
        .hasMessageContaining("SessionHours.days");
    assertThatThrownBy(() -> SessionHours.weekdays(null, LocalTime.NOON, LocalTime.MIDNIGHT))
        .hasMessageContaining("SessionHours.zone");
  }
}
