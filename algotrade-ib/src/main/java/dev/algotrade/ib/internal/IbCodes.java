package dev.algotrade.ib.internal;

/**
 * Classification of IB error / notice codes (ib-protocol.md §5.4). Thread-safe (stateless).
 */
public final class IbCodes {
  private IbCodes() {}

  public static final int NOT_CONNECTED = 504;
  public static final int CONNECT_FAILED = 502;
  public static final int CLIENT_ID_IN_USE = 326;
  public static final int CONNECTIVITY_LOST = 1100;
  public static final int RESTORED_DATA_LOST = 1101;
  public static final int RESTORED_DATA_KEPT = 1102;
  public static final int SOCKET_PORT_RESET = 1300;
  public static final int NO_SECURITY_DEFINITION = 200;
  public static final int ORDER_REJECTED = 201;
  public static final int ORDER_CANCELLED = 202;
  public static final int DUPLICATE_ORDER_ID = 103;
  public static final int PRICE_INCREMENT = 110;
  public static final int HISTORICAL_DATA_ERROR = 162;
  public static final int MAX_RATE_EXCEEDED = 100;

  /** Farm-OK and similar notices sent at every connect: log, never a failure. */
  public static boolean isInformational(int code) {
    switch (code) {
      case 2100: case 2104: case 2106: case 2107: case 2108: case 2119: case 2158: case 2159:
      case 399: case 10167:
        return true;
      default:
        return false;
    }
  }

  /** Non-fatal warnings: something is degraded or odd, but no request or order failed. */
  public static boolean isWarning(int code) {
    if (code >= 2100 && code <= 2199) {
      return true;
    }
    switch (code) {
      case 105: case 165: case 321: case 329: case 404: case 434: case 492: case 10349:
      case 10197:
        return true;
      default:
        return false;
    }
  }

  /** Codes about the connection as a whole (whatever id they carry). */
  public static boolean isConnectionLevel(int code) {
    switch (code) {
      case CONNECTIVITY_LOST: case RESTORED_DATA_LOST: case RESTORED_DATA_KEPT: case SOCKET_PORT_RESET:
      case 2110: case CLIENT_ID_IN_USE: case CONNECT_FAILED: case NOT_CONNECTED: case MAX_RATE_EXCEEDED:
        return true;
      default:
        return false;
    }
  }

  /** A refusal of a cancel request (order already done, unknown, not cancellable). */
  public static boolean isCancelRefusal(int code) {
    return code == 161 || code == 10147 || code == 10148;
  }
}
