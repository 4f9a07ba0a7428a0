package dev.algotrade.ib.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HistoricalPacerTest {

  private static final long S = TimeUnit.SECONDS.toNanos(1);
  private final HistoricalPacer p = new HistoricalPacer();

  @Test
  void identicalRequestWaitsFifteenSeconds() {
    assertThat(p.reserve("AAPL|1D", "AAPL", 1, 0)).isEqualTo(0);
    assertThat(p.reserve("AAPL|1D", "AAPL", 1, S)).isEqualTo(15 * S);
  }

  @Test
  void atMostFivePerContractInTwoSeconds() {
    for (int i = 0; i < 5; i++) {
      assertThat(p.reserve("AAPL|" + i, "AAPL", 1, 0)).isEqualTo(0);
    }
    assertThat(p.reserve("AAPL|5", "AAPL", 1, 0)).isEqualTo(2 * S);
  }

  @Test
  void bidAskCountsTwice() {
    for (int i = 0; i < 2; i++) {
      p.reserve("SPY|" + i, "SPY|BID_ASK", 2, 0);
    }
    // 4 units booked; a fifth fits, a sixth must wait
    assertThat(p.reserve("SPY|2", "SPY|BID_ASK", 2, 0)).isEqualTo(2 * S);
  }

  @Test
  void atMostSixtyInTenMinutes() {
    long t = 0;
    for (int i = 0; i < 60; i++) {
      t = p.reserve("R" + i, "C" + i, 1, 0);
    }
    assertThat(t).isEqualTo(0);
    assertThat(p.reserve("R60", "C60", 1, 0)).isEqualTo(TimeUnit.MINUTES.toNanos(10));
  }
}
