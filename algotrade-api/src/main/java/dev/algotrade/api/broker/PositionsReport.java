package dev.algotrade.api.broker;

import dev.algotrade.api.internal.Checks;
import dev.algotrade.api.portfolio.Position;
import java.time.Instant;
import java.util.List;

/** Every position the broker holds for the account (flat ones may be left out). */
public record PositionsReport(List<Position> positions, Instant time) {
  public PositionsReport {
    positions = List.copyOf(Checks.notNull(positions, "PositionsReport.positions"));
    Checks.notNull(time, "PositionsReport.time");
  }
}
