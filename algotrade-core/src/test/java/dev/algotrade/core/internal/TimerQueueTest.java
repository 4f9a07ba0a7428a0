package dev.algotrade.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerQueueTest {
  private static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  private static List<String> runUntil(TimerQueue q, Instant now, List<String> log) {
    TimerQueue.Task t;
    while ((t = q.pollDue(now)) != null) {
      t.action().run();
      q.reschedule(t);
    }
    return log;
  }

  @Test
  void firesInDueOrderThenScheduleOrder() {
    TimerQueue q = new TimerQueue();
    List<String> log = new ArrayList<>();
    q.schedule(T0.plusSeconds(2), null, () -> log.add("b"), -1);
    q.schedule(T0.plusSeconds(1), null, () -> log.add("a"), -1);
    q.schedule(T0.plusSeconds(2), null, () -> log.add("c"), -1);
    runUntil(q, T0.plusSeconds(1), log);
    assertThat(log).containsExactly("a");
    runUntil(q, T0.plusSeconds(5), log);
    assertThat(log).containsExactly("a", "b", "c");
    assertThat(q.nextDue()).isNull();
  }

  @Test
  void repeatingTimerRepeatsUntilCancelledThroughTheOriginalHandle() {
    TimerQueue q = new TimerQueue();
    List<String> log = new ArrayList<>();
    TimerQueue.Task h = q.schedule(T0.plusSeconds(1), Duration.ofSeconds(1), () -> log.add("tick"), -1);
    runUntil(q, T0.plusSeconds(3), log);
    assertThat(log).hasSize(3);
    h.cancel();
    runUntil(q, T0.plusSeconds(10), log);
    assertThat(log).hasSize(3);
    assertThat(q.nextDue()).isNull();
  }
}
