package dev.algotrade.api.order;

/** How long an order stays working. */
public enum TimeInForce {
  /** Until the end of the trading day. */
  DAY,
  /** Until cancelled. */
  GTC,
  /** Fill what can be filled at once, cancel the rest. */
  IOC
}
