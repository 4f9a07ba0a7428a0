package dev.algotrade.sqlite;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.store.BreakerState;
import dev.algotrade.api.store.DailyPnl;
import dev.algotrade.api.store.RiskEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The records queued for the writer. Ticks (quotes, trades, bars) are queued as they are; every
 * other record is one of these immutable ops, stamped with the clock's nano time when queued so
 * the writer can honour the order commit window.
 */
final class Ops {
  private Ops() {}

  /** A non-tick record: never dropped, committed within the order commit window. */
  sealed interface Critical
      permits InstrumentOp, OrderEventOp, FillOp, RiskOp, BreakerOp, DailyPnlOp, PositionsOp, AlertOp,
          HeartbeatOp {
    long queuedNanos();
  }

  record InstrumentOp(Instrument instrument, long queuedNanos) implements Critical {}

  record OrderEventOp(OrderEvent event, Order after, long queuedNanos) implements Critical {}

  record FillOp(Fill fill, double realizedPnl, LocalDate tradingDay, long queuedNanos) implements Critical {}

  record RiskOp(RiskEvent event, long queuedNanos) implements Critical {}

  record BreakerOp(BreakerState state, long queuedNanos) implements Critical {}

  record DailyPnlOp(DailyPnl pnl, long queuedNanos) implements Critical {}

  record PositionsOp(List<Position> positions, String source, Instant time, long queuedNanos)
      implements Critical {}

  record AlertOp(Alert alert, int suppressed, long queuedNanos) implements Critical {}

  record HeartbeatOp(Instant time, long queuedNanos) implements Critical {}

  /** Asks the writer to commit durably everything queued before it, then count down. */
  static final class FlushOp {
    final CountDownLatch done = new CountDownLatch(1);
    volatile Throwable failure;
  }

  /** Wakes a writer waiting on an empty queue; carries nothing. */
  static final Object WAKE = new Object();
}
