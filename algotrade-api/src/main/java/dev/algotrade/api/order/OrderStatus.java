package dev.algotrade.api.order;

/**
 * The life of an order as a state machine. Terminal states ({@link #FILLED},
 * {@link #CANCELLED}, {@link #REJECTED}, {@link #DENIED}, {@link #EXPIRED}) are final: no
 * transition leaves them.
 *
 * <pre>
 * PENDING_SUBMIT -> ACCEPTED -> PARTIALLY_FILLED -> FILLED
 *        |              |              |
 *        +--------------+--------------+--> CANCELLED | EXPIRED | REJECTED
 * (new) -> DENIED   (vetoed by a risk rule; never reached the broker)
 * </pre>
 *
 * A fill may arrive before the acknowledgement (PENDING_SUBMIT -> PARTIALLY_FILLED/FILLED).
 */
public enum OrderStatus {
  /** Sent (or about to be sent) to the broker; no acknowledgement yet. */
  PENDING_SUBMIT,
  /** The broker acknowledged it and it is working. */
  ACCEPTED,
  /** Some, not all, of the quantity filled; still working. */
  PARTIALLY_FILLED,
  /** All of the quantity filled. */
  FILLED,
  /** Cancelled (by us, the broker, or IOC remainder); may carry a partial fill. */
  CANCELLED,
  /** Refused by the broker. */
  REJECTED,
  /** Vetoed by a risk rule before it reached the broker. */
  DENIED,
  /** Its time in force ran out. */
  EXPIRED;

  public boolean isTerminal() {
    return this == FILLED || this == CANCELLED || this == REJECTED || this == DENIED || this == EXPIRED;
  }

  /** Working: the broker may still fill it. */
  public boolean isWorking() {
    return this == PENDING_SUBMIT || this == ACCEPTED || this == PARTIALLY_FILLED;
  }

  /** Whether the machine allows {@code this -> next}. A partial fill may repeat. */
  public boolean canTransitionTo(OrderStatus next) {
    switch (this) {
      case PENDING_SUBMIT:
        return next == ACCEPTED || next == PARTIALLY_FILLED || next == FILLED || next == CANCELLED
            || next == REJECTED || next == EXPIRED;
      case ACCEPTED:
        return next == PARTIALLY_FILLED || next == FILLED || next == CANCELLED || next == REJECTED
            || next == EXPIRED;
      case PARTIALLY_FILLED:
        return next == PARTIALLY_FILLED || next == FILLED || next == CANCELLED || next == EXPIRED
            || next == REJECTED;
      default:
        return false;
    }
  }

  /**
   * Returns {@code next} if the transition is allowed.
   *
   * @throws IllegalStateException naming both states if it is not
   */
  public OrderStatus transitionTo(OrderStatus next) {
    if (!canTransitionTo(next)) {
      throw new IllegalStateException("illegal order status transition " + this + " -> " + next);
    }
    return next;
  }
}
