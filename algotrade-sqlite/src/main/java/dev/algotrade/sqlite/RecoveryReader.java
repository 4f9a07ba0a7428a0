package dev.algotrade.sqlite;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.BrokerOrderId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.OrderType;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.order.TimeInForce;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.store.BreakerState;
import dev.algotrade.api.store.RecoveryState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Reads a {@link RecoveryState} from the file with Jdbi (reads are few and not on a hot path).
 * Stateless.
 */
final class RecoveryReader {
  private RecoveryReader() {}

  static RecoveryState load(Handle h, LocalDate day) {
    String d = day.toString();
    double realized = 0;
    for (double v : h.createQuery("SELECT realized_pnl FROM fills WHERE trading_day = :d ORDER BY id")
        .bind("d", d).mapTo(Double.class).list()) {
      realized += v;
    }
    double[] equity = h.createQuery("SELECT start_equity, peak_equity FROM daily_pnl WHERE trading_day = :d")
        .bind("d", d)
        .map((rs, ctx) -> new double[] {rs.getDouble(1), rs.getDouble(2)})
        .findOne().orElse(new double[] {Double.NaN, Double.NaN});
    BreakerState breaker = h.createQuery(
            "SELECT trading_day, state, reason, since_ns FROM breaker_states ORDER BY id DESC LIMIT 1")
        .map((rs, ctx) -> new BreakerState(LocalDate.parse(rs.getString(1)), TradingState.valueOf(rs.getString(2)),
            rs.getString(3), StoreWriter.instant(rs.getLong(4))))
        .findOne().orElse(null);
    List<Order> open = h.createQuery("SELECT * FROM orders WHERE status IN ('PENDING_SUBMIT','ACCEPTED',"
            + "'PARTIALLY_FILLED') ORDER BY created_ns, client_order_id")
        .map((rs, ctx) -> order(rs))
        .list();
    List<Position> positions = positions(h);
    long next = 1;
    for (String id : h.createQuery("SELECT client_order_id FROM orders UNION SELECT client_order_id FROM fills"
            + " WHERE client_order_id IS NOT NULL")
        .mapTo(String.class).list()) {
      long seq = sequenceOf(id);
      if (seq >= next) {
        next = seq + 1;
      }
    }
    // fills_by_day serves the range; ISO dates compare as text
    Set<String> execIds = new HashSet<>(h.createQuery(
            "SELECT execution_id FROM fills WHERE trading_day BETWEEN :from AND :d")
        .bind("from", day.minusDays(RecoveryState.EXECUTION_ID_DAYS).toString())
        .bind("d", d)
        .mapTo(String.class).list());
    return new RecoveryState(day, realized, equity[0], equity[1], breaker, open, positions, next, execIds);
  }

  static Order order(ResultSet rs) throws SQLException {
    OrderRequest request = new OrderRequest(
        InstrumentId.of(rs.getString("instrument")),
        Side.valueOf(rs.getString("side")),
        rs.getDouble("quantity"),
        OrderType.valueOf(rs.getString("order_type")),
        real(rs, "limit_price"),
        real(rs, "stop_price"),
        TimeInForce.valueOf(rs.getString("time_in_force")),
        rs.getString("tag"));
    String broker = rs.getString("broker_order_id");
    return new Order(
        ClientOrderId.of(rs.getString("client_order_id")),
        broker == null ? null : BrokerOrderId.of(broker),
        request,
        OrderStatus.valueOf(rs.getString("status")),
        rs.getDouble("filled_quantity"),
        real(rs, "average_fill_price"),
        StoreWriter.instant(rs.getLong("created_ns")),
        StoreWriter.instant(rs.getLong("updated_ns")),
        rs.getString("reason"));
  }

  private static double real(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? Double.NaN : v;
  }

  /** Net position per instrument over every stored fill, in the order they were stored. */
  private static List<Position> positions(Handle h) {
    Map<String, double[]> book = new TreeMap<>();
    h.createQuery("SELECT instrument, side, quantity, price FROM fills ORDER BY id")
        .map((rs, ctx) -> {
          double[] p = book.computeIfAbsent(rs.getString(1), k -> new double[2]);
          double signed = Side.valueOf(rs.getString(2)).sign() * rs.getDouble(3);
          apply(p, signed, rs.getDouble(4));
          return Boolean.TRUE;
        })
        .list();
    List<Position> out = new ArrayList<>();
    for (Map.Entry<String, double[]> e : book.entrySet()) {
      if (e.getValue()[0] != 0) {
        out.add(new Position(InstrumentId.of(e.getKey()), e.getValue()[0], e.getValue()[1]));
      }
    }
    return out;
  }

  /**
   * Applies a fill to {@code p = {quantity, averagePrice}}: an opening fill averages in, a
   * reduction keeps the average, a flip through zero starts again at the fill's price, flat
   * resets the average to 0. Quantities within 1e-9 of zero count as flat.
   */
  static void apply(double[] p, double signed, double price) {
    double q = p[0];
    double after = q + signed;
    if (Math.abs(after) < 1e-9) {
      p[0] = 0;
      p[1] = 0;
    } else if (q == 0 || Math.signum(q) == Math.signum(signed)) {
      p[1] = (Math.abs(q) * p[1] + Math.abs(signed) * price) / Math.abs(after);
      p[0] = after;
    } else if (Math.signum(after) == Math.signum(q)) {
      p[0] = after;
    } else {
      p[0] = after;
      p[1] = price;
    }
  }

  /** The digits after the last '-' of an engine client order id, or 0 if there are none. */
  static long sequenceOf(String id) {
    int dash = id.lastIndexOf('-');
    if (dash < 0 || dash == id.length() - 1 || id.length() - dash - 1 > 18) {
      return 0;
    }
    long v = 0;
    for (int i = dash + 1; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
