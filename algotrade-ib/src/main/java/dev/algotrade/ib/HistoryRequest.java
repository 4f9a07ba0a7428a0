package dev.algotrade.ib;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One reqHistoricalData request. Immutable; validated on construction.
 *
 * @param end last bar's end, or null for "now"
 * @param duration IB duration text: {@code <n> S|D|W|M|Y}, e.g. {@code 1 D}
 * @param barSize bar size
 * @param whatToShow TRADES, MIDPOINT, BID, ASK, BID_ASK, ADJUSTED_LAST, ...
 * @param useRth regular trading hours only
 */
public record HistoryRequest(Instant end, String duration, BarSize barSize, String whatToShow, boolean useRth) {

  private static final Pattern DURATION = Pattern.compile("[1-9][0-9]* [SDWMY]");

  public HistoryRequest {
    if (duration == null || !DURATION.matcher(duration).matches()) {
      throw new IllegalArgumentException(
          "HistoryRequest.duration must look like '<n> S|D|W|M|Y' (e.g. '1 D'), was " + duration);
    }
    if (barSize == null) {
      throw new IllegalArgumentException("HistoryRequest.barSize must not be null");
    }
    if (whatToShow == null || whatToShow.isBlank()) {
      throw new IllegalArgumentException("HistoryRequest.whatToShow must not be blank, was " + whatToShow);
    }
  }

  /** TRADES bars ending now, regular hours only. */
  public static HistoryRequest trades(String duration, BarSize barSize) {
    return new HistoryRequest(null, duration, barSize, "TRADES", true);
  }

  public HistoryRequest endingAt(Instant newEnd) {
    return new HistoryRequest(newEnd, duration, barSize, whatToShow, useRth);
  }
}
