package dev.algotrade.core.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.core.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RiskLimitsTest {
  static final InstrumentId AAPL = InstrumentId.of("AAPL");

  static Map<String, String> seed() {
    Map<String, String> m = new HashMap<>();
    m.put("MAX_POSITION_SIZE", "10000");
    m.put("MAX_LEVERAGE", "2.0");
    m.put("DAILY_LOSS_LIMIT", "500");
    return m;
  }

  @Test
  void theSeedsThreeKeysAreEnoughAndTheRestIsOff() {
    RiskLimits l = RiskLimits.fromEnv(seed());
    assertThat(l.maxPositionValue().valueFor(AAPL)).isEqualTo(10_000);
    assertThat(l.maxLeverage()).isEqualTo(2.0);
    assertThat(l.dailyLossLimit()).isEqualTo(500);
    assertThat(l.drawdownHalt()).isZero();
    assertThat(l.maxOrdersPerSecond()).isZero();
  }

  @Test
  void everyKeyIsRead() {
    Map<String, String> m = seed();
    m.put("MAX_POSITION_SIZE_AAPL", "5000");
    m.put("DRAWDOWN_ALERT", "300");
    m.put("DRAWDOWN_LIMIT", "800");
    m.put("REDUCING_DRAWDOWN", "600");
    m.put("MAX_ORDER_QUANTITY", "1000");
    m.put("MAX_ORDER_QUANTITY_AAPL", "200");
    m.put("MAX_ORDER_NOTIONAL", "50000");
    m.put("PRICE_COLLAR_PERCENT", "5");
    m.put("MAX_ORDERS_PER_SECOND", "5");
    m.put("MAX_ORDERS_PER_MINUTE", "100");
    m.put("MAX_CONSECUTIVE_REJECTS", "3");
    RiskLimits l = RiskLimits.fromEnv(m);
    assertThat(l.maxPositionValue().valueFor(AAPL)).isEqualTo(5000);
    assertThat(l.maxPositionValue().valueFor(InstrumentId.of("MSFT"))).isEqualTo(10_000);
    assertThat(l.drawdownAlert()).isEqualTo(300);
    assertThat(l.drawdownHalt()).isEqualTo(800);
    assertThat(l.reducingAbove()).isEqualTo(600);
    assertThat(l.maxOrderQuantity().valueFor(AAPL)).isEqualTo(200);
    assertThat(l.maxOrderNotional().valueFor(AAPL)).isEqualTo(50_000);
    assertThat(l.priceCollarPercent().valueFor(AAPL)).isEqualTo(5);
    assertThat(l.maxOrdersPerSecond()).isEqualTo(5);
    assertThat(l.maxOrdersPerMinute()).isEqualTo(100);
    assertThat(l.maxConsecutiveRejects()).isEqualTo(3);
  }

  @Test
  void missingMalformedAndOutOfRangeValuesNameTheKeyAndTheValue() {
    Map<String, String> m = seed();
    m.remove("DAILY_LOSS_LIMIT");
    assertThatThrownBy(() -> RiskLimits.fromEnv(m)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("DAILY_LOSS_LIMIT is missing");
    Map<String, String> bad = seed();
    bad.put("MAX_LEVERAGE", "two");
    assertThatThrownBy(() -> RiskLimits.fromEnv(bad)).hasMessage("MAX_LEVERAGE must be a number, was 'two'");
    Map<String, String> neg = seed();
    neg.put("MAX_POSITION_SIZE", "-5");
    assertThatThrownBy(() -> RiskLimits.fromEnv(neg)).hasMessage("MAX_POSITION_SIZE must be >= 0, was '-5'");
    Map<String, String> rate = seed();
    rate.put("MAX_ORDERS_PER_SECOND", "1.5");
    assertThatThrownBy(() -> RiskLimits.fromEnv(rate)).hasMessage("MAX_ORDERS_PER_SECOND must be a whole number, was '1.5'");
    Map<String, String> perInstrument = seed();
    perInstrument.put("MAX_POSITION_SIZE_AAPL", "lots");
    assertThatThrownBy(() -> RiskLimits.fromEnv(perInstrument)).hasMessage("MAX_POSITION_SIZE_AAPL must be a number, was 'lots'");
  }

  @Test
  void inconsistentCombinationsFail() {
    Map<String, String> m = seed();
    m.put("DRAWDOWN_ALERT", "900");
    m.put("DRAWDOWN_LIMIT", "800");
    assertThatThrownBy(() -> RiskLimits.fromEnv(m)).hasMessageContaining("drawdownAlert must be below drawdownHalt")
        .hasMessageContaining("alert=900.0 halt=800.0");
    assertThatThrownBy(() -> RiskLimits.builder().maxLeverage(-1)).hasMessageContaining("maxLeverage").hasMessageContaining("-1");
    assertThatThrownBy(() -> RiskLimits.builder().priceCollarPercent(150)).hasMessageContaining("150");
  }

  @Test
  void lenientLoadingKeepsDefaultsForUnsetKeys() {
    RiskLimits defaults = RiskLimits.builder().maxPositionValue(20_000).dailyLossLimit(1000).maxOrderQuantity(500).build();
    RiskLimits l = RiskLimits.from(Settings.of(Map.of("DAILY_LOSS_LIMIT", "250")), defaults);
    assertThat(l.dailyLossLimit()).isEqualTo(250);
    assertThat(l.maxPositionValue().valueFor(AAPL)).isEqualTo(20_000);
    assertThat(l.maxOrderQuantity().valueFor(AAPL)).isEqualTo(500);
  }

  @Test
  void dotEnvFileWithTheEnvironmentOnTop(@TempDir Path dir) throws Exception {
    Path f = dir.resolve(".env");
    Files.writeString(f, "MAX_POSITION_SIZE=10000      # Max $ per position\nMAX_LEVERAGE=2.0\nDAILY_LOSS_LIMIT=500\n");
    RiskLimits l = RiskLimits.fromDotEnv(f, Map.of("DAILY_LOSS_LIMIT", "250"));
    assertThat(l.maxPositionValue().defaultValue()).isEqualTo(10_000);
    assertThat(l.dailyLossLimit()).isEqualTo(250);
  }

  @Test
  void theRepositorysEnvExampleLoadsAndDocumentsEveryKey() throws Exception {
    Path example = Path.of("..", ".env.example");
    RiskLimits l = RiskLimits.fromDotEnv(example, Map.of());
    assertThat(l.dailyLossLimit()).isEqualTo(500);
    assertThat(l.maxPositionValue().defaultValue()).isEqualTo(10_000);
    assertThat(l.maxLeverage()).isEqualTo(2.0);
    String text = Files.readString(example);
    for (String key : new String[] {RiskLimits.MAX_POSITION_SIZE, RiskLimits.MAX_LEVERAGE, RiskLimits.DAILY_LOSS_LIMIT,
        RiskLimits.DRAWDOWN_ALERT, RiskLimits.DRAWDOWN_LIMIT, RiskLimits.REDUCING_DRAWDOWN, RiskLimits.MAX_ORDER_QUANTITY,
        RiskLimits.MAX_ORDER_NOTIONAL, RiskLimits.PRICE_COLLAR_PERCENT, RiskLimits.MAX_ORDERS_PER_SECOND,
        RiskLimits.MAX_ORDERS_PER_MINUTE, RiskLimits.MAX_CONSECUTIVE_REJECTS, "ALGOTRADE_LIVE", "IB_HOST", "IB_PORT",
        "IB_CLIENT_ID", "BROKER", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM", "ALERT_TO", "KILL_SWITCH_FILE",
        "KILL_SWITCH_FLATTEN", "TRADING_DAY_ZONE", "TRADING_DAY_ROLL"}) {
      assertThat(text).as(key).containsPattern("(?m)^" + key + "=");
    }
  }
}
