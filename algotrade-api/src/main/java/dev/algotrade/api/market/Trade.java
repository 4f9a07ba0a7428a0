package dev.algotrade.api.market;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/** A trade printed on the tape (last sale): price > 0, size >= 0. */
public record Trade(InstrumentId instrument, Instant time, double price, double size)
    implements MarketData {

  public Trade {
    Checks.notNull(instrument, "Trade.instrument");
    Checks.notNull(time, "Trade.time");
    Checks.positive(price, "Trade.price");
    Checks.nonNegative(size, "Trade.size");
  }
}
