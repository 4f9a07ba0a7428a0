package dev.algotrade.api;

/** A setting is missing, malformed, out of range or inconsistent with another. */
public class ConfigurationException extends AlgotradeException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
