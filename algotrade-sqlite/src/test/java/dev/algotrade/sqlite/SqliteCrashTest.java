package dev.algotrade.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.store.RecoveryState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A child JVM writes orders, fills and quotes and reports the fills it has seen flushed; it is
 * killed with SIGKILL at a seeded random moment. The file must open cleanly, hold every reported
 * fill exactly once, hold fills as a gap-free prefix of what the child wrote (transactions are
 * atomic and in order), and give positions equal to that prefix's net.
 */
class SqliteCrashTest {
  private static final String EOF = "\u0000EOF";

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(longs = {11, 23, 37})
  void aKilledProcessLosesNoCommittedFill(long seed) throws Exception {
    Path db = dir.resolve("crash-" + seed + ".db");
    Path err = dir.resolve("child-" + seed + ".err");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), db.toString(), Long.toString(seed))
        .redirectError(err.toFile())
        .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (Exception e) {
        // the stream ends when the child is killed
      } finally {
        lines.add(EOF);
      }
    }, "crash-child-stdout");
    reader.start();

    // the kill lands after a random number of recorded fills: mostly between two flushes, while
    // the writer has uncommitted work
    int killAfter = 20 + new Random(seed).nextInt(300);
    Set<String> committed = new HashSet<>();
    int recorded = 0;
    try {
      while (recorded < killAfter) {
        String line = lines.poll(60, TimeUnit.SECONDS);
        if (line == null || line.equals(EOF)) {
          fail("child ended or went silent after " + committed.size() + " commits; stderr:\n" + Files.readString(err));
        }
        if (line.startsWith("COMMITTED ")) {
          committed.add(line.substring("COMMITTED ".length()));
        } else if (line.startsWith("RECORDED ")) {
          recorded++;
        }
      }
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close()
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    reader.join(10_000);
    // lines printed before the kill were printed after their flush: they count too
    for (String line : lines) {
      if (line.startsWith("COMMITTED ")) {
        committed.add(line.substring("COMMITTED ".length()));
      }
    }
    assertThat(child.exitValue()).as("killed, not exited").isNotZero();

    List<String> stored = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("ok");
      }
      try (ResultSet rs = st.executeQuery("SELECT execution_id FROM fills ORDER BY id")) {
        while (rs.next()) {
          stored.add(rs.getString(1));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM fills f LEFT JOIN orders o"
          + " ON o.client_order_id = f.client_order_id WHERE o.client_order_id IS NULL OR o.status <> 'FILLED'")) {
        assertThat(rs.getLong(1)).as("every stored fill has its order, marked filled").isZero();
      }
    }
    System.out.printf("crash seed=%d killAfter=%d reportedCommitted=%d storedFills=%d%n",
        seed, killAfter, committed.size(), stored.size());
    assertThat(new HashSet<>(stored)).hasSameSizeAs(stored).containsAll(committed);
    for (int i = 0; i < stored.size(); i++) {
      assertThat(stored.get(i)).as("fills are a gap-free prefix").isEqualTo("E-" + (i + 1));
    }

    Map<InstrumentId, double[]> book = new TreeMap<>();
    for (Fill f : CrashChild.fills(seed, stored.size())) {
      RecoveryReader.apply(book.computeIfAbsent(f.instrument(), k -> new double[2]), f.signedQuantity(), f.price());
    }
    List<Position> expected = new ArrayList<>();
    book.forEach((id, p) -> {
      if (p[0] != 0) {
        expected.add(new Position(id, p[0], p[1]));
      }
    });
    try (SqliteStore store = SqliteStore.open(db)) {
      RecoveryState s = store.loadRecovery(CrashChild.DAY);
      assertThat(s.positions()).isEqualTo(expected);
      assertThat(s.nextOrderSequence()).isGreaterThan(stored.size());
      assertThat(store.integrityCheck()).isEqualTo("ok");
    }
  }
}
