package dev.algotrade.core.alert;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Alerter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every alert to the log: CRITICAL at ERROR, WARNING at WARN, INFO at INFO, with the
 * alert's own time (which in a replay is the simulated time, not the log line's). Always on;
 * {@link CompositeAlerter} includes one. Thread-safe; never throws.
 */
public final class LogAlerter implements Alerter {

  private static final Logger log = LoggerFactory.getLogger("dev.algotrade.alert");

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void send(Alert alert) {
    try {
      switch (alert.severity()) {
        case CRITICAL:
          log.error("ALERT {} severity={} key={} time={} text={}", alert.title(), alert.severity(), alert.key(), alert.time(), alert.text());
          break;
        case WARNING:
          log.warn("ALERT {} severity={} key={} time={} text={}", alert.title(), alert.severity(), alert.key(), alert.time(), alert.text());
          break;
        default:
          log.info("ALERT {} severity={} key={} time={} text={}", alert.title(), alert.severity(), alert.key(), alert.time(), alert.text());
      }
    } catch (RuntimeException e) {
      // a broken logging backend must not break the engine
    }
  }
}
