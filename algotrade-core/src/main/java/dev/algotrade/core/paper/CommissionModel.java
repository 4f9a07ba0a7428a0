package dev.algotrade.core.paper;

/** What one execution costs. Implementations are immutable and thread-safe. */
@FunctionalInterface
public interface CommissionModel {

  /** Commission for {@code quantity} at {@code price} (notional = quantity x price x multiplier). */
  double commission(double quantity, double price, double multiplier);

  /** No commission. */
  static CommissionModel none() {
    return (q, p, m) -> 0;
  }

  /**
   * IB-like fixed pricing for US stocks: {@code perShare} per share, at least {@code minimum}
   * per order execution, at most {@code maxPercent} of the trade value.
   */
  static CommissionModel perShare(double perShare, double minimum, double maxPercent) {
    if (!(perShare >= 0) || !(minimum >= 0) || !(maxPercent > 0)) {
      throw new IllegalArgumentException("perShare and minimum must be >= 0 and maxPercent > 0, was perShare="
          + perShare + " minimum=" + minimum + " maxPercent=" + maxPercent);
    }
    return (q, p, m) -> {
      double c = Math.max(minimum, q * perShare);
      double cap = q * p * m * maxPercent / 100.0;
      return Math.round(Math.min(c, cap) * 1e8) / 1e8;
    };
  }

  /** The default: $0.005 a share, $1.00 minimum, 1% cap (IB's fixed US stock rate). */
  static CommissionModel ibFixed() {
    return perShare(0.005, 1.0, 1.0);
  }
}
