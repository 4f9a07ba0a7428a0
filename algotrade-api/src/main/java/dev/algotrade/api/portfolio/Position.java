package dev.algotrade.api.portfolio;

import dev.algotrade.api.internal.Checks;
import dev.algotrade.api.market.InstrumentId;

/**
 * A position: signed quantity (> 0 long, < 0 short) and its average price (0 when flat).
 */
public record Position(InstrumentId instrument, double quantity, double averagePrice) {
  public Position {
    Checks.notNull(instrument, "Position.instrument");
    Checks.finite(quantity, "Position.quantity");
    Checks.nonNegative(averagePrice, "Position.averagePrice");
  }

  public boolean isFlat() {
    return quantity == 0;
  }
}
