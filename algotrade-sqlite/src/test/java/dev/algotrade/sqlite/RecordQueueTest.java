package dev.algotrade.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.BrokerOrderId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.Side;
import dev.algotrade.sqlite.Ops.FillRow;
import dev.algotrade.sqlite.Ops.OrderEventRow;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordQueueTest {
  private static final InstrumentId AAPL = InstrumentId.of("AAPL");
  private static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  @Test
  void manyProducersAcrossManyChunksLoseNothingAndKeepEachProducersOrder() throws Exception {
    RecordQueue q = new RecordQueue();
    int producers = 4;
    int each = 5 * RecordQueue.CHUNK + 17;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int id = p;
      Thread t = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          q.offerObject(new long[] {id, i});
        }
      }, "producer-" + p);
      t.start();
      threads.add(t);
    }
    go.countDown();
    int[] next = new int[producers];
    List<Object> buf = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int total = 0;
    while (total < producers * each && System.nanoTime() < deadline) {
      buf.clear();
      total += q.drainTo(buf, 100);
      for (Object o : buf) {
        long[] v = (long[]) o;
        assertThat(v[1]).as("producer %d's next record", v[0]).isEqualTo(next[(int) v[0]]);
        next[(int) v[0]]++;
      }
    }
    for (Thread t : threads) {
      t.join(10_000);
    }
    assertThat(total).isEqualTo(producers * each);
    assertThat(next).containsOnly(each);
    assertThat(q.taken()).isEqualTo(q.claimed()).isEqualTo((long) producers * each);
    assertThat(q.drainTo(buf, 10)).isZero();
  }

  @Test
  void anOrderEventAndAFillComeBackAsTheRowsTheWriterNeeds() {
    RecordQueue q = new RecordQueue();
    OrderRequest req = OrderRequest.limit(AAPL, Side.BUY, 100, 99.5);
    ClientOrderId id = ClientOrderId.of("C-1");
    Fill f = new Fill(id, "E-1", AAPL, Side.BUY, 40, 99.4, 0.35, T0.plusSeconds(2));
    Order after = new Order(id, BrokerOrderId.of(7), req, OrderStatus.PARTIALLY_FILLED, 40, 99.4, T0,
        T0.plusSeconds(2), "");
    q.offerOrderEvent(new OrderAccepted(id, BrokerOrderId.of(7), T0.plusSeconds(1)), after, 11);
    q.offerFill(f, 12.5, LocalDate.of(2024, 1, 2), 12);
    q.offerOrderEvent(new OrderFilled(f), after, 13);
    OrderDenied denied = new OrderDenied(ClientOrderId.of("C-2"), req, "MAX_QTY", "qty=100 max=10", T0);
    q.offerOrderEvent(denied, null, 14);

    List<Object> out = new ArrayList<>();
    assertThat(q.drainTo(out, 10)).isEqualTo(4);

    OrderEventRow accepted = (OrderEventRow) out.get(0);
    assertThat(accepted.event()).isEqualTo("OrderAccepted");
    assertThat(accepted.clientOrderId()).isEqualTo("C-1");
    assertThat(accepted.extra()).isEqualTo("7");
    assertThat(accepted.brokerOrderId()).isEqualTo("7");
    assertThat(accepted.request()).isSameAs(req);
    assertThat(accepted.statusAfter()).isEqualTo(OrderStatus.PARTIALLY_FILLED);
    assertThat(accepted.filledQuantity()).isEqualTo(40);
    assertThat(accepted.averageFillPrice()).isEqualTo(99.4);
    assertThat(accepted.eventNanos()).isEqualTo(StoreWriter.nanos(T0.plusSeconds(1)));
    assertThat(accepted.createdNanos()).isEqualTo(StoreWriter.nanos(T0));
    assertThat(accepted.updatedNanos()).isEqualTo(StoreWriter.nanos(T0.plusSeconds(2)));
    assertThat(accepted.queuedNanos()).isEqualTo(11);

    FillRow fill = (FillRow) out.get(1);
    assertThat(fill).isEqualTo(new FillRow("E-1", "C-1", "AAPL", LocalDate.of(2024, 1, 2), Side.BUY, 40, 99.4,
        0.35, 12.5, StoreWriter.nanos(T0.plusSeconds(2)), 12));

    OrderEventRow filled = (OrderEventRow) out.get(2);
    assertThat(filled.event()).isEqualTo("OrderFilled");
    assertThat(filled.extra()).isEqualTo("E-1");
    assertThat(filled.fillSide()).isEqualTo(Side.BUY);
    assertThat(filled.fillQuantity()).isEqualTo(40);
    assertThat(filled.fillPrice()).isEqualTo(99.4);

    OrderEventRow deniedRow = (OrderEventRow) out.get(3);
    assertThat(deniedRow.event()).isEqualTo("OrderDenied");
    assertThat(deniedRow.clientOrderId()).isEqualTo("C-2");
    assertThat(deniedRow.extra()).isSameAs(denied);
    assertThat(deniedRow.statusAfter()).isNull();
    assertThat(deniedRow.request()).isNull();
  }
}
