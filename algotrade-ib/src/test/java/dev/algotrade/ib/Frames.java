package dev.algotrade.ib;

/**
 * Inbound payloads for socket tests, written by hand from ib-protocol.md §4 in notes notation
 * (each field followed by {@code |}); only ids, refs and numbers are substituted.
 */
final class Frames {
  private Frames() {}

  static final String M = "1.7976931348623157E308";

  /** openOrder (5), 127 fields, for a plain AAPL order placed by client 7. */
  static String openOrder(int orderId, String orderRef, String type, String lmt, String status) {
    return "5|" + orderId + "|265598|AAPL|STK||0.0|||SMART|" // 1-10
        + "USD|AAPL|NMS|BUY|100|" + type + "|" + lmt + "|0.0|DAY||" // 11-20
        + "DU123456|O|0|" + orderRef + "|7|" + permId(orderId) + "|0|0|0.0||" // 21-30
        + "|||||||||0|" // 31-40
        + "|-1|0|||||||0|" // 41-50
        + "0|0||3|0|0||0|0||" // 51-60
        + "0|||0|0||||||" // 61-70
        + "0|0|0|||||0|||" // 71-80
        + "0|0||0|0|" + status + "|||||" // 81-90
        + "|||||" + M + "|" + M + "|" + M + "|||" // 91-100
        + "0|0|0|None|" + M + "|" + M + "|" + M + "|" + M + "|" + M + "|" + M + "|" // 101-110
        + "0||||" + M + "|0|0|0|0|2147483647|" // 111-120
        + "2147483647|0||||||"; // 121-127
  }

  /** orderStatus (3), 12 fields, client 7. */
  static String orderStatus(int orderId, String status, int filled, int remaining, String avg) {
    return "3|" + orderId + "|" + status + "|" + filled + "|" + remaining + "|" + avg + "|" + permId(orderId) + "|0|" + avg
        + "|7||0.0|";
  }

  /** execDetails (11), 32 fields, client 7. */
  static String exec(int reqId, int orderId, String execId, String side, int shares, String price, int cum,
      String orderRef) {
    return "11|" + reqId + "|" + orderId + "|265598|AAPL|STK||0.0|||" // 1-10
        + "SMART|USD|AAPL|NMS|" + execId + "|20240102 09:31:05 US/Eastern|DU123456|ISLAND|" + side + "|" + shares
        + "|" // 11-20
        + price + "|" + permId(orderId) + "|7|0|" + cum + "|" + price + "|" + orderRef + "||||" // 21-30
        + "1|0|"; // 31-32
  }

  /** The permId IB would give order {@code orderId} in these tests. */
  static long permId(int orderId) {
    return 1376541000L + orderId;
  }

  /** commissionReport (59). */
  static String commission(String execId, String amount) {
    return "59|1|" + execId + "|" + amount + "|USD|" + M + "|" + M + "|0|";
  }

  /** errMsg (4) at 178, with the empty advancedOrderRejectJson. */
  static String error(int id, int code, String text) {
    return "4|2|" + id + "|" + code + "|" + text + "||";
  }
}
