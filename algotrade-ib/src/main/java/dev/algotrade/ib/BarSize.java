package dev.algotrade.ib;

import java.time.Duration;

/** IB's bar sizes, with the exact text reqHistoricalData expects (ib-protocol.md §3.10). Immutable. */
public enum BarSize {
  SECONDS_1("1 secs", Duration.ofSeconds(1)),
  SECONDS_5("5 secs", Duration.ofSeconds(5)),
  SECONDS_10("10 secs", Duration.ofSeconds(10)),
  SECONDS_15("15 secs", Duration.ofSeconds(15)),
  SECONDS_30("30 secs", Duration.ofSeconds(30)),
  MINUTES_1("1 min", Duration.ofMinutes(1)),
  MINUTES_2("2 mins", Duration.ofMinutes(2)),
  MINUTES_3("3 mins", Duration.ofMinutes(3)),
  MINUTES_5("5 mins", Duration.ofMinutes(5)),
  MINUTES_10("10 mins", Duration.ofMinutes(10)),
  MINUTES_15("15 mins", Duration.ofMinutes(15)),
  MINUTES_20("20 mins", Duration.ofMinutes(20)),
  MINUTES_30("30 mins", Duration.ofMinutes(30)),
  HOURS_1("1 hour", Duration.ofHours(1)),
  HOURS_2("2 hours", Duration.ofHours(2)),
  HOURS_3("3 hours", Duration.ofHours(3)),
  HOURS_4("4 hours", Duration.ofHours(4)),
  HOURS_8("8 hours", Duration.ofHours(8)),
  DAYS_1("1 day", Duration.ofDays(1)),
  WEEKS_1("1W", Duration.ofDays(7)),
  MONTHS_1("1M", Duration.ofDays(30));

  private final String wire;
  private final Duration period;

  BarSize(String wire, Duration period) {
    this.wire = wire;
    this.period = period;
  }

  /** The text sent to IB, e.g. {@code 1 min}. */
  public String wire() {
    return wire;
  }

  /** The bar's length (a month counts as 30 days). */
  public Duration period() {
    return period;
  }

  /** Whether IB dates these bars as {@code yyyyMMdd} (daily and longer). */
  public boolean isDaily() {
    return period.compareTo(Duration.ofDays(1)) >= 0;
  }
}
