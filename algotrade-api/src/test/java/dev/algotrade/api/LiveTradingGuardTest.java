package dev.algotrade.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.LiveTradingGuard;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveTradingGuardTest {
  static final Map<String, String> YES = Map.of("ALGOTRADE_LIVE", "yes");

  @Test
  void paperAlwaysPasses() {
    assertThatCode(() -> LiveTradingGuard.of(false, Map.of()).check(AccountMode.PAPER, "broker paper")).doesNotThrowAnyException();
  }

  @Test
  void liveAndUnknownNeedBothSwitches() {
    for (AccountMode mode : new AccountMode[] {AccountMode.LIVE, AccountMode.UNKNOWN}) {
      assertThatThrownBy(() -> LiveTradingGuard.of(false, Map.of()).check(mode, "broker ib"))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("accountMode=" + mode)
          .hasMessageContaining("allowLiveTrading(true)").hasMessageContaining("ALGOTRADE_LIVE=yes");
      assertThatThrownBy(() -> LiveTradingGuard.of(true, Map.of()).check(mode, "b")).hasMessageContaining("ALGOTRADE_LIVE=<unset>");
      assertThatThrownBy(() -> LiveTradingGuard.of(false, YES).check(mode, "b")).hasMessageContaining("allowLiveTrading in code=false");
      assertThatThrownBy(() -> LiveTradingGuard.of(true, Map.of("ALGOTRADE_LIVE", "true")).check(mode, "b"))
          .hasMessageContaining("ALGOTRADE_LIVE='true'");
      assertThatCode(() -> LiveTradingGuard.of(true, YES).check(mode, "b")).doesNotThrowAnyException();
    }
    assertThat(LiveTradingGuard.of(true, Map.of("ALGOTRADE_LIVE", " YES ")).liveAllowed()).isTrue();
  }

  @Test
  void aKnownLiveTargetSuchAsALivePort() {
    assertThatThrownBy(() -> LiveTradingGuard.of(false, YES).requireLiveAllowed("IB port 7496 (TWS live)"))
        .hasMessageStartingWith("live trading refused: IB port 7496 (TWS live)");
  }
}
