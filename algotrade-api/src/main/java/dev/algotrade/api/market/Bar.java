package dev.algotrade.api.market;

import dev.algotrade.api.internal.Checks;
import java.time.Duration;
import java.time.Instant;

/**
 * An OHLCV bar. {@code start} is when the bar opened; {@link #time()} is when it closed
 * ({@code start + period}), which is when its data is known.
 */
public record Bar(
    InstrumentId instrument,
    Instant start,
    Duration period,
    double open,
    double high,
    double low,
    double close,
    double volume)
    implements MarketData {

  public Bar {
    Checks.notNull(instrument, "Bar.instrument");
    Checks.notNull(start, "Bar.start");
    Checks.notNull(period, "Bar.period");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("Bar.period must be > 0, was " + period);
    }
    Checks.positive(open, "Bar.open");
    Checks.positive(high, "Bar.high");
    Checks.positive(low, "Bar.low");
    Checks.positive(close, "Bar.close");
    Checks.nonNegative(volume, "Bar.volume");
    if (high < low || high < open || high < close || low > open || low > close) {
      throw new IllegalArgumentException(
          "Bar prices must satisfy low <= open, close <= high, was open=" + open + " high=" + high
              + " low=" + low + " close=" + close + " for " + instrument + " at " + start);
    }
  }

  /** The close time: {@code start + period}. */
  @Override
  public Instant time() {
    return start.plus(period);
  }
}
