/**
 * Interactive Brokers adapter: our own client of the TWS / IB Gateway socket protocol
 * ({@link dev.algotrade.ib.IbClient}), the broker ({@link dev.algotrade.ib.IbBroker}), the feed
 * ({@link dev.algotrade.ib.IbFeed}) and historical bars ({@link dev.algotrade.ib.IbHistory}).
 */
package dev.algotrade.ib;
