package dev.algotrade.ib.internal;

import java.util.List;

/**
 * Typed inbound messages that are not on the tick hot path (ticks go straight to
 * {@link IbHandler} methods with primitive arguments). Field names follow ib-protocol.md §4;
 * Decimal quantities are {@code NaN} when unset. Immutable records, thread-safe.
 */
public final class Inbound {
  private Inbound() {}

  /** orderStatus (3). */
  public record OrderStatus(int orderId, String status, double filled, double remaining,
      double avgFillPrice, long permId, int parentId, double lastFillPrice, int clientId,
      String whyHeld, double mktCapPrice) {}

  /**
   * openOrder (5): the identity prefix (positions 2-30) plus the order state status (86). When
   * the walk to position 86 fails, {@code status} is empty and {@code complete} is false.
   */
  public record OpenOrder(int orderId, IbContract contract, String action, double totalQuantity,
      String orderType, double lmtPrice, double auxPrice, String tif, String account,
      String orderRef, int clientId, long permId, String status, boolean complete) {}

  /** execDetails (11). {@code reqId} is -1 for live fills. */
  public record ExecDetails(int reqId, int orderId, IbContract contract, String execId, String time,
      String account, String exchange, String side, double shares, double price, long permId,
      int clientId, int liquidation, double cumQty, double avgPrice, String orderRef,
      int lastLiquidity, boolean pendingPriceRevision) {}

  /** commissionReport (59). {@code realizedPnl} and {@code yield} are NaN when unset. */
  public record CommissionReport(String execId, double commission, String currency,
      double realizedPnl, double yield, String yieldRedemptionDate) {}

  /** contractData (10), the fields we use. */
  public record ContractData(int reqId, IbContract contract, String marketName, double minTick,
      String orderTypes, String validExchanges, String longName, String timeZoneId,
      double minSize, double sizeIncrement) {}

  /** One bar of historicalData (17) or historicalDataUpdate (90). */
  public record HistoricalBar(String date, double open, double high, double low, double close,
      double volume, double wap, int count) {}

  /** historicalData (17): all bars of one request in one message. */
  public record HistoricalData(int reqId, String startDate, String endDate, List<HistoricalBar> bars) {
    public HistoricalData {
      bars = List.copyOf(bars);
    }
  }

  /** position (61). */
  public record Position(String account, IbContract contract, double position, double avgCost) {}

  /** accountSummary (63). */
  public record AccountSummary(int reqId, String account, String tag, String value, String currency) {}
}
