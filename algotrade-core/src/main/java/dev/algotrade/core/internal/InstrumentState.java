package dev.algotrade.core.internal;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.Quote;
import java.util.ArrayList;

/** Per-instrument engine state. Confined to the engine thread. */
final class InstrumentState {
  final Instrument instrument;
  final Portfolio.Book book;
  final ArrayList<WorkingOrder> working = new ArrayList<>(4);
  Quote lastQuote;
  /** The last target the planner sent that a risk rule vetoed, and when it may be sent again. */
  double deniedTarget = Double.NaN;
  java.time.Instant deniedRetryAt = java.time.Instant.MIN;

  InstrumentState(Instrument instrument, Portfolio.Book book) {
    this.instrument = instrument;
    this.book = book;
  }

  double workingQuantity(int sign) {
    double sum = 0;
    for (int i = 0; i < working.size(); i++) {
      WorkingOrder wo = working.get(i);
      if (wo.request.side().sign() == sign) {
        sum += wo.remaining();
      }
    }
    return sum;
  }
}
