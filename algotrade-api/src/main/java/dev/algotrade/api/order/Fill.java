package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;
import dev.algotrade.api.market.InstrumentId;
import java.time.Instant;

/**
 * One execution. The execution id is unique per broker: the engine applies a fill at most once
 * per execution id.
 *
 * @param clientOrderId our order, or null for an execution of an order we did not place
 * @param commission commission charged, >= 0, in the account currency
 */
public record Fill(
    ClientOrderId clientOrderId,
    String executionId,
    InstrumentId instrument,
    Side side,
    double quantity,
    double price,
    double commission,
    Instant time) {

  public Fill {
    Checks.notBlank(executionId, "Fill.executionId");
    Checks.notNull(instrument, "Fill.instrument");
    Checks.notNull(side, "Fill.side");
    Checks.positive(quantity, "Fill.quantity");
    Checks.positive(price, "Fill.price");
    Checks.nonNegative(commission, "Fill.commission");
    Checks.notNull(time, "Fill.time");
  }

  public double signedQuantity() {
    return side.sign() * quantity;
  }
}
