package dev.algotrade.sqlite;

import dev.algotrade.api.StoreException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Exports part of a store to CSV, for audit and spreadsheets. Reads through its own read-only
 * connection, so it may run while the bot is writing (WAL readers do not block the writer).
 *
 * <pre>
 * java -cp ... dev.algotrade.sqlite.SqliteExport --db data/algotrade.db \
 *     --from 2024-01-02 --to 2024-01-05 --what fills --format csv --out fills.csv
 * </pre>
 *
 * <p>Date ranges are inclusive. Fills and daily P&amp;L are selected by their trading day; ticks,
 * trades, bars, orders (by creation time) and order events by the UTC date of their timestamp.
 * Times are written as ISO-8601 UTC instants with nanoseconds. Only CSV: see docs/store.md on
 * Parquet. Stateless; thread-safe.
 */
public final class SqliteExport {

  /** What to export. */
  public enum What {
    /** Quotes (best bid and offer). */
    TICKS("SELECT q.ts_ns AS time, i.instrument, q.bid, q.ask, q.bid_size, q.ask_size"
        + " FROM quote_blocks b JOIN quotes q ON q.rowid BETWEEN b.first_rowid AND b.last_rowid"
        + " JOIN instruments i ON i.id = q.instrument_ref"
        + " WHERE b.max_ts_ns >= :fromNs AND b.min_ts_ns < :toNs AND q.ts_ns >= :fromNs AND q.ts_ns < :toNs"
        + " ORDER BY q.ts_ns, q.rowid"),
    /** Market trades (last sales). */
    TRADES("SELECT t.ts_ns AS time, i.instrument, t.price, t.size FROM market_trades t"
        + " JOIN instruments i ON i.id = t.instrument_ref WHERE t.ts_ns >= :fromNs AND t.ts_ns < :toNs"
        + " ORDER BY t.ts_ns, t.rowid"),
    BARS("SELECT b.start_ns AS time, i.instrument, b.period_s, b.open, b.high, b.low, b.close, b.volume FROM bars b"
        + " JOIN instruments i ON i.id = b.instrument_ref WHERE b.start_ns >= :fromNs AND b.start_ns < :toNs"
        + " ORDER BY b.start_ns, i.instrument"),
    ORDERS("SELECT created_ns AS time, client_order_id, broker_order_id, instrument, side, quantity, order_type,"
        + " limit_price, stop_price, time_in_force, tag, status, filled_quantity, average_fill_price, reason,"
        + " updated_ns AS updated FROM orders WHERE created_ns >= :fromNs AND created_ns < :toNs"
        + " ORDER BY created_ns, client_order_id"),
    EVENTS("SELECT ts_ns AS time, client_order_id, broker_order_id, event, status_after, code, reason, execution_id"
        + " FROM order_events WHERE ts_ns >= :fromNs AND ts_ns < :toNs ORDER BY id"),
    FILLS("SELECT ts_ns AS time, trading_day, execution_id, client_order_id, instrument, side, quantity, price,"
        + " commission, realized_pnl FROM fills WHERE trading_day >= :fromDay AND trading_day <= :toDay ORDER BY id"),
    PNL("SELECT trading_day, realized_pnl, unrealized_pnl, commissions, start_equity, end_equity, peak_equity,"
        + " trough_equity, fills, updated_ns AS updated FROM daily_pnl"
        + " WHERE trading_day >= :fromDay AND trading_day <= :toDay ORDER BY trading_day");

    private final String sql;

    What(String sql) {
      this.sql = sql;
    }

