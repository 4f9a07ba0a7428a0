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
import dev.algotrade.testkit.Await;
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

  // ---------------------------------------------------------------- lanes

  private static final OrderRequest REQ = OrderRequest.limit(AAPL, Side.BUY, 100, 99.5);

  private static OrderAccepted accepted(String id) {
    return new OrderAccepted(ClientOrderId.of(id), BrokerOrderId.of(7), T0);
  }

  private static String clientId(Object row) {
    return ((OrderEventRow) row).clientOrderId();
  }

  /** A waiter that says when a producer starts waiting, then naps until its condition holds. */
  private static final class SignallingWaiter implements RecordQueue.Waiter {
    final CountDownLatch waiting = new CountDownLatch(1);

    @Override
    public void await(java.util.function.BooleanSupplier done) {
      waiting.countDown();
      RecordQueue.NAPPING.await(done);
    }
  }

  private static Thread start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.start();
    return t;
  }

  @Test
  void theThreadThatRecordsTheFirstOrderOwnsALaneAndEveryThreadKeepsItsOrder() throws Exception {
    RecordQueue q = new RecordQueue();
    int each = 3 * RecordQueue.CHUNK + 5;
    CountDownLatch go = new CountDownLatch(1);
    Thread engine = start("engine", () -> {
      await(go);
      for (int i = 0; i < each; i++) {
        // order records and objects interleaved: all in the owner's lane, in this order
        if (i % 3 == 0) {
          q.offerOrderEvent(accepted("E-" + i), null, i);
        } else {
          q.offerObject(new long[] {0, i});
        }
      }
    });
    Thread other = start("other", () -> {
      await(go);
      for (int i = 0; i < each; i++) {
        q.offerObject(new long[] {1, i});
      }
    });
    go.countDown();
    int[] next = new int[2];
    List<Object> buf = new ArrayList<>();
    int total = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (total < 2 * each && System.nanoTime() < deadline) {
      buf.clear();
      total += q.drainTo(buf, 50);
      for (Object o : buf) {
        if (o instanceof OrderEventRow row) {
          assertThat(row.clientOrderId()).isEqualTo("E-" + next[0]);
          next[0]++;
        } else {
          long[] v = (long[]) o;
          assertThat(v[1]).as("thread %d's next record", v[0]).isEqualTo(next[(int) v[0]]);
          next[(int) v[0]]++;
        }
      }
    }
    engine.join(10_000);
    other.join(10_000);
    assertThat(next).containsExactly(each, each);
    assertThat(q.taken()).isEqualTo(q.claimed()).isEqualTo(2L * each);
  }

  /**
   * An order record from a second thread, queued after the owner's (the second thread started
   * after it), waits until the writer has taken the owner's, so their rows are written in the
   * order they happened (an older state must not overwrite a newer one).
   */
  @Test
  void anOrderRecordFromAnotherThreadWaitsForTheOwnersEarlierOnes() throws Exception {
    SignallingWaiter waiter = new SignallingWaiter();
    RecordQueue q = new RecordQueue(waiter);
    Thread engine = start("engine", () -> q.offerOrderEvent(accepted("C-1"), null, 1));
    engine.join(10_000);
    Thread stopper = start("stopper", () -> q.offerOrderEvent(accepted("C-2"), null, 2));
    assertThat(waiter.waiting.await(10, TimeUnit.SECONDS)).as("the second thread waits").isTrue();
    assertThat(q.claimed()).as("its record is not queued while it waits").isEqualTo(1);

    List<Object> out = new ArrayList<>();
    assertThat(q.drainTo(out, 10)).isEqualTo(1);
    stopper.join(10_000);
    assertThat(stopper.isAlive()).isFalse();
    q.drainTo(out, 10);
    assertThat(out).extracting(RecordQueueTest::clientId).containsExactly("C-1", "C-2");
  }

  /** And the owner waits likewise for an order record another thread queued before its own. */
  @Test
  void theOwnerWaitsForAnOrderRecordAnotherThreadQueuedFirst() throws Exception {
    SignallingWaiter waiter = new SignallingWaiter();
    RecordQueue q = new RecordQueue(waiter);
    List<Object> out = new ArrayList<>();
    CountDownLatch second = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);
    Thread engine = start("engine", () -> {
      q.offerOrderEvent(accepted("C-1"), null, 1); // becomes the owner
      await(secondDone);
      q.offerOrderEvent(accepted("C-3"), null, 3); // after C-2 (happens-before through the latch)
    });
    // taken, so C-2 need not wait
    Await.until("the engine's C-1 taken", java.time.Duration.ofSeconds(10), () -> q.drainTo(out, 10) == 1);
    Thread other = start("other", () -> {
      await(second);
      q.offerOrderEvent(accepted("C-2"), null, 2);
      secondDone.countDown();
    });
    second.countDown();
    assertThat(waiter.waiting.await(10, TimeUnit.SECONDS)).as("the owner waits for C-2 to be taken").isTrue();
    assertThat(q.claimed()).isEqualTo(2);
    q.drainTo(out, 10);
    engine.join(10_000);
    other.join(10_000);
    q.drainTo(out, 10);
    assertThat(out).extracting(RecordQueueTest::clientId).containsExactly("C-1", "C-2", "C-3");
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
