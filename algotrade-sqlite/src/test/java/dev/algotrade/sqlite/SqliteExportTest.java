package dev.algotrade.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.OrderSubmitted;
import dev.algotrade.api.order.Side;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteExportTest {
  static final InstrumentId AAPL = InstrumentId.of("AAPL");
  static final LocalDate D1 = LocalDate.of(2024, 1, 2);
  static final LocalDate D2 = LocalDate.of(2024, 1, 3);
  static final Instant T1 = Instant.parse("2024-01-02T14:30:00.000000001Z");
  static final Instant T2 = Instant.parse("2024-01-03T14:30:00Z");

  @TempDir
  Path dir;
  Path db;

  @BeforeEach
  void fill() {
    db = dir.resolve("export.db");
    try (SqliteStore store = SqliteStore.open(db)) {
      store.recordMarketData(new Quote(AAPL, T1, 100, 100.02, 5, 7));
      store.recordMarketData(new Quote(AAPL, T2, 101, 101.02, 5, 7));
      OrderRequest req = OrderRequest.limit(AAPL, Side.BUY, 10, 100).withTag("note, with \"quotes\"");
      ClientOrderId id = ClientOrderId.of("O-1");
      store.recordOrderEvent(new OrderSubmitted(id, req, T1),
          new Order(id, null, req, OrderStatus.PENDING_SUBMIT, 0, Double.NaN, T1, T1, ""));
      store.recordFill(new Fill(id, "E1", AAPL, Side.BUY, 10, 100, 0.5, T1), 0, D1);
      store.recordFill(new Fill(id, "E2", AAPL, Side.SELL, 10, 101, 0.5, T2), 10, D2);
    }
  }

  List<String> export(SqliteExport.What what, LocalDate from, LocalDate to) {
    StringWriter w = new StringWriter();
    SqliteExport.exportCsv(db, what, from, to, w);
    return w.toString().lines().toList();
  }

  @Test
  void fillsAreSelectedByTradingDayWithAHeader() {
    assertThat(export(SqliteExport.What.FILLS, D1, D1)).containsExactly(
        "time,trading_day,execution_id,client_order_id,instrument,side,quantity,price,commission,realized_pnl",
        "2024-01-02T14:30:00.000000001Z,2024-01-02,E1,O-1,AAPL,BUY,10.0,100.0,0.5,0.0");
    assertThat(export(SqliteExport.What.FILLS, D1, D2)).hasSize(3);
  }

  @Test
  void ticksAreSelectedByUtcDate() {
    assertThat(export(SqliteExport.What.TICKS, D2, D2)).containsExactly(
        "time,instrument,bid,ask,bid_size,ask_size",
        "2024-01-03T14:30:00Z,AAPL,101.0,101.02,5.0,7.0");
  }

  @Test
  void textIsQuotedAndMissingValuesAreEmpty() {
    List<String> lines = export(SqliteExport.What.ORDERS, D1, D2);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).isEqualTo("2024-01-02T14:30:00.000000001Z,O-1,,AAPL,BUY,10.0,LIMIT,100.0,,DAY,"
        + "\"note, with \"\"quotes\"\"\",PENDING_SUBMIT,0.0,,,2024-01-02T14:30:00.000000001Z");
  }

  @Test
  void anEmptyRangeGivesTheHeaderOnly() {
    assertThat(export(SqliteExport.What.FILLS, LocalDate.of(2020, 1, 1), LocalDate.of(2020, 1, 1)))
        .containsExactly(
            "time,trading_day,execution_id,client_order_id,instrument,side,quantity,price,commission,realized_pnl");
  }

  @Test
  void theCommandWritesAFileAndRejectsBadArguments() throws Exception {
    Path out = dir.resolve("fills.csv");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = SqliteExport.run(new String[] {"--db", db.toString(), "--from", "2024-01-02", "--to", "2024-01-03",
        "--what", "fills", "--format", "csv", "--out", out.toString()}, System.out, errStream);
    assertThat(code).isZero();
    assertThat(Files.readAllLines(out)).hasSize(3);

    assertThat(SqliteExport.run(new String[] {"--db", db.toString(), "--from", "2024-01-02", "--to", "2024-01-03",
        "--what", "fills", "--format", "parquet"}, System.out, errStream)).isEqualTo(2);
    assertThat(SqliteExport.run(new String[] {"--db", db.toString(), "--from", "2024-13-02", "--to", "2024-01-03",
        "--what", "fills"}, System.out, errStream)).isEqualTo(2);
    Path notes = Files.writeString(dir.resolve("notes.txt"), "hello");
    assertThat(SqliteExport.run(new String[] {"--db", notes.toString(), "--from", "2024-01-02", "--to",
        "2024-01-03", "--what", "fills"}, System.out, errStream)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Parquet is not supported")
        .contains("not an SQLite database");
  }
}
