package dev.algotrade.ib.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * IB's historical-data pacing rules (ib-protocol.md §5.5, IB's historical_limitations page):
 * no identical request within 15 s; at most 5 requests for the same contract, exchange and
 * tick type within 2 s; at most 60 requests in any 10 minutes; BID_ASK counts twice. IB says
 * the rules were lifted for bars of 1 minute and more but advises caution, so they are applied
 * to every bar size. {@link #reserve} returns the earliest time a request may go and books it;
 * reservations never go back in time, which keeps the book simple and errs on the slow side.
 *
 * <p>Pure logic over nanosecond readings passed in, so tests need no clock. Thread-safe
 * (synchronized).
 */
public final class HistoricalPacer {

  public static final long IDENTICAL_GAP = TimeUnit.SECONDS.toNanos(15);
  public static final long SAME_CONTRACT_WINDOW = TimeUnit.SECONDS.toNanos(2);
  public static final int SAME_CONTRACT_MAX = 5;
  public static final long TOTAL_WINDOW = TimeUnit.MINUTES.toNanos(10);
  public static final int TOTAL_MAX = 60;

  private final ArrayDeque<Long> all = new ArrayDeque<>();
  private final Map<String, List<Long>> byContract = new HashMap<>();
  private final Map<String, Long> lastIdentical = new HashMap<>();
  private long lastReserved = Long.MIN_VALUE;
  private boolean any;

  /**
   * Books a request and returns when it may be sent (>= {@code now}).
   *
   * @param requestKey identifies identical requests (contract, end, duration, bar size, what, RTH)
   * @param contractKey contract + exchange + whatToShow
   * @param weight 2 for BID_ASK, else 1
   */
  public synchronized long reserve(String requestKey, String contractKey, int weight, long now) {
    prune(now);
    long t = now;
    if (any && t - lastReserved < 0) {
      t = lastReserved;
    }
    Long ident = lastIdentical.get(requestKey);
    if (ident != null && t - (ident + IDENTICAL_GAP) < 0) {
      t = ident + IDENTICAL_GAP;
    }
    List<Long> times = byContract.computeIfAbsent(contractKey, k -> new ArrayList<>());
    for (int unit = 0; unit < weight; unit++) {
      if (times.size() >= SAME_CONTRACT_MAX) {
        long bound = times.get(times.size() - SAME_CONTRACT_MAX) + SAME_CONTRACT_WINDOW;
        if (t - bound < 0) {
          t = bound;
        }
      }
      if (all.size() >= TOTAL_MAX) {
        long bound = nthFromEnd(TOTAL_MAX) + TOTAL_WINDOW;
        if (t - bound < 0) {
          t = bound;
        }
      }
      times.add(t);
      all.addLast(t);
    }
    lastIdentical.put(requestKey, t);
    lastReserved = t;
    any = true;
    return t;
  }

  private long nthFromEnd(int n) {
    Iterator<Long> it = all.descendingIterator();
    long v = 0;
    for (int i = 0; i < n && it.hasNext(); i++) {
      v = it.next();
    }
    return v;
  }

  private void prune(long now) {
    while (!all.isEmpty() && now - all.peekFirst() > TOTAL_WINDOW) {
      all.pollFirst();
    }
    byContract.values().forEach(l -> l.removeIf(x -> now - x > TOTAL_WINDOW));
    byContract.values().removeIf(List::isEmpty);
    lastIdentical.values().removeIf(x -> now - x > TOTAL_WINDOW);
  }
}
