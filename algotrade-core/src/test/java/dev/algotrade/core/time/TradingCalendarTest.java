package dev.algotrade.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TradingCalendarTest {
  private static final ZoneId NY = ZoneId.of("America/New_York");

  @Test
  void seventeenHundredRollCountsTheEveningTowardTheNextDay() {
    TradingCalendar c = new TradingCalendar(NY, LocalTime.of(17, 0));
    // 2024-01-02 16:59 NY (21:59Z) is still Jan 2; 17:00 NY (22:00Z) is Jan 3
    assertThat(c.tradingDay(Instant.parse("2024-01-02T21:59:59Z"))).isEqualTo(LocalDate.of(2024, 1, 2));
    assertThat(c.tradingDay(Instant.parse("2024-01-02T22:00:00Z"))).isEqualTo(LocalDate.of(2024, 1, 3));
    assertThat(c.startOf(LocalDate.of(2024, 1, 3))).isEqualTo(Instant.parse("2024-01-02T22:00:00Z"));
    assertThat(c.endOf(LocalDate.of(2024, 1, 3))).isEqualTo(Instant.parse("2024-01-03T22:00:00Z"));
  }

  @Test
  void midnightRollIsTheLocalDate() {
    TradingCalendar c = new TradingCalendar(NY, LocalTime.MIDNIGHT);
    assertThat(c.tradingDay(Instant.parse("2024-01-03T04:59:59Z"))).isEqualTo(LocalDate.of(2024, 1, 2));
    assertThat(c.tradingDay(Instant.parse("2024-01-03T05:00:00Z"))).isEqualTo(LocalDate.of(2024, 1, 3));
    assertThat(c.startOf(LocalDate.of(2024, 1, 3))).isEqualTo(Instant.parse("2024-01-03T05:00:00Z"));
  }

  @Test
  void rollStaysAtTheSameWallClockTimeAcrossBothDaylightSavingChanges() {
    TradingCalendar c = new TradingCalendar(NY, LocalTime.of(17, 0));
    // spring forward: Sunday 2024-03-10; the day rolling into Monday 03-11 is 23 hours long
    Instant startMar11 = c.startOf(LocalDate.of(2024, 3, 11));
    assertThat(startMar11).isEqualTo(Instant.parse("2024-03-10T21:00:00Z")); // 17:00 EDT
    assertThat(Duration.between(c.startOf(LocalDate.of(2024, 3, 10)), startMar11)).isEqualTo(Duration.ofHours(23));
    // fall back: Sunday 2024-11-03; that day is 25 hours long
    Instant startNov4 = c.startOf(LocalDate.of(2024, 11, 4));
    assertThat(startNov4).isEqualTo(Instant.parse("2024-11-03T22:00:00Z")); // 17:00 EST
    assertThat(Duration.between(c.startOf(LocalDate.of(2024, 11, 3)), startNov4)).isEqualTo(Duration.ofHours(25));
    // every instant maps into the day whose [start, end) contains it
    for (Instant t = Instant.parse("2024-03-08T00:00:00Z"); t.isBefore(Instant.parse("2024-03-13T00:00:00Z")); t = t.plusSeconds(1800)) {
      LocalDate d = c.tradingDay(t);
      assertThat(c.startOf(d)).isBeforeOrEqualTo(t);
      assertThat(c.endOf(d)).isAfter(t);
    }
    for (Instant t = Instant.parse("2024-11-01T00:00:00Z"); t.isBefore(Instant.parse("2024-11-06T00:00:00Z")); t = t.plusSeconds(1800)) {
      LocalDate d = c.tradingDay(t);
      assertThat(c.startOf(d)).isBeforeOrEqualTo(t);
      assertThat(c.endOf(d)).isAfter(t);
    }
  }
}
