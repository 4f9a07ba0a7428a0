package dev.algotrade.api.alert;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/**
 * A message for a human.
 *
 * @param key de-duplication key: alerts with the same key within a window are sent once
 */
public record Alert(Severity severity, String title, String text, Instant time, String key) {
  public Alert {
    Checks.notNull(severity, "Alert.severity");
    Checks.notBlank(title, "Alert.title");
    Checks.notNull(text, "Alert.text");
    Checks.notNull(time, "Alert.time");
    Checks.notBlank(key, "Alert.key");
  }

  public static Alert of(Severity severity, String title, String text, Instant time) {
    return new Alert(severity, title, text, time, title);
  }
}
