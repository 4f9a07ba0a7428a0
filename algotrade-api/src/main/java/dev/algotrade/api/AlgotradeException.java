package dev.algotrade.api;

/**
 * Root of every exception AlgoTrade throws on purpose. Unchecked; expected outcomes (a risk
 * veto, a broker refusal) are events, not exceptions.
 */
public class AlgotradeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AlgotradeException(String message) {
    super(message);
  }

  public AlgotradeException(String message, Throwable cause) {
    super(message, cause);
  }
}
