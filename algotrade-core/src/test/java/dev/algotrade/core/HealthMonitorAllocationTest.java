package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.core.feed.SimulatedMarket;
import dev.algotrade.core.monitor.HealthMonitorConfig;
import dev.algotrade.core.paper.PaperBroker;
import dev.algotrade.core.time.SimulatedClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The health monitor's hook on the quote path allocates nothing: a replay allocates the same
 * per event with the monitor on as with it off. The periodic checks (which may allocate a
 * little, once a period) are set to once an hour so only the per-quote part is measured.
 */
class HealthMonitorAllocationTest {
  static final Instrument AAPL = Instrument.stock("AAPL");
  static final Instant START = Instant.parse("2024-01-02T14:30:00Z");
  static final long EVENTS = 200_000;

  static double bytesPerEvent(boolean monitor) {
    TradingSystem.Builder b = TradingSystem.builder().replay().clock(new SimulatedClock(START)).instrument(AAPL)
        .feed(SimulatedMarket.builder().instrument(AAPL, 100.0).seed(5).step(Duration.ofMillis(100)).start(START)
            .limit(EVENTS).build())
        .broker(PaperBroker.create()).strategy(new Strategy() {}).recordMarketData(false).killSwitchFile(null);
    if (monitor) {
      b.healthMonitor(HealthMonitorConfig.builder().checkPeriod(Duration.ofHours(1)).heartbeatPeriod(Duration.ofHours(1))
          .build());
    }
    TradingSystem sys = b.build();
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    RunSummary s = sys.run();
    long after = mx.getThreadAllocatedBytes(tid);
    assertThat(sys.healthMonitor() != null).isEqualTo(monitor);
    return (double) (after - before) / s.marketEvents();
  }

  @Test
  void theMonitorsQuoteHookAllocatesNothing() {
    bytesPerEvent(false); // warm up both paths
    bytesPerEvent(true);
    double off = bytesPerEvent(false);
    double on = bytesPerEvent(true);
    System.out.printf("bytes per event: health monitor off %.2f, on %.2f%n", off, on);
    assertThat(on - off).as("extra bytes per event with the health monitor on").isLessThan(1.0);
  }
}
