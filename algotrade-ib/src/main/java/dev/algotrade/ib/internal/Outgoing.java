package dev.algotrade.ib.internal;

import java.nio.charset.StandardCharsets;

/**
 * Encoders for every message this client sends, at server version 178 (ib-protocol.md §1.2,
 * §1.4, §3). Each method returns one complete frame (length prefix included), except
 * {@link #handshake()} which is the raw {@code API\0} + length + version-range preamble.
 *
 * <p>Thread-safe: stateless static methods.
 */
public final class Outgoing {

  /** The only server version whose layouts this client speaks. */
  public static final int SERVER_VERSION = 178;
  /** Advertised range, byte-for-byte what ib_insync / ib_async send. */
  public static final int MIN_CLIENT_VERSION = 157;
  public static final int MAX_CLIENT_VERSION = 178;

  private Outgoing() {}

  /** {@code API\0} + 4-byte length + {@code v157..178} (no trailing NUL). */
  public static byte[] handshake() {
    byte[] range = ("v" + MIN_CLIENT_VERSION + ".." + MAX_CLIENT_VERSION).getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[4 + 4 + range.length];
    b[0] = 'A';
    b[1] = 'P';
    b[2] = 'I';
    b[3] = 0;
    int n = range.length;
    b[4] = (byte) (n >>> 24);
    b[5] = (byte) (n >>> 16);
    b[6] = (byte) (n >>> 8);
    b[7] = (byte) n;
    System.arraycopy(range, 0, b, 8, n);
    return b;
  }

  /** startApi (71): {@code 71|2|clientId|""}. */
  public static byte[] startApi(int clientId) {
    return new FieldWriter().add(71).add(2).add(clientId).empty().toFrame();
  }

  /** reqMktData (1), version 11, non-BAG, no delta-neutral contract, no regulatory snapshot. */
  public static byte[] reqMktData(int tickerId, IbContract c, String genericTickList, boolean snapshot) {
    FieldWriter w = new FieldWriter().add(1).add(11).add(tickerId);
    c.writeTo(w);
    return w.add(false).add(genericTickList).add(snapshot).add(false).empty().toFrame();
  }

  /** cancelMktData (2): {@code 2|2|tickerId} (version 2 as PY30/IAS send; §8 item 5). */
  public static byte[] cancelMktData(int tickerId) {
    return new FieldWriter().add(2).add(2).add(tickerId).toFrame();
  }

  /**
   * placeOrder (3) for MKT / LMT / STP / STP LMT on a non-BAG contract: exactly 114 fields
   * (ib-protocol.md §3.3). Unset prices ({@code NaN}) are sent empty.
   */
  public static byte[] placeOrder(int orderId, IbContract c, OrderFields o) {
    FieldWriter w = new FieldWriter().add(3).add(orderId);
    c.writeTo(w); // 3-14
    w.empty().empty(); // 15 secIdType, 16 secId
    w.add(o.action()).addDecimal(o.totalQuantity()).add(o.orderType()); // 17-19
    w.addOrEmpty(o.lmtPrice()).addOrEmpty(o.auxPrice()); // 20-21
    w.add(o.tif()); // 22
    w.empty(); // 23 ocaGroup
    w.add(o.account()); // 24
    w.empty(); // 25 openClose
    w.add(0); // 26 origin = customer
    w.add(o.orderRef()); // 27
    w.add(true); // 28 transmit
    w.add(0); // 29 parentId
    w.add(false).add(false); // 30 blockOrder, 31 sweepToFill
    w.add(0).add(0); // 32 displaySize, 33 triggerMethod
    w.add(o.outsideRth()); // 34
    w.add(false); // 35 hidden
    w.empty(); // 36 sharesAllocation
    w.add(0); // 37 discretionaryAmt
    w.empty().empty(); // 38 goodAfterTime, 39 goodTillDate
    w.empty().empty().empty(); // 40 faGroup, 41 faMethod, 42 faPercentage
    w.empty(); // 43 modelCode
    w.add(0); // 44 shortSaleSlot
    w.empty(); // 45 designatedLocation
    w.add(-1); // 46 exemptCode
    w.add(0); // 47 ocaType
    w.empty().empty(); // 48 rule80A, 49 settlingFirm
    w.add(false); // 50 allOrNone
    w.empty().empty(); // 51 minQty, 52 percentOffset
    w.add(false).add(false); // 53 eTradeOnly, 54 firmQuoteOnly
    w.empty(); // 55 nbboPriceCap
    w.add(0); // 56 auctionStrategy
    w.empty().empty().empty().empty().empty(); // 57-61 startingPrice .. stockRangeUpper
    w.add(false); // 62 overridePercentageConstraints
    w.empty().empty(); // 63 volatility, 64 volatilityType
    w.empty().empty(); // 65 deltaNeutralOrderType, 66 deltaNeutralAuxPrice
    w.add(0); // 67 continuousUpdate
    w.empty(); // 68 referencePriceType
    w.empty().empty(); // 69 trailStopPrice, 70 trailingPercent
    w.empty().empty().empty(); // 71-73 scale sizes and increment
    w.empty().empty().empty(); // 74 scaleTable, 75 activeStartTime, 76 activeStopTime
    w.empty(); // 77 hedgeType
    w.add(false); // 78 optOutSmartRouting
    w.empty().empty(); // 79 clearingAccount, 80 clearingIntent
    w.add(false); // 81 notHeld
    w.add(false); // 82 deltaNeutralContract present
    w.empty().empty(); // 83 algoStrategy, 84 algoId
    w.add(false); // 85 whatIf
    w.empty(); // 86 orderMiscOptions
    w.add(false).add(false).add(false); // 87 solicited, 88 randomizeSize, 89 randomizePrice
    w.add(0); // 90 conditions count
    w.empty(); // 91 adjustedOrderType
    w.empty().empty().empty().empty().empty(); // 92-96 triggerPrice .. adjustedTrailingAmount
    w.add(0); // 97 adjustableTrailingUnit
    w.empty(); // 98 extOperator
    w.empty().empty(); // 99-100 softDollarTier name, value
    w.empty(); // 101 cashQty
    w.empty().empty().empty().empty(); // 102-105 mifid2 fields
    w.add(false); // 106 dontUseAutoPriceForHedge
    w.add(false); // 107 isOmsContainer
    w.add(false); // 108 discretionaryUpToLimitPrice
    w.empty(); // 109 usePriceMgmtAlgo
    w.empty().empty(); // 110 duration, 111 postToAts
    w.add(false); // 112 autoCancelParent
    w.empty(); // 113 advancedErrorOverride
    w.empty(); // 114 manualOrderTime
    return w.toFrame();
  }

