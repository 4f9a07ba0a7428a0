package dev.algotrade.api.market;

/** Kind of instrument; adapters map it to their own codes (IB: STK, FUT, OPT, CASH, ...). */
public enum SecurityType {
  STOCK,
  FUTURE,
  OPTION,
  FOREX,
  INDEX,
  CFD,
  CRYPTO
}
