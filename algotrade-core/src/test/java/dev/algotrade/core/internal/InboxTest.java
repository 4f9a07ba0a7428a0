package dev.algotrade.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The inbox's queues and its spin-then-park wait (no assertion on how long anything takes). */
class InboxTest {

  @Test
  void spinOrNotEveryMessageFromOtherThreadsArrivesInOrder() throws Exception {
    for (long spin : new long[] {0, TimeUnit.MICROSECONDS.toNanos(50), TimeUnit.SECONDS.toNanos(5)}) {
      Inbox inbox = new Inbox(16, spin);
      inbox.bindOwner(Thread.currentThread());
      int n = 1_000;
      CountDownLatch go = new CountDownLatch(1);
      Thread poster = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < n; i++) {
          inbox.post(i); // capacity 16: the poster waits for the owner now and then
        }
      });
      poster.start();
      go.countDown();
      List<Object> got = new ArrayList<>();
      while (got.size() < n) {
        Object m = inbox.pollExternal(TimeUnit.SECONDS.toNanos(10));
        assertThat(m).as("message %d with spin %d ns", got.size(), spin).isNotNull();
        got.add(m);
      }
      poster.join(10_000);
      for (int i = 0; i < n; i++) {
        assertThat(got.get(i)).isEqualTo(i);
      }
      assertThat(inbox.pollExternal(0)).isNull();
    }
  }

  @Test
  void anEmptyInboxReturnsNullAfterTheTimeoutWhetherItSpunOrParked() throws Exception {
    Inbox longSpin = new Inbox(16, TimeUnit.SECONDS.toNanos(10));
    assertThat(longSpin.pollExternal(TimeUnit.MILLISECONDS.toNanos(5))).isNull(); // spin cut to the timeout
    Inbox shortSpin = new Inbox(16, TimeUnit.MICROSECONDS.toNanos(10));
    assertThat(shortSpin.pollExternal(TimeUnit.MILLISECONDS.toNanos(5))).isNull(); // spun, then parked
    assertThat(shortSpin.pollExternal(0)).isNull();
  }

  @Test
  void ownPostsGoToTheLocalQueue() throws Exception {
    Inbox inbox = new Inbox(16, 0);
    inbox.bindOwner(Thread.currentThread());
    inbox.post("mine");
    assertThat(inbox.hasLocal()).isTrue();
    assertThat(inbox.pollExternal(0)).isNull();
    assertThat(inbox.pollLocal()).isEqualTo("mine");
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> new Inbox(8, 0)).hasMessageContaining("capacity").hasMessageContaining("8");
    assertThatThrownBy(() -> new Inbox(16, -1)).hasMessageContaining("spinNanos").hasMessageContaining("-1");
    Inbox inbox = new Inbox(16, 0);
    assertThatThrownBy(() -> inbox.spinNanos(-5)).hasMessageContaining("spinNanos").hasMessageContaining("-5");
    assertThatThrownBy(() -> inbox.spinNanos(Inbox.MAX_SPIN_NANOS + 1)).hasMessageContaining("spinNanos")
        .hasMessageContaining(String.valueOf(Inbox.MAX_SPIN_NANOS + 1));
    inbox.spinNanos(TimeUnit.MILLISECONDS.toNanos(3));
    assertThat(inbox.spinNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3));
    assertThat(new Inbox(16).spinNanos()).isEqualTo(TimeUnit.MICROSECONDS.toNanos(Inbox.DEFAULT_SPIN_MICROS));
  }
}
