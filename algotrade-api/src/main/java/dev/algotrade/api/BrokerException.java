package dev.algotrade.api;

/** A broker connection or protocol failure that the caller cannot treat as an order event. */
public class BrokerException extends AlgotradeException {
  private static final long serialVersionUID = 1L;

  public BrokerException(String message) {
    super(message);
  }

  public BrokerException(String message, Throwable cause) {
    super(message, cause);
  }
}
