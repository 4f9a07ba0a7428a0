package dev.algotrade.api.broker;

/** Whether orders move real money. */
public enum AccountMode {
  PAPER,
  LIVE,
  /** Not known (yet); treated as {@link #LIVE} by every safety check. */
  UNKNOWN
}
