package dev.algotrade.api.order;

/** Order types every broker adapter supports. */
public enum OrderType {
  MARKET(false, false),
  LIMIT(true, false),
  STOP(false, true),
  STOP_LIMIT(true, true);

  private final boolean needsLimit;
  private final boolean needsStop;

  OrderType(boolean needsLimit, boolean needsStop) {
    this.needsLimit = needsLimit;
    this.needsStop = needsStop;
  }

  public boolean needsLimitPrice() {
    return needsLimit;
  }

  public boolean needsStopPrice() {
    return needsStop;
  }
}
