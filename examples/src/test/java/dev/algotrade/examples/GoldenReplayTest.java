package dev.algotrade.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.algotrade.api.order.Fill;
import dev.algotrade.api.portfolio.AccountState;
import dev.algotrade.core.RunSummary;
import dev.algotrade.core.SystemStatus;
import dev.algotrade.core.TradingSystem;
import dev.algotrade.core.paper.PaperBroker;
import org.junit.jupiter.api.Test;

/**
 * The example strategy on a fixed seed: its trade count and final P&L are pinned, so any change
 * in behaviour (strategy, planner, paper fills, commissions, portfolio arithmetic) fails loudly.
 * If a change is intended, re-run, check the new figures make sense, and update them here with
 * the reason in the commit message.
 */
class GoldenReplayTest {

  private static ExampleBot.Options options(long seed, long events) {
    return ExampleBot.Options.parse(new String[] {"--replay", "--seed", Long.toString(seed), "--events",
        Long.toString(events)});
  }

  @Test
  void seed42Over200kQuotesGivesTheRecordedResult() {
    PaperBroker broker = PaperBroker.create();
    TradingSystem sys = ExampleBot.replaySystem(options(42, 200_000), broker);
    RunSummary r = sys.run();
    assertThat(r.marketEvents()).isEqualTo(200_000);
    assertThat(r.fills()).isEqualTo(GOLDEN_FILLS);
    assertThat(r.ordersSubmitted()).isEqualTo(GOLDEN_ORDERS);
    assertThat(r.totalPnl()).isCloseTo(GOLDEN_PNL, within(1e-6));
    assertThat(r.commissions()).isCloseTo(GOLDEN_COMMISSIONS, within(1e-6));
  }

  @Test
  void theEnginesBookAgreesWithThePaperBrokersOwnRecord() {
    PaperBroker broker = PaperBroker.create();
    TradingSystem sys = ExampleBot.replaySystem(options(7, 50_000), broker);
    RunSummary r = sys.run();
    SystemStatus st = sys.status();
    assertThat(r.fills()).isEqualTo(broker.fills().size()).isPositive();
    double brokerCommissions = broker.fills().stream().mapToDouble(Fill::commission).sum();
    assertThat(r.commissions()).isCloseTo(brokerCommissions, within(1e-6));
    assertThat(st.positions()).isEqualTo(broker.positions());
    AccountState a = broker.account();
    assertThat(st.equity()).isCloseTo(a.netLiquidation(), within(1e-6));
  }

  @Test
  void sameSeedSameResultDifferentSeedDifferentResult() {
    RunSummary a = ExampleBot.replaySystem(options(3, 30_000), PaperBroker.create()).run();
    RunSummary b = ExampleBot.replaySystem(options(3, 30_000), PaperBroker.create()).run();
    RunSummary c = ExampleBot.replaySystem(options(4, 30_000), PaperBroker.create()).run();
    assertThat(b.fills()).isEqualTo(a.fills());
    assertThat(b.totalPnl()).isEqualTo(a.totalPnl());
    assertThat(c.totalPnl()).isNotEqualTo(a.totalPnl());
  }

  // recorded from the first run of this test; see the class comment before changing them
  private static final long GOLDEN_FILLS = 6573;
  private static final long GOLDEN_ORDERS = 4401;
  private static final double GOLDEN_PNL = -5689.999999999418;
  private static final double GOLDEN_COMMISSIONS = 4401.0;
}
