package dev.algotrade.core.risk;

import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.risk.RiskRule;
import java.time.Instant;

/**
 * Max order rate ({@code MAX_ORDERS_PER_SECOND}, {@code MAX_ORDERS_PER_MINUTE}) over sliding
 * windows of the engine clock, so a replay limits exactly as live does. It counts the orders
 * it approved; put it after every other rule (the standard set does) so denied orders do not
 * count. Denial: {@code ORDER_RATE_LIMIT: instrument=.. window=1s orders=10 limit=10}.
 * Keeps state: confined to the engine thread, one instance per system.
 */
public final class MaxOrderRate implements RiskRule {
  public static final String CODE = "ORDER_RATE_LIMIT";
  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = 60 * SECOND;

  private final int perSecond;
  private final int perMinute;
  private final long[] times;
  private int head; // index of the next write
  private int size;

  /** 0 switches a window off; at least one must be on. */
  public MaxOrderRate(int perSecond, int perMinute) {
    if (perSecond < 0 || perMinute < 0 || (perSecond == 0 && perMinute == 0)) {
      throw new IllegalArgumentException("MaxOrderRate needs perSecond and perMinute >= 0 and one of them > 0, was perSecond="
          + perSecond + " perMinute=" + perMinute);
    }
    this.perSecond = perSecond;
    this.perMinute = perMinute;
    this.times = new long[Math.max(perSecond, perMinute)];
  }

  @Override
  public String name() {
    return "maxOrderRate";
  }

  @Override
  public RiskDecision check(OrderRequest order, RiskContext context) {
    Instant now = context.now();
    long t = now.getEpochSecond() * SECOND + now.getNano();
    if (perSecond > 0) {
      int n = countSince(t - SECOND);
      if (n >= perSecond) {
        return RiskDecision.deny(CODE, "instrument=" + order.instrument() + " window=1s orders=" + n + " limit=" + perSecond);
      }
    }
    if (perMinute > 0) {
      int n = countSince(t - MINUTE);
      if (n >= perMinute) {
        return RiskDecision.deny(CODE, "instrument=" + order.instrument() + " window=1m orders=" + n + " limit=" + perMinute);
      }
    }
    times[head] = t;
    head = (head + 1) % times.length;
    if (size < times.length) {
      size++;
    }
    return RiskDecision.APPROVED;
  }

  /** Orders approved strictly after {@code since}, newest first until an older one. */
  private int countSince(long since) {
    int n = 0;
    for (int k = 1; k <= size; k++) {
      int i = (head - k + times.length) % times.length;
      if (times[i] > since) {
        n++;
      } else {
        break;
      }
    }
    return n;
  }
}
