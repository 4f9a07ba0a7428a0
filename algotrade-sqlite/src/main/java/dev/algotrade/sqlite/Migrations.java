package dev.algotrade.sqlite;

import dev.algotrade.api.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The versioned schema. Each migration is frozen once released: a change is a new version
 * appended to {@link #MIGRATIONS}, never an edit of an old one. The applied versions are rows
 * of {@code schema_version}; the file is marked as ours with {@code PRAGMA application_id}.
 *
 * <p>Stateless; the methods run on whatever connection they are given.
 */
final class Migrations {
  /** {@code PRAGMA application_id} of an AlgoTrade store: the bytes 'A','L','G','T'. */
  static final int APPLICATION_ID = 0x414C4754;

  private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private static final String WORKING = "('PENDING_SUBMIT','ACCEPTED','PARTIALLY_FILLED')";

  /** Version 1: the tables of the audit trail. */
  private static final String[] V1 = {
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
        + " applied_ns INTEGER NOT NULL)",
    "CREATE TABLE instruments (id INTEGER PRIMARY KEY, instrument TEXT NOT NULL UNIQUE, symbol TEXT,"
        + " sec_type TEXT, exchange TEXT, currency TEXT, tick_size REAL, lot_size REAL, multiplier REAL)",
    "CREATE TABLE quotes (instrument_ref INTEGER NOT NULL, ts_ns INTEGER NOT NULL, bid REAL NOT NULL,"
        + " ask REAL NOT NULL, bid_size REAL NOT NULL, ask_size REAL NOT NULL)",
    // no per-row index on quotes (it would cost a third of the insert time and size): each
    // committed batch writes one quote_blocks row with its time span and rowid range instead
    "CREATE TABLE quote_blocks (first_rowid INTEGER PRIMARY KEY, last_rowid INTEGER NOT NULL,"
        + " min_ts_ns INTEGER NOT NULL, max_ts_ns INTEGER NOT NULL)",
    "CREATE INDEX quote_blocks_by_time ON quote_blocks(max_ts_ns, min_ts_ns)",
    "CREATE TABLE market_trades (instrument_ref INTEGER NOT NULL, ts_ns INTEGER NOT NULL,"
        + " price REAL NOT NULL, size REAL NOT NULL)",
    "CREATE INDEX market_trades_by_time ON market_trades(ts_ns)",
    "CREATE TABLE bars (instrument_ref INTEGER NOT NULL, period_s INTEGER NOT NULL, start_ns INTEGER NOT NULL,"
        + " open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,"
        + " volume REAL NOT NULL, PRIMARY KEY (instrument_ref, period_s, start_ns)) WITHOUT ROWID",
    "CREATE TABLE orders (client_order_id TEXT PRIMARY KEY, broker_order_id TEXT, instrument TEXT NOT NULL,"
        + " side TEXT NOT NULL, quantity REAL NOT NULL, order_type TEXT NOT NULL, limit_price REAL,"
        + " stop_price REAL, time_in_force TEXT NOT NULL, tag TEXT NOT NULL, status TEXT NOT NULL,"
        + " filled_quantity REAL NOT NULL, average_fill_price REAL, reason TEXT NOT NULL,"
        + " created_ns INTEGER NOT NULL, updated_ns INTEGER NOT NULL)",
    "CREATE INDEX orders_working ON orders(created_ns) WHERE status IN " + WORKING,
    "CREATE INDEX orders_by_broker_id ON orders(broker_order_id)",
    "CREATE INDEX orders_by_created ON orders(created_ns)",
    "CREATE TABLE order_events (id INTEGER PRIMARY KEY, client_order_id TEXT, broker_order_id TEXT,"
        + " event TEXT NOT NULL, status_after TEXT, code TEXT, reason TEXT NOT NULL, execution_id TEXT,"
        + " ts_ns INTEGER NOT NULL)",
    "CREATE INDEX order_events_by_order ON order_events(client_order_id, id)",
    "CREATE INDEX order_events_by_time ON order_events(ts_ns)",
    "CREATE TABLE fills (id INTEGER PRIMARY KEY, execution_id TEXT NOT NULL UNIQUE, client_order_id TEXT,"
        + " instrument TEXT NOT NULL, side TEXT NOT NULL, quantity REAL NOT NULL, price REAL NOT NULL,"
        + " commission REAL NOT NULL, realized_pnl REAL NOT NULL, trading_day TEXT NOT NULL,"
        + " ts_ns INTEGER NOT NULL)",
    "CREATE INDEX fills_by_day ON fills(trading_day)",
    "CREATE INDEX fills_by_order ON fills(client_order_id)",
    "CREATE INDEX fills_by_time ON fills(ts_ns)",
    "CREATE TABLE risk_events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, code TEXT NOT NULL,"
        + " details TEXT NOT NULL, ts_ns INTEGER NOT NULL)",
    "CREATE INDEX risk_events_by_time ON risk_events(ts_ns)",
    "CREATE TABLE breaker_states (id INTEGER PRIMARY KEY, trading_day TEXT NOT NULL, state TEXT NOT NULL,"
        + " reason TEXT NOT NULL, since_ns INTEGER NOT NULL)",
    "CREATE TABLE daily_pnl (trading_day TEXT PRIMARY KEY, realized_pnl REAL NOT NULL,"
        + " unrealized_pnl REAL NOT NULL, commissions REAL NOT NULL, start_equity REAL NOT NULL,"
        + " end_equity REAL NOT NULL, peak_equity REAL NOT NULL, trough_equity REAL NOT NULL,"
        + " fills INTEGER NOT NULL, updated_ns INTEGER NOT NULL)",
    "CREATE TABLE alerts (id INTEGER PRIMARY KEY, severity TEXT NOT NULL, title TEXT NOT NULL,"
        + " text TEXT NOT NULL, alert_key TEXT NOT NULL, suppressed INTEGER NOT NULL, ts_ns INTEGER NOT NULL)",
    "CREATE TABLE heartbeat (id INTEGER PRIMARY KEY CHECK (id = 1), ts_ns INTEGER NOT NULL)",
  };

  /** Version 2: reconciliation snapshots, the writer's own row, the audit views. */
  private static final String[] V2 = {
    "CREATE TABLE position_snapshots (id INTEGER PRIMARY KEY, snapshot_ns INTEGER NOT NULL,"
        + " source TEXT NOT NULL, instrument TEXT NOT NULL, quantity REAL NOT NULL, average_price REAL NOT NULL)",
    "CREATE INDEX position_snapshots_by_time ON position_snapshots(snapshot_ns)",
    "CREATE INDEX alerts_by_time ON alerts(ts_ns)",
    "CREATE TABLE writer_state (id INTEGER PRIMARY KEY CHECK (id = 1), flushes INTEGER NOT NULL,"
        + " last_flush_ns INTEGER NOT NULL)",
    // fills (our trades) per trading day and instrument
    "CREATE VIEW v_trades_per_day AS SELECT trading_day, instrument, COUNT(*) AS fills,"
        + " SUM(CASE WHEN side = 'BUY' THEN quantity ELSE 0.0 END) AS bought,"
        + " SUM(CASE WHEN side = 'SELL' THEN quantity ELSE 0.0 END) AS sold,"
        + " SUM(quantity * price) AS notional, SUM(commission) AS commissions,"
        + " SUM(realized_pnl) AS realized_pnl FROM fills GROUP BY trading_day, instrument",
    // per trading day: what the fills say next to what the engine wrote at the day's close
    "CREATE VIEW v_pnl_per_day AS SELECT f.trading_day, f.fills, f.realized_pnl AS fills_realized_pnl,"
        + " f.commissions AS fills_commissions, d.realized_pnl, d.unrealized_pnl, d.commissions,"
        + " d.start_equity, d.end_equity, d.end_equity - d.start_equity AS total_pnl, d.peak_equity,"
        + " d.trough_equity FROM (SELECT trading_day, COUNT(*) AS fills, SUM(realized_pnl) AS realized_pnl,"
        + " SUM(commission) AS commissions FROM fills GROUP BY trading_day) f"
        + " LEFT JOIN daily_pnl d ON d.trading_day = f.trading_day"
        + " UNION ALL SELECT d.trading_day, 0, 0, 0, d.realized_pnl, d.unrealized_pnl, d.commissions,"
        + " d.start_equity, d.end_equity, d.end_equity - d.start_equity, d.peak_equity, d.trough_equity"
        + " FROM daily_pnl d WHERE NOT EXISTS (SELECT 1 FROM fills x WHERE x.trading_day = d.trading_day)",
    // the life of one order: every event and every fill, in time order
    "CREATE VIEW v_order_life AS SELECT e.client_order_id, e.ts_ns, e.event AS step, e.status_after,"
        + " e.code, e.reason, e.execution_id, NULL AS quantity, NULL AS price, NULL AS commission, e.id AS seq"
        + " FROM order_events e UNION ALL SELECT f.client_order_id, f.ts_ns, 'Fill', NULL, NULL,"
        + " o.tag, f.execution_id, f.quantity, f.price, f.commission, f.id"
        + " FROM fills f LEFT JOIN orders o ON o.client_order_id = f.client_order_id",
  };

  private static final List<String[]> MIGRATIONS = List.of(V1, V2);
  private static final List<String> DESCRIPTIONS = List.of(
      "audit trail tables", "position snapshots, writer state, audit views");

  /** The schema version this code writes. */
  static final int LATEST = MIGRATIONS.size();

  private Migrations() {}

  /**
   * Refuses a file that is not an SQLite database before SQLite touches it (SQLite would
   * otherwise happily turn an empty-looking file into a database). A missing or empty file
   * passes: it becomes a new store.
   */
  static void checkHeader(Path path) {
    try {
      if (!Files.exists(path) || Files.size(path) == 0) {
        return;
      }
      byte[] head = new byte[SQLITE_HEADER.length];
      int n;
      try (InputStream in = Files.newInputStream(path)) {
        n = in.readNBytes(head, 0, head.length);
      }
      if (n < head.length || !Arrays.equals(head, SQLITE_HEADER)) {
        throw new StoreException("store file " + path + " is not an SQLite database (its first "
            + n + " bytes are not the SQLite header); refusing to open it, the file was not changed");
      }
    } catch (IOException e) {
      throw new StoreException("cannot read store file " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the current version of an open database: 0 for an empty database, or throws if the
   * database belongs to something else or is newer than this code.
   */
  static int currentVersion(Connection c, Path path) throws SQLException {
    int appId;
    List<String> tables = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("PRAGMA application_id")) {
        appId = rs.next() ? rs.getInt(1) : 0;
      }
      try (ResultSet rs = st.executeQuery(
          "SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
    }
    if (appId != APPLICATION_ID) {
      if (tables.isEmpty() && appId == 0) {
        return 0;
      }
      throw new StoreException("store file " + path + " is a foreign SQLite database (application_id="
          + appId + ", tables=" + abbreviate(tables) + "), not an AlgoTrade store; refusing to use it,"
          + " the file was not changed");
    }
    if (!tables.contains("schema_version")) {
      throw new StoreException("store file " + path + " is marked as an AlgoTrade store but has no"
          + " schema_version table; it is damaged, refusing to use it");
    }
    int version;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version > LATEST) {
      throw new StoreException("store file " + path + " has schema version " + version
          + ", newer than this AlgoTrade supports (" + LATEST + "); use a newer AlgoTrade or another file");
    }
    return version;
  }

  /**
   * Applies every migration above {@code from} up to {@code target}, each in its own
   * transaction together with its schema_version row.
   */
  static void migrate(Connection c, int from, int target, long nowNanos) throws SQLException {
    if (target < from || target > LATEST) {
      throw new IllegalArgumentException("target schema version must be in [" + from + ", " + LATEST
          + "], was " + target);
    }
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      for (int v = from + 1; v <= target; v++) {
        for (String ddl : MIGRATIONS.get(v - 1)) {
          st.execute(ddl);
        }
        if (v == 1) {
          st.execute("PRAGMA application_id = " + APPLICATION_ID);
        }
        try (var ps = c.prepareStatement(
            "INSERT INTO schema_version(version, description, applied_ns) VALUES (?, ?, ?)")) {
          ps.setInt(1, v);
          ps.setString(2, DESCRIPTIONS.get(v - 1));
          ps.setLong(3, nowNanos);
          ps.executeUpdate();
        }
        c.commit();
      }
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static String abbreviate(List<String> tables) {
    return tables.size() <= 8 ? tables.toString() : tables.subList(0, 8) + "...";
  }
}
