package dev.algotrade.core.alert;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.core.time.SimulatedClock;
import java.time.Duration;

/**
 * Measures {@link CompositeAlerter#send} under a storm of identical alerts (the de-duplication
 * path the engine hits when one thing keeps breaking) and prints the figures. Not a test: run
 * it by hand, e.g. {@code java -cp ... dev.algotrade.core.alert.CompositeAlerterStormMain}.
 */
public final class CompositeAlerterStormMain {
  private CompositeAlerterStormMain() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    SimulatedClock clock = SimulatedClock.atDefaultStart();
    ScriptedChannel phone = new ScriptedChannel("phone");
    try (CompositeAlerter a = CompositeAlerter.builder().clock(clock).summaryInterval(Duration.ZERO)
        .channel(phone, Severity.INFO).build()) {
      Alert alert = new Alert(Severity.WARNING, "Feed stale", "instrument=AAPL", clock.now(), "feed-stale:AAPL");
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          a.send(alert);
        }
        long ns = System.nanoTime() - t0;
        System.out.printf("round %d: %,d identical alerts in %.1f ms = %,.0f sends/s, %.0f ns/send%n",
            round, n, ns / 1e6, n / (ns / 1e9), (double) ns / n);
        clock.advance(Duration.ofMinutes(5));
        a.flushSummaries();
      }
      ScriptedChannel.await("deliveries", () -> a.stats().channel("phone").pending() == 0);
      System.out.printf("delivered to the channel: %d (3 firsts + 3 summaries expected), suppressed %,d%n",
          phone.count(), a.stats().suppressed());
    }
  }
}
