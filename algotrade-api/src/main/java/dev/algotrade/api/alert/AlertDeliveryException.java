package dev.algotrade.api.alert;

import dev.algotrade.api.AlgotradeException;

/**
 * One delivery attempt of a channel failed. {@link #isRetryable()} tells a retrying caller
 * whether another attempt may succeed (a timeout, a server error, throttling) or not (a
 * refused request, bad credentials, an unknown recipient). Thrown only by
 * {@link Alerter#deliver(Alert)}, never by {@link Alerter#send(Alert)}. Messages never carry
 * secrets.
 */
public class AlertDeliveryException extends AlgotradeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public AlertDeliveryException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public AlertDeliveryException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** True when another attempt may succeed, false when the failure is permanent. */
  public boolean isRetryable() {
    return retryable;
  }
}
