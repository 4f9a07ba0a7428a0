package dev.algotrade.ib.internal;

/** A payload could not be decoded (missing field, bad number). Thrown and caught inside the decoder. */
public final class MalformedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String message) {
    super(message);
  }

  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
