package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IbConfigTest {

  @Test
  void defaultsArePaperOnLocalhost() {
    IbConfig c = IbConfig.fromEnv(Map.of());
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(7497);
    assertThat(c.clientId()).isEqualTo(1);
    assertThat(c.account()).isEmpty();
    assertThat(c.maxMessagesPerSecond()).isEqualTo(45);
    assertThat(c.marketDataType()).isEqualTo(IbMarketDataType.LIVE);
    assertThat(c.liveAllowed()).isFalse();
  }

  @Test
  void readsEnvironment() {
    IbConfig c = IbConfig.fromEnv(Map.of("IB_HOST", "10.0.0.5", "IB_PORT", "4002", "IB_CLIENT_ID", "9",
        "IB_ACCOUNT", "DU999", "IB_CONNECT_TIMEOUT_SECONDS", "3", "IB_MAX_MESSAGES_PER_SECOND", "40",
        "IB_MARKET_DATA_TYPE", "delayed"));
    assertThat(c.host()).isEqualTo("10.0.0.5");
    assertThat(c.port()).isEqualTo(4002);
    assertThat(c.clientId()).isEqualTo(9);
    assertThat(c.account()).isEqualTo("DU999");
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.maxMessagesPerSecond()).isEqualTo(40);
    assertThat(c.marketDataType()).isEqualTo(IbMarketDataType.DELAYED);
  }

  @Test
  void badEnvironmentValuesAreAllNamed() {
    assertThatThrownBy(() -> IbConfig.fromEnv(Map.of("IB_PORT", "x", "IB_CLIENT_ID", "y",
        "IB_MARKET_DATA_TYPE", "fast")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("IB_PORT must be an integer, was 'x'")
        .hasMessageContaining("IB_CLIENT_ID must be an integer, was 'y'")
        .hasMessageContaining("IB_MARKET_DATA_TYPE");
  }

  @Test
  void settersValidateAtOnce() {
    assertThatThrownBy(() -> IbConfig.builder().maxMessagesPerSecond(51))
        .hasMessage("IbConfig.maxMessagesPerSecond must be in 1..50, was 51");
    assertThatThrownBy(() -> IbConfig.builder().port(0)).hasMessageContaining("IbConfig.port must be in 1..65535, was 0");
    assertThatThrownBy(() -> IbConfig.builder().maxMessageLength(0x1000000))
        .hasMessageContaining("was 16777216");
    assertThatThrownBy(() -> IbConfig.builder().connectTimeout(Duration.ZERO)).hasMessageContaining("PT0S");
  }

  @Test
  void livePortsAreRefusedUnlessBothSwitchesAreOn() {
    for (int port : new int[] {7496, 4001}) {
      assertThatThrownBy(() -> IbConfig.fromEnv(Map.of("IB_PORT", Integer.toString(port))))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("IB port " + port + " is a live-trading port")
          .hasMessageContaining("IbConfig.builder().liveTrading(true)")
          .hasMessageContaining("ALGOTRADE_LIVE=yes");
      assertThatThrownBy(() -> IbConfig.builder().env(Map.of("IB_PORT", Integer.toString(port)))
          .liveTrading(true).build()).isInstanceOf(ConfigurationException.class);
      assertThatThrownBy(() -> IbConfig.builder().env(Map.of("IB_PORT", Integer.toString(port), "ALGOTRADE_LIVE",
          "yes")).build()).isInstanceOf(ConfigurationException.class);
      IbConfig live = IbConfig.builder().env(Map.of("IB_PORT", Integer.toString(port), "ALGOTRADE_LIVE", "yes"))
          .liveTrading(true).build();
      assertThat(live.liveAllowed()).isTrue();
    }
    assertThat(IbConfig.fromEnv(Map.of("IB_PORT", "4002")).port()).isEqualTo(4002);
  }
}
