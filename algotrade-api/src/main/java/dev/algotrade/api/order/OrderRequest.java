package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;
import dev.algotrade.api.market.InstrumentId;

/**
 * What a strategy asks for. Quantity is positive; the side gives the direction. Prices that the
 * type does not use are {@code NaN}; prices it uses are finite and > 0. Use the factories:
 * {@code OrderRequest.limit(id, Side.BUY, 100, 150.25).withTimeInForce(TimeInForce.GTC)}.
 *
 * @param tag free text carried to the broker and the store (never null; may be empty)
 */
public record OrderRequest(
    InstrumentId instrument,
    Side side,
    double quantity,
    OrderType type,
    double limitPrice,
    double stopPrice,
    TimeInForce timeInForce,
    String tag) {

  public OrderRequest {
    Checks.notNull(instrument, "OrderRequest.instrument");
    Checks.notNull(side, "OrderRequest.side");
    Checks.positive(quantity, "OrderRequest.quantity");
    Checks.notNull(type, "OrderRequest.type");
    Checks.notNull(timeInForce, "OrderRequest.timeInForce");
    Checks.notNull(tag, "OrderRequest.tag");
    if (type.needsLimitPrice()) {
      Checks.positive(limitPrice, "OrderRequest.limitPrice (" + type + ")");
    } else if (!Double.isNaN(limitPrice)) {
      throw new IllegalArgumentException(
          "OrderRequest.limitPrice must be NaN for a " + type + " order, was " + limitPrice);
    }
    if (type.needsStopPrice()) {
      Checks.positive(stopPrice, "OrderRequest.stopPrice (" + type + ")");
    } else if (!Double.isNaN(stopPrice)) {
      throw new IllegalArgumentException(
          "OrderRequest.stopPrice must be NaN for a " + type + " order, was " + stopPrice);
    }
  }

  public static OrderRequest market(InstrumentId instrument, Side side, double quantity) {
    return new OrderRequest(instrument, side, quantity, OrderType.MARKET, Double.NaN, Double.NaN, TimeInForce.DAY, "");
  }

  public static OrderRequest limit(InstrumentId instrument, Side side, double quantity, double limitPrice) {
    return new OrderRequest(instrument, side, quantity, OrderType.LIMIT, limitPrice, Double.NaN, TimeInForce.DAY, "");
  }

  public static OrderRequest stop(InstrumentId instrument, Side side, double quantity, double stopPrice) {
    return new OrderRequest(instrument, side, quantity, OrderType.STOP, Double.NaN, stopPrice, TimeInForce.DAY, "");
  }

  public static OrderRequest stopLimit(
      InstrumentId instrument, Side side, double quantity, double stopPrice, double limitPrice) {
    return new OrderRequest(instrument, side, quantity, OrderType.STOP_LIMIT, limitPrice, stopPrice, TimeInForce.DAY, "");
  }

  public OrderRequest withTimeInForce(TimeInForce tif) {
    return new OrderRequest(instrument, side, quantity, type, limitPrice, stopPrice, tif, tag);
  }

  public OrderRequest withTag(String newTag) {
    return new OrderRequest(instrument, side, quantity, type, limitPrice, stopPrice, timeInForce, newTag);
  }

  public OrderRequest withQuantity(double newQuantity) {
    return new OrderRequest(instrument, side, newQuantity, type, limitPrice, stopPrice, timeInForce, tag);
  }

  /** {@code +quantity} for a buy, {@code -quantity} for a sell. */
  public double signedQuantity() {
    return side.sign() * quantity;
  }

  /** Compact text for logs: {@code BUY 100 AAPL LIMIT 150.25 DAY}. */
  public String describe() {
    StringBuilder sb = new StringBuilder().append(side).append(' ').append(fmt(quantity)).append(' ')
        .append(instrument).append(' ').append(type);
    if (type.needsStopPrice()) {
      sb.append(" stop=").append(stopPrice);
    }
    if (type.needsLimitPrice()) {
      sb.append(" limit=").append(limitPrice);
    }
    sb.append(' ').append(timeInForce);
    if (!tag.isEmpty()) {
      sb.append(" tag=").append(tag);
    }
    return sb.toString();
  }

  private static String fmt(double q) {
    return q == Math.rint(q) && Math.abs(q) < 1e15 ? Long.toString((long) q) : Double.toString(q);
  }
}
