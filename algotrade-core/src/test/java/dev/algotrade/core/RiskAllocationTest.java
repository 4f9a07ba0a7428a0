package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.core.feed.SimulatedMarket;
import dev.algotrade.core.paper.PaperBroker;
import dev.algotrade.core.risk.RiskLimits;
import dev.algotrade.core.time.SimulatedClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The breaker's per-quote check (daily loss, drawdown) allocates nothing: a replay that holds a
 * position, so the check runs on every quote, allocates the same per event with every limit on
 * as with none.
 */
class RiskAllocationTest {
  static final Instrument AAPL = Instrument.stock("AAPL");
  static final Instant START = Instant.parse("2024-01-02T14:30:00Z");
  static final long EVENTS = 200_000;
  static final RiskLimits ALL_ON = RiskLimits.builder().maxPositionValue(1e9).maxLeverage(100).dailyLossLimit(1e9)
      .drawdownAlert(1e8).drawdownHalt(1e9).reducingAbove(5e8).maxOrderQuantity(1e9).maxOrderNotional(1e12)
      .priceCollarPercent(50).maxOrdersPerSecond(1_000).maxOrdersPerMinute(60_000).maxConsecutiveRejects(1_000).build();

  static double bytesPerEvent(RiskLimits limits) {
    Strategy hold = new Strategy() {
      @Override
      public void onStart(StrategyContext ctx) {}

      @Override
      public void onQuote(StrategyContext ctx, Quote q) {
        if (ctx.position(AAPL.id()) == 0 && ctx.tradingState() == TradingState.ACTIVE) {
          ctx.targetPosition(AAPL.id(), 100);
        }
      }
    };
    TradingSystem sys = TradingSystem.builder().replay().clock(new SimulatedClock(START)).instrument(AAPL)
        .feed(SimulatedMarket.builder().instrument(AAPL, 100.0).seed(5).step(Duration.ofMillis(100)).start(START)
            .limit(EVENTS).build())
        .broker(PaperBroker.create()).strategy(hold).recordMarketData(false).killSwitchFile(null).riskLimits(limits)
        .build();
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    RunSummary s = sys.run();
    long after = mx.getThreadAllocatedBytes(tid);
    assertThat(sys.status().positions()).as("the position is held, so the breaker checks every quote").hasSize(1);
    return (double) (after - before) / s.marketEvents();
  }

  @Test
  void theBreakersPerQuoteCheckAllocatesNothing() {
    bytesPerEvent(RiskLimits.NONE); // warm up both paths
    bytesPerEvent(ALL_ON);
    double off = bytesPerEvent(RiskLimits.NONE);
    double on = bytesPerEvent(ALL_ON);
    System.out.printf("bytes per event: risk off %.2f, risk on %.2f%n", off, on);
    assertThat(on - off).as("extra bytes per event with every limit on").isLessThan(1.0);
  }
}