  /** cancelOrder (4): {@code 4|1|orderId|""} (manualOrderCancelTime empty). */
  public static byte[] cancelOrder(int orderId) {
    return new FieldWriter().add(4).add(1).add(orderId).empty().toFrame();
  }

  /** reqOpenOrders (5): {@code 5|1}. */
  public static byte[] reqOpenOrders() {
    return new FieldWriter().add(5).add(1).toFrame();
  }

  /** reqAllOpenOrders (16): {@code 16|1}. */
  public static byte[] reqAllOpenOrders() {
    return new FieldWriter().add(16).add(1).toFrame();
  }

  /**
   * reqExecutions (7), version 3, with a filter on time only ({@code yyyyMMdd-HH:mm:ss} UTC, or
   * empty for no filter) and client id 0 (= no filtering).
   */
  public static byte[] reqExecutions(int reqId, String account, String time) {
    return new FieldWriter().add(7).add(3).add(reqId).add(0).add(account).add(time)
        .empty().empty().empty().empty().toFrame();
  }

  /** reqIds (8): {@code 8|1|1} (numIds is ignored by TWS). */
  public static byte[] reqIds() {
    return new FieldWriter().add(8).add(1).add(1).toFrame();
  }

  /** reqContractDetails (9), version 8, 19 fields. */
  public static byte[] reqContractDetails(int reqId, IbContract c) {
    FieldWriter w = new FieldWriter().add(9).add(8).add(reqId);
    c.writeTo(w);
    return w.add(false).empty().empty().empty().toFrame();
  }

  /** reqHistoricalData (20), 23 fields, no version field; barSize goes before duration. */
  public static byte[] reqHistoricalData(int reqId, IbContract c, String endDateTime, String barSize,
      String duration, boolean useRth, String whatToShow, int formatDate, boolean keepUpToDate) {
    FieldWriter w = new FieldWriter().add(20).add(reqId);
    c.writeTo(w);
    return w.add(false).add(endDateTime).add(barSize).add(duration).add(useRth).add(whatToShow)
        .add(formatDate).add(keepUpToDate).empty().toFrame();
  }

  /** cancelHistoricalData (25): {@code 25|1|reqId}. */
  public static byte[] cancelHistoricalData(int reqId) {
    return new FieldWriter().add(25).add(1).add(reqId).toFrame();
  }

  /** reqCurrentTime (49): {@code 49|1}. */
  public static byte[] reqCurrentTime() {
    return new FieldWriter().add(49).add(1).toFrame();
  }

  /** reqGlobalCancel (58): {@code 58|1}. */
  public static byte[] reqGlobalCancel() {
    return new FieldWriter().add(58).add(1).toFrame();
  }

  /** reqMarketDataType (59): {@code 59|1|type}, 1 live, 2 frozen, 3 delayed, 4 delayed-frozen. */
  public static byte[] reqMarketDataType(int type) {
    return new FieldWriter().add(59).add(1).add(type).toFrame();
  }

  /** reqPositions (61): {@code 61|1}. */
  public static byte[] reqPositions() {
    return new FieldWriter().add(61).add(1).toFrame();
  }

  /** cancelPositions (64): {@code 64|1}. */
  public static byte[] cancelPositions() {
    return new FieldWriter().add(64).add(1).toFrame();
  }

  /** reqAccountSummary (62): {@code 62|1|reqId|group|tags}. */
  public static byte[] reqAccountSummary(int reqId, String group, String tags) {
    return new FieldWriter().add(62).add(1).add(reqId).add(group).add(tags).toFrame();
  }

  /** cancelAccountSummary (63): {@code 63|1|reqId}. */
  public static byte[] cancelAccountSummary(int reqId) {
    return new FieldWriter().add(63).add(1).add(reqId).toFrame();
  }

  /**
   * The order fields placeOrder needs for our four order types.
   *
   * @param lmtPrice limit price or NaN
   * @param auxPrice stop trigger price or NaN
   */
  public record OrderFields(String action, double totalQuantity, String orderType, double lmtPrice,
      double auxPrice, String tif, String account, String orderRef, boolean outsideRth) {}
}
