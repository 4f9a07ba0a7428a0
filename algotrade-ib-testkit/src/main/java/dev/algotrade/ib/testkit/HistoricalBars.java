package dev.algotrade.ib.testkit;

import dev.algotrade.ib.testkit.internal.MessageBuilder;
import dev.algotrade.ib.testkit.internal.ServerMessages;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Synthetic historical bars: a seeded walk that ends near the current mid, as one
 * historicalData (17) message. The same seed, instrument and end time give the same bars.
 * Stateless; thread-safe.
 */
final class HistoricalBars {

  private static final DateTimeFormatter IB_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);

  private HistoricalBars() {}

  /** historicalData at 178: reqId, start, end, bar count, then 8 fields per bar. */
  static MessageBuilder message(int reqId, SimInstrument i, double mid, Instant endTime,
      long barSeconds, long durationSeconds, String whatToShow, int formatDate, long seed) {
    int count = (int) Math.max(1, Math.min(2000, durationSeconds / barSeconds));
    long endSec = endTime.getEpochSecond() / barSeconds * barSeconds;
    Random rnd = new Random(seed * 31 + i.conId());
    double tick = i.minTick();
    double price = mid;
    double[] closes = new double[count];
    for (int k = count - 1; k >= 0; k--) {
      closes[k] = RandomWalkMarket.round(price, tick);
      price = Math.max(tick * 4, price * (1 + 0.002 * rnd.nextGaussian()));
    }
    boolean daily = barSeconds >= 86_400;
    MessageBuilder m = new MessageBuilder(ServerMessages.HISTORICAL_DATA).add(reqId)
        .add(barDate(endSec - (long) count * barSeconds, 1, false))
        .add(barDate(endSec, 1, false))
        .add(count);
    double open = closes[0];
    for (int k = 0; k < count; k++) {
      double close = closes[k];
      double high = Math.max(open, close) + tick * rnd.nextInt(3);
      double low = Math.max(tick, Math.min(open, close) - tick * rnd.nextInt(3));
      boolean trades = whatToShow.equals("TRADES");
      m.add(barDate(endSec - (long) (count - k) * barSeconds, formatDate, daily))
          .add(open).add(RandomWalkMarket.round(high, tick))
          .add(RandomWalkMarket.round(low, tick)).add(close)
          .add(trades ? 100 * (1 + rnd.nextInt(50)) : -1)
          .add(trades ? RandomWalkMarket.round((open + close) / 2, tick * 0.01) : -1)
          .add(trades ? 1 + rnd.nextInt(40) : -1);
      open = close;
    }
    return m;
  }

  private static String barDate(long epochSecond, int formatDate, boolean daily) {
    if (formatDate == 2 && !daily) {
      return Long.toString(epochSecond);
    }
    var t = Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC);
    return daily ? IB_DATE.format(t) : GatewayCore.IB_TIME.format(t) + " UTC";
  }

  static long barSeconds(String barSize) {
    String[] p = barSize.split("\\s+");
    try {
      if (p.length == 1) {
        return switch (p[0]) {
          case "1W" -> 7 * 86_400L;
          case "1M" -> 30 * 86_400L;
          default -> -1;
        };
      }
      long n = Long.parseLong(p[0]);
      return switch (p[1]) {
        case "sec", "secs" -> n;
        case "min", "mins" -> n * 60;
        case "hour", "hours" -> n * 3600;
        case "day", "days" -> n * 86_400;
        default -> -1;
      };
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static long durationSeconds(String duration) {
    String[] p = duration.split("\\s+");
    if (p.length != 2) {
      return -1;
    }
    try {
      long n = Long.parseLong(p[0]);
      return switch (p[1]) {
        case "S" -> n;
        case "D" -> n * 86_400;
        case "W" -> n * 7 * 86_400;
        case "M" -> n * 30 * 86_400;
        case "Y" -> n * 365 * 86_400;
        default -> -1;
      };
    } catch (NumberFormatException e) {
      return -1;
    }
  }

}
