package dev.algotrade.sqlite;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.BrokerOrderId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.OrderSubmitted;
import dev.algotrade.api.order.Side;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Benchmark, not a test: how fast the writer commits order records, the kind a busy replay
 * makes (see docs/performance.md). Each order is four records: submitted, accepted, its fill and
 * the filled event, queued as fast as the caller can, then timed until {@code flush()} returns.
 * Run (after the build line of {@link SqliteInsertBenchmark}):
 *
 * <pre>
 * java -cp "$(cat algotrade-sqlite/target/bench.cp):algotrade-sqlite/target/test-classes:algotrade-sqlite/target/classes" \
 *     dev.algotrade.sqlite.SqliteOrderWriteBenchmark [orders] [runs]
 * </pre>
 */
public final class SqliteOrderWriteBenchmark {
  private SqliteOrderWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    InstrumentId inst = InstrumentId.of("AAPL");
    Instant t0 = Instant.parse("2024-01-02T14:30:00Z");
    LocalDate day = LocalDate.of(2024, 1, 2);
    for (int run = 1; run <= runs; run++) {
      Path dir = Files.createTempDirectory("sqlite-order-bench");
      long start = System.nanoTime();
      try (SqliteStore st = SqliteStore.builder().path(dir.resolve("orders.db")).build()) {
        for (int i = 0; i < orders; i++) {
          ClientOrderId id = new ClientOrderId("R1-" + i);
          Instant t = t0.plusMillis(i * 100L);
          OrderRequest req = OrderRequest.market(inst, i % 2 == 0 ? Side.BUY : Side.SELL, 100);
          st.recordOrderEvent(new OrderSubmitted(id, req, t),
              new Order(id, null, req, OrderStatus.PENDING_SUBMIT, 0, Double.NaN, t, t, ""));
          BrokerOrderId b = new BrokerOrderId("P" + i);
          st.recordOrderEvent(new OrderAccepted(id, b, t),
              new Order(id, b, req, OrderStatus.ACCEPTED, 0, Double.NaN, t, t, ""));
          Fill f = new Fill(id, "E" + i, inst, req.side(), 100, 100.25, 1.0, t);
          st.recordFill(f, 12.5, day);
          st.recordOrderEvent(new OrderFilled(f), new Order(id, b, req, OrderStatus.FILLED, 100, 100.25, t, t, ""));
        }
        st.flush();
      }
      long nanos = System.nanoTime() - start;
      System.out.printf(Locale.ROOT, "run %d: %,d records in %.0f ms, %,.0f records/s%n", run, 4L * orders, nanos / 1e6,
          4e9 * orders / nanos);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }
}
