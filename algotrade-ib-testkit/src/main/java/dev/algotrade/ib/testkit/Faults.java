package dev.algotrade.ib.testkit;

import dev.algotrade.api.internal.Checks;
import dev.algotrade.api.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Fault injection for the simulated gateway. One-shot faults ("next order", "next execDetails")
 * are consumed by the first matching event; switches ({@link #delayReplies}, {@link
 * #refuseConnections}, {@link #halfOpen}) hold until changed. Thread-safe: every method may be
 * called from a test thread while clients are connected.
 */
public final class Faults {

  /** A one-shot order rejection: error {@code code} with {@code text}. */
  record Rejection(int code, String text) {}

  private final Runnable dropAll;
  private final IntConsumer connectivity;
  private final IntConsumer rollBackIds;
  private final Clock clock;

  private Rejection rejectNext;
  private int duplicateExecDetails;
  private int statusBeforeOpenOrder;
  private int duplicateOrderStatus;
  private int correctNextFill;
  private double maxFillSize = Double.MAX_VALUE;
  private final Set<FaultPoint> dropPoints = EnumSet.noneOf(FaultPoint.class);
  private long dropAfterMessages = -1;
  private volatile long delayNanos;
  private volatile boolean refuseConnections;
  /** Gateway-clock nanos until which a restart refuses connections; NO_RESTART when none. */
  private volatile long refuseUntilNanos = NO_RESTART;
  private static final long NO_RESTART = Long.MIN_VALUE;
  private volatile boolean halfOpen;
  private volatile OutgoingInterceptor interceptor;
  private final java.util.Map<Integer, Rejection> failNextRequest = new java.util.HashMap<>();
  private int paceLimit;

  Faults(Runnable dropAll, IntConsumer connectivity, IntConsumer rollBackIds, Clock clock) {
    this.clock = clock;
    this.rollBackIds = rollBackIds;
    this.dropAll = dropAll;
    this.connectivity = connectivity;
  }

  /**
   * The next placeOrder is refused with error {@code code} (e.g. 201) and {@code text} (e.g.
   * {@code "Order rejected - reason:Insufficient margin"}), followed by orderStatus Cancelled.
   */
  public synchronized Faults rejectNextOrder(int code, String text) {
    Checks.positive(code, "Faults.rejectNextOrder.code");
    Checks.notNull(text, "Faults.rejectNextOrder.text");
    rejectNext = new Rejection(code, text);
    return this;
  }

  /** The next execDetails (live fill) is sent twice, with the same execId. */
  public synchronized Faults duplicateNextExecDetails() {
    duplicateExecDetails++;
    return this;
  }

  /** The next fill is followed by a correction: a second execDetails whose execId ends .02. */
  public synchronized Faults correctNextFill() {
    correctNextFill++;
    return this;
  }

  /** The next orderStatus caused by a fill is sent twice (IB says duplicates happen). */
  public synchronized Faults duplicateNextOrderStatus() {
    duplicateOrderStatus++;
    return this;
  }

  /** The next accepted order gets its orderStatus before its openOrder. */
  public synchronized Faults statusBeforeOpenOrder() {
    statusBeforeOpenOrder++;
    return this;
  }

  /**
   * Caps every fill at {@code shares} (on top of the displayed-size limit), so a large order
   * fills in several executions across market steps. {@code Double.MAX_VALUE} removes the cap.
   */
  public synchronized Faults maxFillSize(double shares) {
    Checks.positive(shares, "Faults.maxFillSize");
    maxFillSize = shares;
    return this;
  }

  /** The connection of the client that owns the next order to reach {@code point} is closed. */
  public synchronized Faults dropConnectionAt(FaultPoint point) {
    Checks.notNull(point, "Faults.dropConnectionAt.point");
    dropPoints.add(point);
    return this;
  }

  /** The connection that writes the {@code n}-th next message (counted across clients) closes. */
  public synchronized Faults dropAfterMessages(long n) {
    Checks.nonNegative(n, "Faults.dropAfterMessages");
    dropAfterMessages = n;
    return this;
  }

  /** Closes every client connection now (like a TWS restart); orders stay on the server. */
  public Faults dropConnectionNow() {
    dropAll.run();
    return this;
  }

  /**
   * Makes the next nextValidId of every client id {@code nextId} again, as TWS may after a
   * restart (ib-protocol.md pitfall P1); orders already placed keep their ids, so reusing one
   * of them gets error 103.
   */
  public Faults rollBackOrderIds(int nextId) {
    Checks.positive(nextId, "Faults.rollBackOrderIds.nextId");
    rollBackIds.accept(nextId);
    return this;
  }

  /** Every server message waits this long before it is written ({@code Duration.ZERO} = off). */
  public Faults delayReplies(Duration delay) {
    Checks.notNull(delay, "Faults.delayReplies.delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("Faults.delayReplies.delay must be >= 0, was " + delay);
    }
    delayNanos = delay.toNanos();
    return this;
  }

  /**
   * While on, new connections are accepted and closed at once (nothing is read or written).
   * Switching it off also ends a {@link #restart(Duration) restart} early.
   */
  public Faults refuseConnections(boolean on) {
    refuseConnections = on;
    if (!on) {
      refuseUntilNanos = NO_RESTART;
    }
    return this;
  }

  /**
   * TWS / IB Gateway's daily (or weekly) restart: every connection is closed at once and new
   * ones are refused until the gateway's clock has moved {@code downFor} past now
   * ({@code Duration.ZERO}: until {@code refuseConnections(false)}); then clients may connect
   * again with their old client ids. Orders, executions, positions and the order-id sequence
   * stay, as they do at IB (combine with {@link #rollBackOrderIds} for a TWS that forgets ids).
   */
  public Faults restart(Duration downFor) {
    Checks.notNull(downFor, "Faults.restart.downFor");
    if (downFor.isNegative()) {
      throw new IllegalArgumentException("Faults.restart.downFor must be >= 0, was " + downFor);
    }
    if (downFor.isZero()) {
      refuseConnections = true;
    } else {
      refuseUntilNanos = clock.nanoTime() + downFor.toNanos();
    }
    dropAll.run();
    return this;
  }

  /**
   * While on, connected sockets stay open but the gateway neither answers requests nor sends
   * anything (a half-open or hung TWS). Requests received meanwhile are discarded.
   */
  public Faults halfOpen(boolean on) {
    halfOpen = on;
    return this;
  }

  /** Sends error 1100 (connectivity lost) to every client; market data stops until restored. */
  public Faults connectivityLost() {
    connectivity.accept(1100);
    return this;
  }

  /**
   * Sends 1102 (restored, data maintained) or 1101 (restored, data lost: market data
   * subscriptions are dropped and must be re-requested).
   */
  public Faults connectivityRestored(boolean dataMaintained) {
    connectivity.accept(dataMaintained ? 1102 : 1101);
    return this;
  }

  /**
   * Installs a hook that may drop, duplicate or rewrite any outgoing message (null removes it).
   * Example, drop every commissionReport: {@code (id, f) -> f.get(0).equals("59") ? List.of()
   * : List.of(f)}.
   */
  public Faults interceptOutgoing(OutgoingInterceptor hook) {
    this.interceptor = hook;
    return this;
  }

  /**
   * The next request with message id {@code msgId} is answered only with error {@code code}
   * and {@code text}, addressed to the request's id (e.g. {@code failNextRequest(20, 162,
   * "Historical Market Data Service error message:pacing violation")}, or 200 for contract
   * details, 354 for market data). Requests without an id get id -1.
   */
  public synchronized Faults failNextRequest(int msgId, int code, String text) {
    Checks.positive(msgId, "Faults.failNextRequest.msgId");
    Checks.positive(code, "Faults.failNextRequest.code");
    Checks.notNull(text, "Faults.failNextRequest.text");
    failNextRequest.put(msgId, new Rejection(code, text));
    return this;
  }

  /**
   * Enforces IB's message pacing: a client sending more than {@code perSecond} requests within
   * one second (by the gateway's clock) gets error 100 for each excess request, which is
   * dropped. 0 (the default) switches pacing off.
   */
  public synchronized Faults paceLimit(int perSecond) {
    Checks.nonNegative(perSecond, "Faults.paceLimit");
    paceLimit = perSecond;
    return this;
  }

  /** Clears every pending one-shot fault and switch. */
  public synchronized Faults reset() {
    rejectNext = null;
    duplicateExecDetails = 0;
    statusBeforeOpenOrder = 0;
    duplicateOrderStatus = 0;
    correctNextFill = 0;
    maxFillSize = Double.MAX_VALUE;
    dropPoints.clear();
    dropAfterMessages = -1;
    delayNanos = 0;
    refuseConnections = false;
    refuseUntilNanos = NO_RESTART;
    halfOpen = false;
    interceptor = null;
    failNextRequest.clear();
    paceLimit = 0;
    return this;
  }

  synchronized Rejection takeRequestFailure(int msgId) {
    return failNextRequest.remove(msgId);
  }

  synchronized int paceLimit() {
    return paceLimit;
  }

  OutgoingInterceptor interceptor() {
    return interceptor;
  }

  // ---- consumed by the gateway ----

  synchronized Rejection takeRejection() {
    Rejection r = rejectNext;
    rejectNext = null;
    return r;
  }

  synchronized boolean takeDuplicateExecDetails() {
    return take(() -> duplicateExecDetails > 0, () -> duplicateExecDetails--);
  }

  synchronized boolean takeCorrection() {
    return take(() -> correctNextFill > 0, () -> correctNextFill--);
  }

  synchronized boolean takeDuplicateOrderStatus() {
    return take(() -> duplicateOrderStatus > 0, () -> duplicateOrderStatus--);
  }

  synchronized boolean takeStatusBeforeOpenOrder() {
    return take(() -> statusBeforeOpenOrder > 0, () -> statusBeforeOpenOrder--);
  }

  synchronized boolean takeDropAt(FaultPoint point) {
    return dropPoints.remove(point);
  }

  synchronized double maxFillSize() {
    return maxFillSize;
  }

  /** Counts one written message; true if this message is the last before a drop. */
  synchronized boolean countMessageAndCheckDrop() {
    if (dropAfterMessages < 0) {
      return false;
    }
    if (dropAfterMessages <= 1) {
      dropAfterMessages = -1;
      return true;
    }
    dropAfterMessages--;
    return false;
  }

  /** True if a drop-after-N is armed with N = 0 (drop before writing anything more). */
  synchronized boolean dropBeforeWrite() {
    if (dropAfterMessages == 0) {
      dropAfterMessages = -1;
      return true;
    }
    return false;
  }

  long delayNanos() {
    return delayNanos;
  }

  boolean refusingConnections() {
    if (refuseConnections) {
      return true;
    }
    long until = refuseUntilNanos;
    return until != NO_RESTART && clock.nanoTime() - until < 0;
  }

  boolean isHalfOpen() {
    return halfOpen;
  }

  private static boolean take(BooleanSupplier armed, Runnable consume) {
    if (armed.getAsBoolean()) {
      consume.run();
      return true;
    }
    return false;
  }
}
