package dev.algotrade.ib.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The writer's queue: take() spins briefly, then parks; either way it returns what was put, in order. */
class SpinThenParkQueueTest {

  @Test
  void takeReturnsEveryElementInOrderWhateverTheSpin() throws Exception {
    for (long spin : new long[] {0, TimeUnit.MICROSECONDS.toNanos(20), TimeUnit.SECONDS.toNanos(5)}) {
      SpinThenParkQueue<Integer> q = new SpinThenParkQueue<>(spin);
      int n = 2_000;
      CountDownLatch go = new CountDownLatch(1);
      Thread producer = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < n; i++) {
            q.add(i);
            if (i % 100 == 0) {
              TimeUnit.MICROSECONDS.sleep(200); // let the taker run dry now and then
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      producer.start();
      go.countDown();
      for (int i = 0; i < n; i++) {
        assertThat(q.take()).as("element %d with spin %d ns", i, spin).isEqualTo(i);
      }
      producer.join(10_000);
      assertThat(q).isEmpty();
    }
  }

  @Test
  void aTakerThatSpunOutParksAndIsWokenByTheNextElement() throws Exception {
    SpinThenParkQueue<String> q = new SpinThenParkQueue<>(TimeUnit.MICROSECONDS.toNanos(1));
    CountDownLatch took = new CountDownLatch(1);
    String[] got = new String[1];
    Thread taker = new Thread(() -> {
      try {
        got[0] = q.take();
        took.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    taker.start();
    // wait until the taker is parked in the queue (past its 1 us spin), then hand it an element
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (taker.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(taker.getState()).isEqualTo(Thread.State.WAITING);
    q.add("frame");
    assertThat(took.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(got[0]).isEqualTo("frame");
  }

  @Test
  void spinIsValidatedAndConfigurable() {
    assertThatThrownBy(() -> new SpinThenParkQueue<String>(-1)).hasMessageContaining("spinNanos")
        .hasMessageContaining("-1");
    assertThat(new SpinThenParkQueue<String>().spinNanos()).isEqualTo(SpinThenParkQueue.configuredSpinNanos());
  }
}
