package dev.algotrade.ib.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pacer on a fake ticker: its sleeper advances fake time instead of waiting, so a burst of
 * 500 messages is checked in microseconds and without any wall-clock assertion.
 */
class PacerTest {

  private long now = 1_000_000_000L;

  private Pacer pacer(int limit) {
    return new Pacer(limit, TimeUnit.SECONDS.toNanos(1), () -> now, nanos -> now += nanos);
  }

  @Test
  void burstOf500NeverExceedsTheLimitInAnyOneSecondWindow() throws InterruptedException {
    int limit = 45;
    Pacer p = pacer(limit);
    long[] sent = new long[500];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = p.acquire();
    }
    long second = TimeUnit.SECONDS.toNanos(1);
    // any window [t, t + 1 s) starting at a send carries at most `limit` sends
    for (int i = 0; i < sent.length; i++) {
      int inWindow = 0;
      for (int j = i; j < sent.length && sent[j] - sent[i] < second; j++) {
        inWindow++;
      }
      assertThat(inWindow).as("sends in the second after send %d", i).isLessThanOrEqualTo(limit);
    }
    // and the pacer does not over-throttle: the first `limit` go at once, then `limit` per second
    assertThat(sent[limit - 1]).isEqualTo(sent[0]);
    assertThat(sent[499] - sent[0]).isEqualTo(499 / limit * second);
    assertThat(p.waits()).isGreaterThan(0);
  }

  @Test
  void slowTrafficNeverWaits() throws InterruptedException {
    Pacer p = pacer(2);
    for (int i = 0; i < 10; i++) {
      p.acquire();
      now += TimeUnit.MILLISECONDS.toNanos(600);
    }
    assertThat(p.waits()).isZero();
  }

  @Test
  void switchedOffItNeverWaits() throws InterruptedException {
    Pacer p = pacer(2);
    p.acquire();
    p.acquire();
    p.switchOff();
    for (int i = 0; i < 100; i++) {
      assertThat(p.acquire()).isEqualTo(now);
    }
    assertThat(p.waits()).isZero();
    assertThat(p.isOff()).isTrue();
  }
}
