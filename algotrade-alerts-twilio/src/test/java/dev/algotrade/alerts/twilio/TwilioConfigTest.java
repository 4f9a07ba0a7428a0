package dev.algotrade.alerts.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwilioConfigTest {

  static final String SID = "AC0123456789abcdef0123456789abcdef";
  static final String TOKEN = "s3cr3t-auth-token-0123456789abcdef";

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("TWILIO_ACCOUNT_SID", SID);
    env.put("TWILIO_AUTH_TOKEN", TOKEN);
    env.put("TWILIO_FROM", "whatsapp:+14155238886");
    env.put("ALERT_TO", "+15551230001, whatsapp:+15551230002;+447700900123");
    env.put("ALERT_TIMEZONE", "America/New_York");
    return env;
  }

  @Test
  void readsEnvironmentKeys() {
    TwilioConfig c = TwilioConfig.fromEnv(env());
    assertThat(c.accountSid()).isEqualTo(SID);
    assertThat(c.authToken()).isEqualTo(TOKEN);
    assertThat(c.whatsapp()).isTrue();
    assertThat(c.to()).containsExactly("+15551230001", "+15551230002", "+447700900123");
    assertThat(c.zone()).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(c.endpoint()).isNull();
    assertThat(c.contentSid()).isNull();
  }

  @Test
  void readsAnOptionalContentTemplateAndNamesABadOne() {
    Map<String, String> env = env();
    env.put("TWILIO_CONTENT_SID", "HX0123456789abcdef0123456789abcdef");
    assertThat(TwilioConfig.fromEnv(env).contentSid()).isEqualTo("HX0123456789abcdef0123456789abcdef");
    env.put("TWILIO_CONTENT_SID", "my-template");
    assertThatThrownBy(() -> TwilioConfig.fromEnv(env))
        .hasMessageContaining("TWILIO_CONTENT_SID").hasMessageContaining("'my-template'");
  }

  @Test
  void zoneDefaultsToUtcAndSmsIsChosenByAPlainSender() {
    Map<String, String> env = env();
    env.remove("ALERT_TIMEZONE");
    env.put("TWILIO_FROM", "+15017122661");
    TwilioConfig c = TwilioConfig.fromEnv(env);
    assertThat(c.zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(c.whatsapp()).isFalse();
  }

  @Test
  void namesEveryMissingKey() {
    Map<String, String> env = env();
    env.remove("TWILIO_AUTH_TOKEN");
    env.put("ALERT_TO", " ");
    assertThatThrownBy(() -> TwilioConfig.fromEnv(env))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TWILIO_AUTH_TOKEN").hasMessageContaining("ALERT_TO");
  }

  @Test
  void namesBadValuesButNeverTheToken() {
    Map<String, String> env = env();
    env.put("TWILIO_ACCOUNT_SID", "XX123");
    env.put("TWILIO_FROM", "whatsapp:5551234");
    env.put("ALERT_TO", "+15551230001,call-me");
    env.put("TWILIO_AUTH_TOKEN", "has space " + TOKEN);
    assertThatThrownBy(() -> TwilioConfig.fromEnv(env))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TWILIO_ACCOUNT_SID").hasMessageContaining("'XX123'")
        .hasMessageContaining("TWILIO_FROM").hasMessageContaining("'whatsapp:5551234'")
        .hasMessageContaining("ALERT_TO").hasMessageContaining("'call-me'")
        .hasMessageContaining("TWILIO_AUTH_TOKEN")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));

    env.putAll(env());
    env.put("ALERT_TIMEZONE", "Mars/Olympus");
    assertThatThrownBy(() -> TwilioConfig.fromEnv(env)).hasMessageContaining("'Mars/Olympus'");
  }

  @Test
  void toStringRedactsTheToken() {
    TwilioConfig c = TwilioConfig.fromEnv(env());
    assertThat(c.toString()).doesNotContain(TOKEN).contains("authToken=<redacted>").contains(SID);
  }

  @Test
  void plainHttpEndpointOnlyOnLoopback() {
    TwilioConfig base = TwilioConfig.fromEnv(env());
    assertThat(TwilioConfig.builder(base).endpoint(URI.create("http://127.0.0.1:8080")).build().endpoint())
        .hasPort(8080);
    assertThat(TwilioConfig.builder(base).endpoint(URI.create("https://twilio-proxy.example:8443")).build().endpoint())
        .hasHost("twilio-proxy.example");
    assertThatThrownBy(() -> TwilioConfig.builder(base).endpoint(URI.create("http://twilio-proxy.example")).build())
        .hasMessageContaining("loopback").hasMessageContaining("http://twilio-proxy.example");
  }

  @Test
  void builderNamesOutOfRangeSettings() {
    TwilioConfig base = TwilioConfig.fromEnv(env());
    assertThatThrownBy(() -> TwilioConfig.builder(base).maxLength(5).queueCapacity(0).build())
        .hasMessageContaining("maxLength must be in 40..1600").hasMessageContaining("was 5")
        .hasMessageContaining("queueCapacity must be > 0, was 0");
  }

  @Test
  void readsADotEnvFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(".env");
    Files.writeString(file, String.join("\n",
        "# Twilio",
        "TWILIO_ACCOUNT_SID=" + SID,
        "export TWILIO_AUTH_TOKEN=\"" + TOKEN + "\"",
        "TWILIO_FROM='whatsapp:+14155238886'",
        "ALERT_TO=+15551230001 # my phone",
        "",
        "not a setting"));
    Map<String, String> read = TwilioConfig.readDotEnv(file);
    assertThat(read).containsEntry("TWILIO_AUTH_TOKEN", TOKEN)
        .containsEntry("TWILIO_FROM", "whatsapp:+14155238886")
        .containsEntry("ALERT_TO", "+15551230001")
        .hasSize(4);
    assertThat(TwilioConfig.fromEnv(read).to()).containsExactly("+15551230001");
  }
}
