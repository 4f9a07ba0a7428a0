package dev.algotrade.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.AlertDeliveryException;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.core.alert.CompositeAlerter;
import dev.algotrade.core.time.SimulatedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingAlerterTest {

  private static final Instant T = Instant.parse("2024-01-02T14:30:00Z");

  @Test
  void recordsFromManyThreadsAndAwaitsTheCount() throws Exception {
    RecordingAlerter rec = new RecordingAlerter();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        for (int i = 0; i < 250; i++) {
          rec.send(Alert.of(Severity.INFO, "t" + id + "-" + i, "", T));
        }
      });
      threads.add(th);
      th.start();
    }
    assertThat(rec.awaitCount(1000)).hasSize(1000);
    for (Thread th : threads) {
      th.join();
    }
    assertThat(rec.matching(a -> a.title().startsWith("t2-"))).hasSize(250);
  }

  @Test
  void failNextMakesDeliverThrowThenRecords() {
    RecordingAlerter rec = new RecordingAlerter("phone").failNext(1, false);
    Alert a = Alert.of(Severity.CRITICAL, "Breaker tripped", "", T);
    assertThatThrownBy(() -> rec.deliver(a))
        .isInstanceOfSatisfying(AlertDeliveryException.class, e -> assertThat(e.isRetryable()).isFalse());
    rec.deliver(a);
    assertThat(rec.attempts()).isEqualTo(2);
    assertThat(rec.alerts()).containsExactly(a);
  }

  @Test
  void servesAsAChannelOfTheComposite() {
    SimulatedClock clock = new SimulatedClock(T);
    RecordingAlerter phone = new RecordingAlerter("phone").failNext(1, true);
    try (CompositeAlerter composite = CompositeAlerter.builder()
        .clock(clock)
        .summaryInterval(Duration.ZERO)
        .retry(2, Duration.ofMillis(1), Duration.ofMillis(1))
        .channel(phone, Severity.WARNING)
        .build()) {
      composite.send(Alert.of(Severity.INFO, "Started", "", T));
      composite.send(Alert.of(Severity.CRITICAL, "Breaker tripped", "reason=DAILY_LOSS_LIMIT", T));
      Alert got = phone.await("breaker alert", Duration.ofSeconds(10), x -> x.title().equals("Breaker tripped"));
      assertThat(got.text()).isEqualTo("reason=DAILY_LOSS_LIMIT");
    }
    assertThat(phone.alerts()).extracting(Alert::title).containsExactly("Breaker tripped");
    assertThat(phone.isClosed()).isTrue();
  }
}
