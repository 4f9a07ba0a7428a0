package dev.algotrade.sqlite;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link SqliteCrashTest}: writes orders, fills and quotes without end;
 * it prints {@code RECORDED <executionId>} when a fill is handed to the store (not yet durable) and,
 * after every 25 fills, flushes and then prints {@code COMMITTED <executionId>} for each fill the
 * flush covered. The parent kills it with SIGKILL. Single-threaded.
 */
public final class CrashChild {
  static final LocalDate DAY = LocalDate.of(2024, 1, 2);
  static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");
  static final List<InstrumentId> INSTRUMENTS =
      List.of(InstrumentId.of("AAPL"), InstrumentId.of("MSFT"), InstrumentId.of("IBM"));

  private CrashChild() {}

  /** The i-th fill (from 1) of the child run with this seed; the parent recomputes them. */
  static List<Fill> fills(long seed, int count) {
    Random rnd = new Random(seed);
    List<Fill> out = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      InstrumentId id = INSTRUMENTS.get(rnd.nextInt(INSTRUMENTS.size()));
      Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
      double qty = 1 + rnd.nextInt(10);
      double price = 100 + rnd.nextInt(1000) / 100.0;
      out.add(new Fill(ClientOrderId.of("O20240102T143000-" + i), "E-" + i, id, side, qty, price, 0.35,
          T0.plusMillis(i)));
    }
    return out;
  }

  public static void main(String[] args) {
    Path path = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    int max = 1_000_000;
    List<Fill> fills = fills(seed, 2_000);
    Random quotes = new Random(seed + 1);
    try (SqliteStore store = SqliteStore.builder().path(path).orderCommitWindow(Duration.ofMillis(5)).build()) {
      System.out.println("READY");
      System.out.flush();
      List<String> pending = new ArrayList<>();
      for (int i = 1; i <= max; i++) {
        Fill f = fills.get((i - 1) % fills.size());
        if (i > fills.size()) {
          f = new Fill(ClientOrderId.of("O20240102T143000-" + i), "E-" + i, f.instrument(), f.side(), f.quantity(),
              f.price(), f.commission(), T0.plusMillis(i));
        }
        OrderRequest req = OrderRequest.market(f.instrument(), f.side(), f.quantity());
        ClientOrderId id = f.clientOrderId();
        Instant t = f.time();
        store.recordOrderEvent(new OrderSubmitted(id, req, t),
            new Order(id, null, req, OrderStatus.PENDING_SUBMIT, 0, Double.NaN, t, t, ""));
        store.recordOrderEvent(new OrderAccepted(id, BrokerOrderId.of(i), t),
            new Order(id, BrokerOrderId.of(i), req, OrderStatus.ACCEPTED, 0, Double.NaN, t, t, ""));
        int n = quotes.nextInt(300);
        for (int q = 0; q < n; q++) {
          store.recordMarketData(new Quote(f.instrument(), t, f.price() - 0.01, f.price() + 0.01, 100, 100));
        }
        store.recordOrderEvent(new OrderFilled(f),
            new Order(id, BrokerOrderId.of(i), req, OrderStatus.FILLED, f.quantity(), f.price(), t, t, ""));
        store.recordFill(f, 0, DAY);
        pending.add(f.executionId());
        System.out.println("RECORDED " + f.executionId());
        if (i % 25 == 0) {
          store.flush();
          for (String e : pending) {
            System.out.println("COMMITTED " + e);
          }
          System.out.flush();
          pending.clear();
        }
      }
    }
  }
}
