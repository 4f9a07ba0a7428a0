/**
 * Brokers: the {@link dev.algotrade.api.broker.Broker} interface (paper broker, IB, ...) and
 * the listener it reports to: order events, positions, open orders, account, connection.
 */
package dev.algotrade.api.broker;
