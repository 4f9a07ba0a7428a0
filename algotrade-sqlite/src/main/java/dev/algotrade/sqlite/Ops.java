package dev.algotrade.sqlite;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.store.BreakerState;
import dev.algotrade.api.store.DailyPnl;
import dev.algotrade.api.store.RiskEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The records the writer handles. Ticks (quotes, trades, bars) are queued as they are; every
 * other record is one of these immutable ops, stamped with the clock's nano time when queued so
 * the writer can honour the order commit window (order events and fills travel as fields in
 * {@link RecordQueue} and become rows on the writer thread).
 */
final class Ops {
  private Ops() {}

  /** A non-tick record: never dropped, committed within the order commit window. */
  sealed interface Critical
      permits InstrumentOp, OrderEventRow, FillRow, RiskOp, BreakerOp, DailyPnlOp, PositionsOp, AlertOp,
          HeartbeatOp {
    long queuedNanos();
  }

  record InstrumentOp(Instrument instrument, long queuedNanos) implements Critical {}

  /**
   * An order event and the order's state after it, as {@link RecordQueue} stored them.
   *
   * @param event the event's name, as stored in {@code order_events.event}
   * @param brokerOrderId the order's broker id after the event (null if none yet)
   * @param request the order's request; null when the event came without the order's state
   * @param extra by event: the execution id (filled), the broker id (accepted), the request
   *     (submitted), the reason (cancelled, cancel rejected), else the event itself
   * @param statusAfter null when the event came without the order's state
   * @param fillSide fillQuantity fillPrice for a fill event only
   */
  record OrderEventRow(String event, String clientOrderId, String brokerOrderId, OrderRequest request, Object extra,
      String orderReason, OrderStatus statusAfter, Side fillSide, double filledQuantity, double averageFillPrice,
      double fillQuantity, double fillPrice, long eventNanos, long createdNanos, long updatedNanos,
      long queuedNanos) implements Critical {}

  /** A fill as {@link RecordQueue} stored it. */
  record FillRow(String executionId, String clientOrderId, String instrument, LocalDate tradingDay, Side side,
      double quantity, double price, double commission, double realizedPnl, long timeNanos, long queuedNanos)
      implements Critical {}

  record RiskOp(RiskEvent event, long queuedNanos) implements Critical {}

  record BreakerOp(BreakerState state, long queuedNanos) implements Critical {}

  record DailyPnlOp(DailyPnl pnl, long queuedNanos) implements Critical {}

  record PositionsOp(List<Position> positions, String source, Instant time, long queuedNanos)
      implements Critical {}

  record AlertOp(Alert alert, int suppressed, long queuedNanos) implements Critical {}

  record HeartbeatOp(Instant time, long queuedNanos) implements Critical {}

  /**
   * Asks the writer to commit durably everything queued before it, then count down. It is
   * queued in its thread's lane; {@code otherLaneTarget} is how many records the writer must
   * have taken from the other lane for the flush to cover that lane too.
   */
  static final class FlushOp {
    final CountDownLatch done = new CountDownLatch(1);
    final boolean fromOwner;
    final long otherLaneTarget;
    volatile Throwable failure;

    FlushOp(boolean fromOwner, long otherLaneTarget) {
      this.fromOwner = fromOwner;
      this.otherLaneTarget = otherLaneTarget;
    }
  }

  /** Wakes a writer waiting on an empty queue; carries nothing. */
  static final Object WAKE = new Object();
}
