package dev.algotrade.api.broker;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/** The broker connection changed state. */
public record BrokerStatus(String broker, ConnectionState state, String detail, Instant time) {
  public BrokerStatus {
    Checks.notBlank(broker, "BrokerStatus.broker");
    Checks.notNull(state, "BrokerStatus.state");
    Checks.notNull(detail, "BrokerStatus.detail");
    Checks.notNull(time, "BrokerStatus.time");
  }
}
