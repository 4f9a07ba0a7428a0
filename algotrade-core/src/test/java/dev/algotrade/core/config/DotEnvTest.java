package dev.algotrade.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotEnvTest {

  @Test
  void parsesCommentsQuotesExportAndInlineComments() {
    Map<String, String> m = DotEnv.parse(String.join("\n",
        "# risk",
        "",
        "MAX_POSITION_SIZE=10000      # Max $ per position",
        "export MAX_LEVERAGE = 2.0",
        "TWILIO_FROM=\"whatsapp:+1 415 # not a comment\"",
        "SINGLE='a \\n b'",
        "DOUBLE=\"line\\nnext \\\"q\\\"\"",
        "EMPTY=",
        "HASH=abc#def"), "test");
    assertThat(m).containsEntry("MAX_POSITION_SIZE", "10000").containsEntry("MAX_LEVERAGE", "2.0")
        .containsEntry("TWILIO_FROM", "whatsapp:+1 415 # not a comment").containsEntry("SINGLE", "a \\n b")
        .containsEntry("DOUBLE", "line\nnext \"q\"").containsEntry("EMPTY", "").containsEntry("HASH", "abc#def");
  }

  @Test
  void malformedLinesNameTheLine() {
    assertThatThrownBy(() -> DotEnv.parse("A=1\nthis is not a setting\n", ".env"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining(".env line 2")
        .hasMessageContaining("this is not a setting");
    assertThatThrownBy(() -> DotEnv.parse("A=\"open", ".env")).hasMessageContaining("no closing");
    assertThatThrownBy(() -> DotEnv.parse("1A=x", ".env")).hasMessageContaining("'1A' is not a valid key");
  }

  @Test
  void theRealEnvironmentOverridesTheFileAndAMissingFileIsEmpty(@TempDir Path dir) throws Exception {
    Path f = dir.resolve(".env");
    Files.writeString(f, "MAX_LEVERAGE=2\nDAILY_LOSS_LIMIT=500\n");
    Settings s = Settings.load(f, Map.of("MAX_LEVERAGE", "1.5"));
    assertThat(s.getDouble("MAX_LEVERAGE", 0, 0, 10)).isEqualTo(1.5);
    assertThat(s.getDouble("DAILY_LOSS_LIMIT", 0, 0, 1e9)).isEqualTo(500);
    assertThat(Settings.load(dir.resolve("missing.env"), Map.of()).asMap()).isEmpty();
  }

  @Test
  void typedGettersNameTheKeyAndTheValue() {
    Settings s = Settings.of(Map.of("N", "abc", "R", "-1", "B", "maybe", "Z", "Mars/Base", "T", "25:00",
        "D", "5 parsecs", "OK", "10_000", "YES", "yes", "ROLL", "17:00", "POLL", "250ms"));
    assertThatThrownBy(() -> s.getDouble("N", 0, 0, 1)).hasMessage("N must be a number, was 'abc'");
    assertThatThrownBy(() -> s.getDouble("R", 0, 0, 1)).hasMessage("R must be between 0 and 1, was '-1'");
    assertThatThrownBy(() -> s.getBoolean("B", false)).hasMessage("B must be yes or no, was 'maybe'");
    assertThatThrownBy(() -> s.getZone("Z", null)).hasMessageContaining("Z must be a time zone").hasMessageContaining("'Mars/Base'");
    assertThatThrownBy(() -> s.getTime("T", null)).hasMessageContaining("'25:00'");
    assertThatThrownBy(() -> s.getDuration("D", null)).hasMessageContaining("D must look like").hasMessageContaining("'5 parsecs'");
    assertThatThrownBy(() -> s.require("MISSING")).hasMessageContaining("MISSING is missing");
    assertThat(s.getDouble("OK", 0, 0, 1e9)).isEqualTo(10_000);
    assertThat(s.getBoolean("YES", false)).isTrue();
    assertThat(s.getTime("ROLL", null)).isEqualTo(LocalTime.of(17, 0));
    assertThat(s.getDuration("POLL", null)).isEqualTo(Duration.ofMillis(250));
    assertThat(s.getZone("UNSET", ZoneId.of("UTC"))).isEqualTo(ZoneId.of("UTC"));
  }
}
