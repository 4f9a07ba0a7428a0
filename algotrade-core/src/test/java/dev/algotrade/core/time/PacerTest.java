package dev.algotrade.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class PacerTest {

  @Test
  void aTimeAlreadyPassedReturnsAtOnce() {
    Pacer pacer = Pacer.startingNow();
    assertThat(pacer.awaitElapsed(0)).isTrue();
    assertThat(pacer.awaitElapsed(-1_000_000)).isTrue();
    assertThat(pacer.elapsedNanos()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void unparkEndsAWaitEarlyAndReportsIt() throws InterruptedException {
    Pacer pacer = Pacer.startingNow();
    AtomicInteger result = new AtomicInteger(-1);
    CountDownLatch done = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      result.set(pacer.awaitElapsed(TimeUnit.HOURS.toNanos(1)) ? 1 : 0);
      done.countDown();
    });
    t.start();
    while (!done.await(1, TimeUnit.MILLISECONDS)) {
      LockSupport.unpark(t);
    }
    assertThat(result.get()).isZero();
  }
}
