package dev.algotrade.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.algotrade.api.order.Fill;
import dev.algotrade.core.RunSummary;
import dev.algotrade.core.TradingSystem;
import dev.algotrade.core.paper.PaperBroker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example bot, run for a while with the SQLite store, leaves a database whose fills, order
 * events and daily P&L agree with the paper broker's own record.
 */
class StoreAgreementTest {

  @Test
  void databaseAgreesWithThePaperBroker(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("bot.db");
    PaperBroker broker = PaperBroker.create();
    // 300k quotes of 100 ms from 09:30 New York: 8.3 hours, so the 17:00 day roll is crossed
    TradingSystem sys = ExampleBot.replaySystem(ExampleBot.Options.parse(
        new String[] {"--replay", "--seed", "11", "--events", "300000", "--db", db.toString()}), broker);
    RunSummary r = sys.run();
    assertThat(r.fills()).isPositive();

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      assertThat(one(st, "PRAGMA integrity_check")).isEqualTo("ok");
      // every fill exactly once, with the broker's quantities, prices and commissions
      Map<String, Fill> byExec = new HashMap<>();
      for (Fill f : broker.fills()) {
        byExec.put(f.executionId(), f);
      }
      int rows = 0;
      try (ResultSet rs = st.executeQuery("SELECT execution_id, quantity, price, commission, client_order_id FROM fills")) {
        while (rs.next()) {
          rows++;
          Fill f = byExec.get(rs.getString(1));
          assertThat(f).as("fill %s known to the broker", rs.getString(1)).isNotNull();
          assertThat(rs.getDouble(2)).isEqualTo(f.quantity());
          assertThat(rs.getDouble(3)).isEqualTo(f.price());
          assertThat(rs.getDouble(4)).isCloseTo(f.commission(), within(1e-9));
          assertThat(rs.getString(5)).isEqualTo(f.clientOrderId().value());
        }
      }
      assertThat(rows).isEqualTo(broker.fills().size());
      // every fill shows up as an order event too, and every order has its submission event
      assertThat(count(st, "SELECT COUNT(*) FROM order_events WHERE event = 'OrderFilled'")).isEqualTo(rows);
      assertThat(count(st, "SELECT COUNT(*) FROM order_events WHERE event = 'OrderSubmitted'"))
          .isEqualTo(r.ordersSubmitted());
      assertThat(count(st, "SELECT COUNT(*) FROM orders")).isEqualTo(r.ordersSubmitted());
      // the daily P&L rows add up to the run's P&L, and their commissions to the broker's
      double dayPnl = 0;
      double dayCommissions = 0;
      int days = 0;
      try (ResultSet rs = st.executeQuery("SELECT start_equity, end_equity, commissions FROM daily_pnl ORDER BY trading_day")) {
        while (rs.next()) {
          days++;
          dayPnl += rs.getDouble(2) - rs.getDouble(1);
          dayCommissions += rs.getDouble(3);
        }
      }
      assertThat(days).isGreaterThanOrEqualTo(2);
      assertThat(dayPnl).isCloseTo(r.totalPnl(), within(1e-6));
      assertThat(dayCommissions).isCloseTo(broker.commissionsPaid(), within(1e-6));
    }
  }

  private static String one(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long count(Statement st, String sql) throws SQLException {
    return Long.parseLong(one(st, sql));
  }
}
