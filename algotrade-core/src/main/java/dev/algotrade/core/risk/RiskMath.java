package dev.algotrade.core.risk;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.PortfolioView;
import dev.algotrade.api.risk.RiskContext;
import java.util.Locale;

/** Shared arithmetic of the standard rules. Stateless. */
final class RiskMath {
  private RiskMath() {}

  /**
   * A price no fill of this order (or of working orders on its side) is expected to beat: the
   * highest of the mark, the quote's ask and bid, the order's limit and stop prices and the
   * working orders' limit/stop prices on the same side. NaN when nothing is known.
   */
  static double checkPrice(OrderRequest r, RiskContext ctx) {
    InstrumentId id = r.instrument();
    double p = ctx.portfolio().markPrice(id);
    Quote q = ctx.lastQuote(id);
    if (q != null) {
      p = max(p, q.ask() > 0 ? q.ask() : Double.NaN);
      p = max(p, q.bid() > 0 ? q.bid() : Double.NaN);
    }
    p = max(p, r.limitPrice());
    p = max(p, r.stopPrice());
    p = max(p, ctx.workingPriceBound(id, r.side()));
    return p;
  }

  /** max ignoring NaN. */
  static double max(double a, double b) {
    if (Double.isNaN(a)) {
      return b;
    }
    if (Double.isNaN(b)) {
      return a;
    }
    return Math.max(a, b);
  }

  /** The position if this order and every working order on its side filled. */
  static double positionAfter(OrderRequest r, RiskContext ctx) {
    InstrumentId id = r.instrument();
    double pos = ctx.portfolio().position(id);
    return r.side() == Side.BUY
        ? pos + ctx.workingBuyQuantity(id) + r.quantity()
        : pos - ctx.workingSellQuantity(id) - r.quantity();
  }

  /** Whether going from {@code pos} to {@code after} only brings the position toward zero. */
  static boolean reduces(double pos, double after) {
    return pos != 0 && Math.abs(after) <= Math.abs(pos) + 1e-9 && (after == 0 || Math.signum(after) == Math.signum(pos));
  }

  /** The value of one instrument's position in the gross sum now (mark, or average price before any mark). */
  static double positionValue(PortfolioView p, InstrumentId id, double multiplier) {
    double pos = p.position(id);
    if (pos == 0) {
      return 0;
    }
    double px = p.markPrice(id);
    if (Double.isNaN(px)) {
      px = p.averagePrice(id);
    }
    return Math.abs(pos * px * multiplier);
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String qty(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