    public static What parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--what must be one of ticks, trades, bars, orders, events, fills, pnl;"
            + " was '" + s + "'", e);
      }
    }
  }

  private SqliteExport() {}

  /**
   * Writes the rows of {@code what} between {@code from} and {@code to} (inclusive) as CSV with a
   * header line.
   *
   * @return the number of data rows written
   * @throws StoreException if the file is missing, not a store, or cannot be read
   */
  public static long exportCsv(Path db, What what, LocalDate from, LocalDate to, Writer out) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to must not be before --from, was from=" + from + " to=" + to);
    }
    if (!Files.isRegularFile(db)) {
      throw new StoreException("store file " + db + " does not exist");
    }
    Migrations.checkHeader(db);
    Jdbi jdbi = Jdbi.create(SqliteStore.dataSource(db, true));
    try (Handle h = jdbi.open()) {
      try {
        if (Migrations.currentVersion(h.getConnection(), db) == 0) {
          throw new StoreException("store file " + db + " is empty: nothing to export");
        }
      } catch (SQLException e) {
        throw new StoreException("store file " + db + " is corrupt or not an SQLite database: " + e.getMessage(), e);
      }
      long[] rows = {0};
      boolean[] header = {false};
      h.createQuery(what.sql)
          .bind("fromNs", from.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000_000L)
          .bind("toNs", to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000_000L)
          .bind("fromDay", from.toString())
          .bind("toDay", to.toString())
          .map((rs, ctx) -> {
            if (!header[0]) {
              writeHeader(rs.getMetaData(), out);
              header[0] = true;
            }
            writeRow(rs, out);
            return Boolean.TRUE;
          })
          .forEach(x -> rows[0]++);
      if (!header[0]) {
        // no rows: still a header, so the file is a valid, empty table
        try (var ps = h.getConnection().prepareStatement(what.sql.replaceAll(":[a-zA-Z]+", "?"))) {
          writeHeader(ps.getMetaData(), out);
        }
      }
      out.flush();
      return rows[0];
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the export: " + e.getMessage(), e);
    } catch (SQLException | JdbiException e) {
      throw new StoreException("cannot read store file " + db + ": " + e.getMessage(), e);
    }
  }

  private static void writeHeader(ResultSetMetaData md, Writer out) throws SQLException {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      if (i > 1) {
        sb.append(',');
      }
      sb.append(md.getColumnLabel(i));
    }
    write(out, sb.append('\n'));
  }

  private static void writeRow(ResultSet rs, Writer out) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    StringBuilder sb = new StringBuilder(128);
    for (int i = 1; i <= md.getColumnCount(); i++) {
      if (i > 1) {
        sb.append(',');
      }
      String label = md.getColumnLabel(i);
      Object v = rs.getObject(i);
      if (v == null) {
        continue;
      }
      if (label.equals("time") || label.equals("updated")) {
        sb.append(StoreWriter.instant(rs.getLong(i)));
      } else if (v instanceof Double || md.getColumnType(i) == Types.REAL) {
        sb.append(rs.getDouble(i));
      } else if (v instanceof Number) {
        sb.append(rs.getLong(i));
      } else {
        quote(sb, v.toString());
      }
    }
    write(out, sb.append('\n'));
  }

  private static void quote(StringBuilder sb, String s) {
    boolean needs = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    if (!needs) {
      sb.append(s);
      return;
    }
    sb.append('"').append(s.replace("\"", "\"\"")).append('"');
  }

  private static void write(Writer out, CharSequence s) {
    try {
      out.append(s);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the export: " + e.getMessage(), e);
    }
  }

  /**
   * {@code --db PATH --from YYYY-MM-DD --to YYYY-MM-DD --what ticks|trades|bars|orders|events|fills|pnl
   * [--format csv] [--out FILE]}; without {@code --out} the CSV goes to standard output. Exit
   * code 0 on success, 2 on a usage error, 1 if the export failed.
   */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, PrintStream stdout, PrintStream stderr) {
    Map<String, String> opts = new HashMap<>();
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (!a.startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException("expected --option value, got '" + a + "'");
        }
        opts.put(a.substring(2), args[++i]);
      }
      for (String required : new String[] {"db", "from", "to", "what"}) {
        if (!opts.containsKey(required)) {
          throw new IllegalArgumentException("--" + required + " is required");
        }
      }
      String format = opts.getOrDefault("format", "csv");
      if (!format.equals("csv")) {
        throw new IllegalArgumentException("--format must be csv (Parquet is not supported), was '" + format + "'");
      }
      Path db = Path.of(opts.get("db"));
      LocalDate from = LocalDate.parse(opts.get("from"));
      LocalDate to = LocalDate.parse(opts.get("to"));
      What what = What.parse(opts.get("what"));
      long rows;
      if (opts.containsKey("out")) {
        try (Writer w = Files.newBufferedWriter(Path.of(opts.get("out")), StandardCharsets.UTF_8)) {
          rows = exportCsv(db, what, from, to, w);
        }
        stderr.println("exported rows=" + rows + " what=" + what.name().toLowerCase(Locale.ROOT) + " to="
            + opts.get("out"));
      } else {
        Writer w = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
        rows = exportCsv(db, what, from, to, w);
      }
      return 0;
    } catch (IllegalArgumentException | DateTimeParseException e) {
      stderr.println("error: " + e.getMessage());
      stderr.println("usage: SqliteExport --db PATH --from YYYY-MM-DD --to YYYY-MM-DD"
          + " --what ticks|trades|bars|orders|events|fills|pnl [--format csv] [--out FILE]");
      return 2;
    } catch (StoreException | IOException | UncheckedIOException e) {
      stderr.println("error: " + e.getMessage());
      return 1;
    }
  }
}
