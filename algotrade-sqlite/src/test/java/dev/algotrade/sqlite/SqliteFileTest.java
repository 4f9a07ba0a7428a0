package dev.algotrade.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.StoreException;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.store.RecoveryState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening files: upgrades of older versions, and refusals that leave the file untouched. */
class SqliteFileTest {

  @TempDir
  Path dir;

  static Connection connect(Path path) throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + path);
  }

  static String sha256(Path path) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
  }

  @Test
  void aVersionOneFileIsUpgradedAndKeepsItsData() throws Exception {
    Path path = dir.resolve("v1.db");
    try (Connection c = connect(path)) {
      Migrations.migrate(c, 0, 1, 0);
      try (Statement st = c.createStatement()) {
        st.execute("INSERT INTO orders VALUES ('O-41', '9', 'AAPL', 'BUY', 10, 'LIMIT', 100.5, NULL, 'DAY', '',"
            + " 'ACCEPTED', 0, NULL, '', 1000, 2000)");
        st.execute("INSERT INTO fills(execution_id, client_order_id, instrument, side, quantity, price, commission,"
            + " realized_pnl, trading_day, ts_ns) VALUES ('E1', 'O-40', 'AAPL', 'BUY', 5, 99, 1, 12.5, '2024-01-02', 500)");
      }
    }
    try (Connection c = connect(path); Statement st = c.createStatement()) {
      var rs = st.executeQuery("SELECT MAX(version) FROM schema_version");
      assertThat(rs.getInt(1)).isEqualTo(1);
      rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'v_trades_per_day'");
      assertThat(rs.getInt(1)).as("a version 1 file has no views yet").isZero();
    }

    try (SqliteStore store = SqliteStore.open(path)) {
      assertThat(store.schemaVersion()).isEqualTo(2);
      RecoveryState s = store.loadRecovery(LocalDate.of(2024, 1, 2));
      assertThat(s.realizedPnl()).isEqualTo(12.5);
      assertThat(s.openOrders()).hasSize(1);
      assertThat(s.openOrders().get(0).request().limitPrice()).isEqualTo(100.5);
      assertThat(s.positions()).containsExactly(new Position(InstrumentId.of("AAPL"), 5, 99));
      assertThat(s.nextOrderSequence()).isEqualTo(42);
      long trades = store.jdbi().withHandle(h -> h.createQuery("SELECT fills FROM v_trades_per_day")
          .mapTo(Long.class).one());
      assertThat(trades).isEqualTo(1);
      assertThat(store.integrityCheck()).isEqualTo("ok");
    }
    try (SqliteStore again = SqliteStore.open(path)) {
      assertThat(again.schemaVersion()).as("reopening does not migrate twice").isEqualTo(2);
    }
  }

  @Test
  void aNewerFileIsRefusedWithTheVersionsNamed() throws Exception {
    Path path = dir.resolve("newer.db");
    SqliteStore.open(path).close();
    try (Connection c = connect(path); Statement st = c.createStatement()) {
      st.execute("INSERT INTO schema_version VALUES (99, 'from the future', 0)");
    }
    String before = sha256(path);
    assertThatThrownBy(() -> SqliteStore.open(path))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("newer than this AlgoTrade supports (2)");
    assertThat(sha256(path)).isEqualTo(before);
  }

  @Test
  void aTextFileIsRefusedAndLeftAlone() throws Exception {
    Path path = dir.resolve("notes.db");
    Files.writeString(path, "these are my trading notes, not a database\n");
    String before = sha256(path);
    assertThatThrownBy(() -> SqliteStore.open(path))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("is not an SQLite database")
        .hasMessageContaining("not changed");
    assertThat(sha256(path)).isEqualTo(before);
    assertThat(Files.exists(dir.resolve("notes.db-wal"))).isFalse();
  }

  @Test
  void aForeignSqliteDatabaseIsRefusedAndLeftAlone() throws Exception {
    Path path = dir.resolve("other-app.db");
    try (Connection c = connect(path); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
      st.execute("INSERT INTO customers(name) VALUES ('Ada')");
    }
    String before = sha256(path);
    assertThatThrownBy(() -> SqliteStore.open(path))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("foreign SQLite database")
        .hasMessageContaining("customers");
    assertThat(sha256(path)).isEqualTo(before);
  }

  @Test
  void aCorruptFileIsRefusedAndLeftAlone() throws Exception {
    Path path = dir.resolve("corrupt.db");
    byte[] bytes = new byte[8192];
    new Random(42).nextBytes(bytes);
    byte[] header = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(header, 0, bytes, 0, header.length);
    Files.write(path, bytes);
    String before = sha256(path);
    assertThatThrownBy(() -> SqliteStore.open(path))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(path.getFileName().toString())
        .hasMessageContaining("not changed");
    assertThat(sha256(path)).isEqualTo(before);
  }

  @Test
  void anEmptyFileBecomesAStore() throws Exception {
    Path path = dir.resolve("empty.db");
    Files.createFile(path);
    try (SqliteStore store = SqliteStore.open(path)) {
      assertThat(store.schemaVersion()).isEqualTo(SqliteStore.latestSchemaVersion());
    }
  }
}
