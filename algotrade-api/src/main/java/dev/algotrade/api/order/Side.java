package dev.algotrade.api.order;

/** Buy or sell. */
public enum Side {
  BUY(1),
  SELL(-1);

  private final int sign;

  Side(int sign) {
    this.sign = sign;
  }

  /** +1 for BUY, -1 for SELL: {@code signedQuantity = sign() * quantity}. */
  public int sign() {
    return sign;
  }

  public Side opposite() {
    return this == BUY ? SELL : BUY;
  }

  /** The side that moves a position by {@code signedDelta} (> 0 buys, < 0 sells). */
  public static Side of(double signedDelta) {
    if (!(signedDelta != 0) || Double.isNaN(signedDelta)) {
      throw new IllegalArgumentException("signedDelta must be non-zero, was " + signedDelta);
    }
    return signedDelta > 0 ? BUY : SELL;
  }
}
