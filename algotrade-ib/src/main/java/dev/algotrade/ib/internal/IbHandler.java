package dev.algotrade.ib.internal;

/**
 * Receives decoded inbound messages, one method per message type, on the reader thread. Ticks
 * arrive as primitives so decoding them allocates nothing. Every method has a no-op default so
 * a handler overrides only what it consumes.
 *
 * <p>Implementations are called from the client's single reader thread (and from tests).
 */
public interface IbHandler {

  default void tickPrice(int tickerId, int tickType, double price, double size, int attrMask) {}

  default void tickSize(int tickerId, int tickType, double size) {}

  default void tickGeneric(int tickerId, int tickType, double value) {}

  default void tickString(int tickerId, int tickType, String value) {}

  default void tickSnapshotEnd(int tickerId) {}

  default void marketDataType(int tickerId, int type) {}

  default void tickReqParams(int tickerId, double minTick, String bboExchange, int snapshotPermissions) {}

  default void orderStatus(Inbound.OrderStatus msg) {}

  /**
   * errMsg (4). Returns whether this handler recognised {@code id} as its own (a request or order
   * id it issued), so the client can log errors nobody claims.
   */
  default boolean error(int id, int code, String text, String advancedOrderRejectJson) {
    return false;
  }

  default void openOrder(Inbound.OpenOrder msg) {}

  default void openOrderEnd() {}

  default void nextValidId(int orderId) {}

  default void managedAccounts(String accountsList) {}

  default void currentTime(long epochSeconds) {}

  default void contractData(Inbound.ContractData msg) {}

  default void contractDataEnd(int reqId) {}

  default void execDetails(Inbound.ExecDetails msg) {}

  default void execDetailsEnd(int reqId) {}

  default void commissionReport(Inbound.CommissionReport msg) {}

  default void historicalData(Inbound.HistoricalData msg) {}

  default void historicalDataUpdate(int reqId, int barCount, Inbound.HistoricalBar bar) {}

  default void position(Inbound.Position msg) {}

  default void positionEnd() {}

  default void accountSummary(Inbound.AccountSummary msg) {}

  default void accountSummaryEnd(int reqId) {}

  default void accountValue(String key, String value, String currency, String accountName) {}

  default void accountDownloadEnd(String accountName) {}
}
