package dev.algotrade.api.portfolio;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/**
 * The account as the broker reports it.
 *
 * @param netLiquidation equity: cash plus the market value of positions
 * @param grossPositionValue sum of |market value| over positions
 * @param availableFunds what the broker would let us commit
 */
public record AccountState(
    String accountId,
    String currency,
    double netLiquidation,
    double cash,
    double grossPositionValue,
    double availableFunds,
    Instant time) {
  public AccountState {
    Checks.notBlank(accountId, "AccountState.accountId");
    Checks.notBlank(currency, "AccountState.currency");
    Checks.finite(netLiquidation, "AccountState.netLiquidation");
    Checks.finite(cash, "AccountState.cash");
    Checks.nonNegative(grossPositionValue, "AccountState.grossPositionValue");
    Checks.finite(availableFunds, "AccountState.availableFunds");
    Checks.notNull(time, "AccountState.time");
  }
}
