package dev.algotrade.api;

/** The store cannot open, migrate, read or write its data. */
public class StoreException extends AlgotradeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
