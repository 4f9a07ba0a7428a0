package dev.algotrade.api.store;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/**
 * A risk fact for the audit trail: a denial, a breaker trip or reset, a kill switch, a
 * reconciliation mismatch.
 *
 * @param kind e.g. {@code DENIAL}, {@code BREAKER_TRIP}, {@code BREAKER_RESET}
 * @param code a stable reason code, e.g. {@code DAILY_LOSS_LIMIT}
 * @param details key=value facts with the numbers
 */
public record RiskEvent(String kind, String code, String details, Instant time) {
  public RiskEvent {
    Checks.notBlank(kind, "RiskEvent.kind");
    Checks.notBlank(code, "RiskEvent.code");
    Checks.notNull(details, "RiskEvent.details");
    Checks.notNull(time, "RiskEvent.time");
  }
}
