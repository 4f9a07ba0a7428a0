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

  @Test
  void reconnectAndKeepaliveDefaults() {
    IbConfig c = IbConfig.fromEnv(Map.of());
    assertThat(c.reconnect()).isEqualTo(ReconnectPolicy.ofDefaults());
    assertThat(c.keepaliveInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.keepaliveTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.keepaliveEnabled()).isTrue();
    assertThat(c.dailyRestart().isNone()).isTrue();
  }

  @Test
  void readsReconnectEnvironment() {
    IbConfig c = IbConfig.fromEnv(Map.of("IB_RECONNECT", "false", "IB_RECONNECT_INITIAL_SECONDS", "2",
        "IB_RECONNECT_MAX_SECONDS", "30", "IB_KEEPALIVE_INTERVAL_SECONDS", "5", "IB_KEEPALIVE_TIMEOUT_SECONDS", "12",
        "IB_DAILY_RESTART", "23:45", "IB_DAILY_RESTART_ZONE", "Europe/Zurich"));
    assertThat(c.reconnect().enabled()).isFalse();
    assertThat(c.reconnect().initialDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.reconnect().maxDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.keepaliveInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.keepaliveTimeout()).isEqualTo(Duration.ofSeconds(12));
    assertThat(c.dailyRestart()).isEqualTo(RestartWindow.daily(java.time.LocalTime.of(23, 45),
        IbConfig.DEFAULT_RESTART_LENGTH, java.time.ZoneId.of("Europe/Zurich")));
    assertThat(IbConfig.fromEnv(Map.of("IB_KEEPALIVE_INTERVAL_SECONDS", "0")).keepaliveEnabled()).isFalse();
  }

  @Test
  void badReconnectValuesAreAllNamed() {
    assertThatThrownBy(() -> IbConfig.fromEnv(Map.of("IB_RECONNECT", "maybe", "IB_RECONNECT_INITIAL_SECONDS", "0",
        "IB_KEEPALIVE_INTERVAL_SECONDS", "30", "IB_KEEPALIVE_TIMEOUT_SECONDS", "20", "IB_DAILY_RESTART", "25:99",
        "IB_DAILY_RESTART_ZONE", "Mars/Base")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("IB_RECONNECT must be true or false, was 'maybe'")
        .hasMessageContaining("IB_RECONNECT_INITIAL_SECONDS must be > 0, was 0")
        .hasMessageContaining("IB_KEEPALIVE_TIMEOUT_SECONDS must be > IB_KEEPALIVE_INTERVAL_SECONDS 30, was 20")
        .hasMessageContaining("IB_DAILY_RESTART must be a local time HH:mm such as 23:45, was '25:99'")
        .hasMessageContaining("IB_DAILY_RESTART_ZONE must be a time zone id such as America/New_York, was 'Mars/Base'");
    assertThatThrownBy(() -> IbConfig.builder().keepalive(Duration.ofSeconds(10), Duration.ofSeconds(10)))
        .hasMessage("IbConfig.keepaliveTimeout must be > keepaliveInterval PT10S, was PT10S");
    assertThatThrownBy(() -> IbConfig.builder().keepalive(Duration.ofSeconds(-1), Duration.ofSeconds(10)))
        .hasMessage("IbConfig.keepaliveInterval must be >= 0, was PT-1S");
    assertThatThrownBy(() -> IbConfig.builder().reconnect(null)).hasMessageContaining("IbConfig.reconnect");
  }

  @Test
  void restartWindowMayCrossMidnight() {
    RestartWindow w = RestartWindow.daily(java.time.LocalTime.of(23, 50), Duration.ofMinutes(20),
        java.time.ZoneId.of("America/New_York"));
    // 23:55 and 00:05 New York (EST, UTC-5) are inside, 00:10 and 23:49 are not
    assertThat(w.contains(java.time.Instant.parse("2024-01-03T04:55:00Z"))).isTrue();
    assertThat(w.contains(java.time.Instant.parse("2024-01-03T05:05:00Z"))).isTrue();
    assertThat(w.contains(java.time.Instant.parse("2024-01-03T05:10:00Z"))).isFalse();
    assertThat(w.contains(java.time.Instant.parse("2024-01-03T04:49:00Z"))).isFalse();
    assertThat(RestartWindow.none().contains(java.time.Instant.parse("2024-01-03T04:55:00Z"))).isFalse();
    assertThatThrownBy(() -> RestartWindow.daily(java.time.LocalTime.NOON, Duration.ofHours(13),
        java.time.ZoneId.of("UTC"))).hasMessage("RestartWindow.length must be in 0..12 hours, was PT13H");
  }
}
