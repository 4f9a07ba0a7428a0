package dev.algotrade.ib.testkit;

/**
 * Where the simulated quotes come from: the first quote of an instrument and each next one.
 * Called only under the gateway's lock, so implementations need not be thread-safe, but must
 * not be shared between gateways.
 */
public interface MarketModel {

  /** The quote an instrument starts with. */
  SimQuote initial(SimInstrument instrument);

  /** The quote after {@code current} (one step of the market). */
  SimQuote next(SimInstrument instrument, SimQuote current);
}
