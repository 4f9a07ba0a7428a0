package dev.algotrade.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Alerter;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.core.time.SimulatedClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompositeAlerterTest {

  private final SimulatedClock clock = SimulatedClock.atDefaultStart();
  private final List<CompositeAlerter> built = new ArrayList<>();

  @AfterEach
  void closeAll() {
    built.forEach(CompositeAlerter::close);
  }

  private CompositeAlerter.Builder base() {
    return CompositeAlerter.builder()
        .clock(clock)
        .summaryInterval(Duration.ZERO)
        .retry(3, Duration.ofMillis(1), Duration.ofMillis(4))
        .closeTimeout(Duration.ofSeconds(5));
  }

  private CompositeAlerter build(CompositeAlerter.Builder b) {
    CompositeAlerter a = b.build();
    built.add(a);
    return a;
  }

  private Alert alert(Severity severity, String title, String key) {
    return new Alert(severity, title, "reason=TEST value=1.00", clock.now(), key);
  }

  private static void awaitIdle(CompositeAlerter a) {
    ScriptedChannel.await(
        "no pending deliveries",
        () -> a.stats().channels().values().stream().allMatch(c -> c.pending() == 0));
  }

  @Test
  void routesBySeverityToEachChannel() {
    ScriptedChannel all = new ScriptedChannel("all");
    ScriptedChannel critical = new ScriptedChannel("critical");
    CompositeAlerter a = build(base().channel(all, Severity.INFO).channel(critical, Severity.CRITICAL));

    a.send(alert(Severity.INFO, "Started", "k1"));
    a.send(alert(Severity.WARNING, "Feed stale", "k2"));
    a.send(alert(Severity.CRITICAL, "Breaker tripped", "k3"));
    awaitIdle(a);

    assertThat(all.delivered()).extracting(Alert::title).containsExactly("Started", "Feed stale", "Breaker tripped");
    assertThat(critical.delivered()).extracting(Alert::title).containsExactly("Breaker tripped");
    assertThat(a.stats().channel("all").sent()).isEqualTo(3);
    assertThat(a.stats().channel("critical").sent()).isEqualTo(1);
  }

  @Test
  void stormOfIdenticalAlertsSendsOneAndThenOneSummary() {
    ScriptedChannel phone = new ScriptedChannel("phone");
    CompositeAlerter a = build(base().channel(phone, Severity.INFO).dedupWindow(Duration.ofMinutes(5)));

    for (int i = 0; i < 10_000; i++) {
      a.send(alert(Severity.WARNING, "Feed stale", "feed-stale:AAPL"));
      if (i % 100 == 0) {
        clock.advance(Duration.ofMillis(20)); // the storm lasts 2 s of simulated time
      }
    }
    awaitIdle(a);
    assertThat(phone.count()).isEqualTo(1);
    assertThat(a.stats().suppressed()).isEqualTo(9_999);

    a.flushSummaries(); // window still open: nothing due yet
    awaitIdle(a);
    assertThat(phone.count()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(5));
    a.flushSummaries();
    awaitIdle(a);
    assertThat(phone.delivered()).hasSize(2);
    Alert summary = phone.delivered().get(1);
    assertThat(summary.title()).isEqualTo("9999 similar alerts suppressed in the last 5 min: Feed stale");
    assertThat(summary.severity()).isEqualTo(Severity.WARNING);
    assertThat(summary.key()).isEqualTo("suppressed:feed-stale:AAPL");
    assertThat(a.stats().summaries()).isEqualTo(1);

    a.flushSummaries(); // a summary goes out once
    a.send(alert(Severity.WARNING, "Feed stale", "feed-stale:AAPL")); // new window: sent again
    awaitIdle(a);
    assertThat(phone.delivered()).extracting(Alert::title).last().isEqualTo("Feed stale");
    assertThat(phone.count()).isEqualTo(3);
  }

  @Test
  void summaryCarriesTheHighestSeveritySeenInTheWindow() {
    ScriptedChannel critical = new ScriptedChannel("critical");
    CompositeAlerter a = build(base().channel(critical, Severity.CRITICAL));

    a.send(alert(Severity.WARNING, "Orders rejected", "rejects"));
    a.send(alert(Severity.CRITICAL, "Orders rejected", "rejects"));
    clock.advance(Duration.ofMinutes(5));
    a.flushSummaries();
    awaitIdle(a);

    assertThat(critical.delivered()).singleElement()
        .satisfies(s -> {
          assertThat(s.severity()).isEqualTo(Severity.CRITICAL);
          assertThat(s.title()).startsWith("1 similar alerts suppressed");
        });
  }

  @Test
  void noSummaryWhenNothingWasSuppressed() {
    ScriptedChannel phone = new ScriptedChannel("phone");
    CompositeAlerter a = build(base().channel(phone, Severity.INFO));

    a.send(alert(Severity.WARNING, "Feed stale", "k"));
    clock.advance(Duration.ofMinutes(6));
    a.flushSummaries();
    awaitIdle(a);

    assertThat(phone.count()).isEqualTo(1);
    assertThat(a.stats().summaries()).isZero();
  }

  @Test
  void stormOfDistinctAlertsIsRateLimitedPerChannelThenSummarised() {
    ScriptedChannel phone = new ScriptedChannel("phone");
    ScriptedChannel pager = new ScriptedChannel("pager");
    CompositeAlerter a =
        build(base().channel(phone, Severity.INFO).channel(pager, Severity.CRITICAL)
            .rateLimit(10, Duration.ofMinutes(1)));

    for (int i = 0; i < 10_000; i++) {
      a.send(alert(Severity.WARNING, "Order rejected #" + i, "reject:" + i));
    }
    a.send(alert(Severity.CRITICAL, "Breaker tripped", "breaker"));
    awaitIdle(a);

    assertThat(phone.count()).isEqualTo(10);
    assertThat(a.stats().channel("phone").rateLimited()).isEqualTo(9_991);
    assertThat(pager.delivered()).extracting(Alert::title).containsExactly("Breaker tripped");

    a.flushSummaries(); // no room yet in the phone's window
    awaitIdle(a);
    assertThat(phone.count()).isEqualTo(10);

    clock.advance(Duration.ofMinutes(1));
    a.flushSummaries();
    awaitIdle(a);
    assertThat(phone.count()).isEqualTo(11);
    Alert summary = phone.delivered().get(10);
    assertThat(summary.title())
        .isEqualTo("9991 alerts held back by the rate limit (10 per 1 min) in the last 1 min, latest: Breaker tripped");
    assertThat(summary.severity()).isEqualTo(Severity.CRITICAL);

    a.flushSummaries();
    awaitIdle(a);
    assertThat(phone.count()).isEqualTo(11);
  }

  @Test
  void rateLimitWindowSlidesWithTheClock() {
    ScriptedChannel phone = new ScriptedChannel("phone");
    CompositeAlerter a = build(base().channel(phone, Severity.INFO).rateLimit(2, Duration.ofSeconds(10)));

    a.send(alert(Severity.INFO, "a", "a"));
    clock.advance(Duration.ofSeconds(5));
    a.send(alert(Severity.INFO, "b", "b"));
    a.send(alert(Severity.INFO, "c", "c")); // held
    clock.advance(Duration.ofSeconds(5)); // "a" leaves the window
    a.send(alert(Severity.INFO, "d", "d"));
    a.send(alert(Severity.INFO, "e", "e")); // held
    awaitIdle(a);

    assertThat(phone.delivered()).extracting(Alert::title).containsExactly("a", "b", "d");
    assertThat(a.stats().channel("phone").rateLimited()).isEqualTo(2);
  }

  @Test
  void aChannelCanHaveItsOwnRateLimit() {
    ScriptedChannel whatsapp = new ScriptedChannel("whatsapp");
    ScriptedChannel sms = new ScriptedChannel("sms");
    CompositeAlerter a = build(base().rateLimit(5, Duration.ofMinutes(1))
        .channel(whatsapp, Severity.INFO)
        .channel(sms, Severity.INFO, 2, Duration.ofMinutes(10)));

    for (int i = 0; i < 20; i++) {
      a.send(alert(Severity.CRITICAL, "alert " + i, "k" + i));
    }
    awaitIdle(a);

    assertThat(whatsapp.count()).isEqualTo(5);
    assertThat(sms.count()).isEqualTo(2);
    clock.advance(Duration.ofMinutes(1));
    a.flushSummaries();
    awaitIdle(a);
    assertThat(whatsapp.count()).isEqualTo(6); // its summary
    assertThat(sms.count()).isEqualTo(2); // still no room for one
  }

  @Test
  void anErrorThrownByAChannelIsCountedNotLost() {
    CompositeAlerter a = build(base().channel(new Alerter() {
      @Override
      public String name() {
        return "linkage";
      }

      @Override
      public void send(Alert alert) {}

      @Override
      public void deliver(Alert alert) {
        throw new NoClassDefFoundError("com/example/Missing");
      }
    }, Severity.INFO));

    a.send(alert(Severity.WARNING, "Feed stale", "k"));
    awaitIdle(a);

    assertThat(a.stats().channel("linkage").failed()).isEqualTo(1);
    assertThat(a.stats().channel("linkage").pending()).isZero();
  }

  @Test
  void retryableFailuresAreRetriedWithBackoff() {
    ScriptedChannel flaky = new ScriptedChannel("flaky").failNext(2, true);
    CompositeAlerter a = build(base().channel(flaky, Severity.INFO));

    a.send(alert(Severity.WARNING, "Feed stale", "k"));
    awaitIdle(a);

    assertThat(flaky.attempts()).isEqualTo(3);
    assertThat(flaky.count()).isEqualTo(1);
    CompositeAlerter.ChannelStats s = a.stats().channel("flaky");
    assertThat(s.sent()).isEqualTo(1);
    assertThat(s.retries()).isEqualTo(2);
    assertThat(s.failed()).isZero();
  }

  @Test
  void unexpectedExceptionsCountAsRetryable() {
    ScriptedChannel buggy = new ScriptedChannel("buggy").failNextWith(1, new IllegalStateException("boom"));
    CompositeAlerter a = build(base().channel(buggy, Severity.INFO));

    a.send(alert(Severity.WARNING, "Feed stale", "k"));
    awaitIdle(a);

    assertThat(buggy.attempts()).isEqualTo(2);
    assertThat(a.stats().channel("buggy").sent()).isEqualTo(1);
  }

  @Test
  void givesUpAfterMaxAttempts() {
    ScriptedChannel down = new ScriptedChannel("down").failNext(Integer.MAX_VALUE, true);
    CompositeAlerter a = build(base().channel(down, Severity.INFO));

    a.send(alert(Severity.WARNING, "Feed stale", "k"));
    awaitIdle(a);

    assertThat(down.attempts()).isEqualTo(3);
    CompositeAlerter.ChannelStats s = a.stats().channel("down");
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.retries()).isEqualTo(2);
    assertThat(s.sent()).isZero();
  }

  @Test
  void permanentFailureIsNotRetried() {
    ScriptedChannel refused = new ScriptedChannel("refused").failNext(1, false);
    CompositeAlerter a = build(base().channel(refused, Severity.INFO));

    a.send(alert(Severity.WARNING, "Feed stale", "k"));
    awaitIdle(a);

    assertThat(refused.attempts()).isEqualTo(1);
    assertThat(a.stats().channel("refused").failed()).isEqualTo(1);
    assertThat(a.stats().channel("refused").retries()).isZero();
  }

  @Test
  void fullQueueDropsAndCountsWithoutBlockingTheCaller() {
    ScriptedChannel stuck = new ScriptedChannel("stuck").block();
    ScriptedChannel healthy = new ScriptedChannel("healthy");
    CompositeAlerter a =
        build(base().channel(stuck, Severity.INFO).channel(healthy, Severity.INFO).queueCapacity(2));

    for (int i = 0; i < 5; i++) {
      a.send(alert(Severity.WARNING, "alert " + i, "k" + i)); // returns although "stuck" never delivers
      int expected = i + 1;
      ScriptedChannel.await("healthy channel got " + expected, () -> healthy.count() == expected);
    }
    CompositeAlerter.ChannelStats s = a.stats().channel("stuck");
    assertThat(s.dropped()).isEqualTo(3);
    assertThat(s.pending()).isEqualTo(2);

    stuck.release();
    awaitIdle(a);
    assertThat(stuck.delivered()).extracting(Alert::title).containsExactly("alert 0", "alert 1");
  }

  @Test
  void sendNeverThrows() {
    CompositeAlerter a = build(base());
    assertThatCode(() -> a.send(null)).doesNotThrowAnyException();
    assertThatCode(() -> a.send(alert(Severity.CRITICAL, "only the log", "k"))).doesNotThrowAnyException();
    assertThat(a.stats().received()).isEqualTo(1);
  }

  @Test
  void closeSendsPendingSummariesAndDrainsQueues() {
    ScriptedChannel phone = new ScriptedChannel("phone");
    CompositeAlerter a = base().channel(phone, Severity.INFO).build();

    a.send(alert(Severity.WARNING, "Broker disconnected", "broker"));
    clock.advance(Duration.ofMinutes(2));
    a.send(alert(Severity.WARNING, "Broker disconnected", "broker"));
    a.send(alert(Severity.WARNING, "Broker disconnected", "broker"));
    a.close();

    assertThat(phone.delivered()).extracting(Alert::title)
        .containsExactly("Broker disconnected", "2 similar alerts suppressed in the last 2 min: Broker disconnected");
    a.send(alert(Severity.WARNING, "after close", "late")); // only logged, no throw
    assertThat(phone.count()).isEqualTo(2);
  }

  @Test
  void theSummaryTimerSendsDueSummariesByItself() {
    ScriptedChannel phone = new ScriptedChannel("phone");
    CompositeAlerter a = build(base().channel(phone, Severity.INFO).summaryInterval(Duration.ofMillis(5)));

    a.send(alert(Severity.WARNING, "Feed stale", "k"));
    a.send(alert(Severity.WARNING, "Feed stale", "k"));
    clock.advance(Duration.ofMinutes(5));

    ScriptedChannel.await("summary sent by the timer", () -> phone.count() == 2);
    assertThat(phone.delivered().get(1).title()).startsWith("1 similar alerts suppressed in the last 5 min");
  }

  @Test
  void aCallerOwnedExecutorRunsDeliveriesAndIsNotShutDown() throws Exception {
    java.util.concurrent.ScheduledExecutorService mine = java.util.concurrent.Executors.newScheduledThreadPool(2);
    try {
      ScriptedChannel phone = new ScriptedChannel("phone").failNext(1, true);
      CompositeAlerter a = base().channel(phone, Severity.INFO).executor(mine).build();
      a.send(alert(Severity.CRITICAL, "Breaker tripped", "k"));
      a.close();
      assertThat(phone.count()).isEqualTo(1);
      assertThat(phone.attempts()).isEqualTo(2);
      assertThat(mine.isShutdown()).isFalse();
    } finally {
      mine.shutdownNow();
    }
  }

  @Test
  void builderNamesTheBadValue() {
    assertThatThrownBy(() -> CompositeAlerter.builder().dedupWindow(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dedupWindow").hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> CompositeAlerter.builder().rateLimit(0, Duration.ofMinutes(1)))
        .hasMessageContaining("maxAlerts").hasMessageContaining("was 0");
    assertThatThrownBy(() -> CompositeAlerter.builder().queueCapacity(-5))
        .hasMessageContaining("queueCapacity").hasMessageContaining("-5");
    assertThatThrownBy(() -> CompositeAlerter.builder().retry(3, Duration.ofSeconds(10), Duration.ofSeconds(1)))
        .hasMessageContaining("maxBackoff").hasMessageContaining("PT1S");
    assertThatThrownBy(
            () -> CompositeAlerter.builder()
                .channel(new ScriptedChannel("x"), Severity.INFO)
                .channel(new ScriptedChannel("x"), Severity.CRITICAL)
                .build())
        .hasMessageContaining("'x'");
  }

  @Test
  void backoffDoublesUpToTheCap() {
    CompositeAlerter a =
        build(base().retry(10, Duration.ofMillis(100), Duration.ofMillis(1000)));
    assertThat(a.backoffNanos(1)).isEqualTo(Duration.ofMillis(100).toNanos());
    assertThat(a.backoffNanos(2)).isEqualTo(Duration.ofMillis(200).toNanos());
    assertThat(a.backoffNanos(4)).isEqualTo(Duration.ofMillis(800).toNanos());
    assertThat(a.backoffNanos(5)).isEqualTo(Duration.ofMillis(1000).toNanos());
    assertThat(a.backoffNanos(60)).isEqualTo(Duration.ofMillis(1000).toNanos());
  }

  @Test
  void formatsSpansForHumans() {
    assertThat(CompositeAlerter.formatSpan(Duration.ofMinutes(5))).isEqualTo("5 min");
    assertThat(CompositeAlerter.formatSpan(Duration.ofSeconds(30))).isEqualTo("30 s");
    assertThat(CompositeAlerter.formatSpan(Duration.ofHours(2))).isEqualTo("2 h");
    assertThat(CompositeAlerter.formatSpan(Duration.ofSeconds(150))).isEqualTo("3 min");
  }
}
