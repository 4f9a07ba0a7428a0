package dev.algotrade.core.paper;

/**
 * What an order costs. Brokers charge per order: the model gives the total commission of an
 * order that has filled {@code filledQuantity} for {@code filledNotional} so far, and each
 * execution is charged the increase. So a minimum per order is paid once, however many partial
 * fills the order takes. Implementations are immutable, thread-safe, and never decrease as
 * fills are added.
 */
@FunctionalInterface
public interface CommissionModel {

  /** Total commission for an order with these cumulative fills (notional = qty x price x multiplier). */
  double orderCommission(double filledQuantity, double filledNotional);

  /** No commission. */
  static CommissionModel none() {
    return (q, n) -> 0;
  }

  /**
   * IB-like fixed pricing for US stocks: {@code perShare} per share, at least {@code minimum}
   * per order, at most {@code maxPercent} of the order's trade value.
   */
  static CommissionModel perShare(double perShare, double minimum, double maxPercent) {
    if (!(perShare >= 0) || !(minimum >= 0) || !(maxPercent > 0)) {
      throw new IllegalArgumentException("perShare and minimum must be >= 0 and maxPercent > 0, was perShare="
          + perShare + " minimum=" + minimum + " maxPercent=" + maxPercent);
    }
    return (q, n) -> {
      double c = Math.max(minimum, q * perShare);
      double cap = n * maxPercent / 100.0;
      return Math.round(Math.min(c, cap) * 1e8) / 1e8;
    };
  }

  /** The default: $0.005 a share, $1.00 minimum per order, 1% cap (IB's fixed US stock rate). */
  static CommissionModel ibFixed() {
    return perShare(0.005, 1.0, 1.0);
  }
}
