package dev.algotrade.ib;

/** IB's market data types for reqMarketDataType (ib-protocol.md §3.14). Immutable. */
public enum IbMarketDataType {
  LIVE(1),
  FROZEN(2),
  DELAYED(3),
  DELAYED_FROZEN(4);

  private final int code;

  IbMarketDataType(int code) {
    this.code = code;
  }

  /** The wire code: 1 live, 2 frozen, 3 delayed, 4 delayed-frozen. */
  public int code() {
    return code;
  }

  /** The type for a wire code, or null if unknown. */
  public static IbMarketDataType ofCode(int code) {
    for (IbMarketDataType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
