package dev.algotrade.ib.testkit;

/** Named points in an order's life at which {@link Faults#dropConnectionAt} closes the socket. */
public enum FaultPoint {
  /**
   * When a placeOrder arrives: the order is discarded (it never "reached IB") and the socket is
   * closed, like an order written just before a TWS restart.
   */
  BEFORE_ACK,
  /** After the order was accepted (openOrder + orderStatus sent), before any fill message. */
  BETWEEN_ACK_AND_FILL,
  /** After a fill's execDetails and orderStatus, before its commissionReport. */
  BETWEEN_FILL_AND_COMMISSION,
  /** After a cancel's orderStatus Cancelled, before error 202. */
  BETWEEN_CANCEL_STATUS_AND_202
}
