package dev.algotrade.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.core.RunSummary;
import dev.algotrade.core.TradingSystem;
import dev.algotrade.core.config.Settings;
import dev.algotrade.core.paper.PaperBroker;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleBotRiskTest {

  private static ExampleBot.Options options(long seed, long events) {
    return ExampleBot.Options.parse(new String[] {"--replay", "--seed", Long.toString(seed), "--events",
        Long.toString(events)});
  }

  @Test
  void withTheDefaultLimitsTheSeed42ReplayTripsTheBreakerAndEndsFlat() {
    TradingSystem sys = ExampleBot.replaySystem(options(42, 200_000), ExampleBot.BotSettings.defaults(), PaperBroker.create());
    RunSummary s = sys.run();
    // recorded: the crossover's drawdown from the day's peak passes 3,000 at 20:03:19.9 (the unrestricted
    // run trades on to 6,573 fills, see GoldenReplayTest); the breaker flattens and halts the rest of the day
    assertThat(sys.status().tradingState()).hasToString("HALTED");
    assertThat(sys.status().tradingStateReason()).startsWith("DRAWDOWN_LIMIT: drawdown=3000.43 limit=3000.00");
    assertThat(sys.status().positions()).isEmpty();
    assertThat(s.fills()).isEqualTo(3312);
    assertThat(s.maxDrawdown()).isLessThan(3_100);
  }

  @Test
  void settingsComeFromTheEnvironmentAndBadValuesNameTheKey() {
    ExampleBot.BotSettings b = ExampleBot.BotSettings.load(Settings.of(Map.of("DAILY_LOSS_LIMIT", "750",
        "KILL_SWITCH_FLATTEN", "yes", "TRADING_DAY_ROLL", "16:30")));
    assertThat(b.limits().dailyLossLimit()).isEqualTo(750);
    assertThat(b.limits().maxPositionValue().defaultValue()).isEqualTo(25_000);
    assertThat(b.flattenOnKillSwitch()).isTrue();
    assertThat(b.tradingDayRoll()).hasToString("16:30");
    assertThatThrownBy(() -> ExampleBot.BotSettings.load(Settings.of(Map.of("MAX_LEVERAGE", "-2"))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("MAX_LEVERAGE").hasMessageContaining("'-2'");
  }
}
