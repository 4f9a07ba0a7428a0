/**
 * A simulated TWS / IB Gateway: {@link dev.algotrade.ib.testkit.SimulatedGateway} speaks the
 * server side of the TWS socket protocol (server version 178) on a local port, backed by a small
 * matching engine over a random-walk or scripted market, with fault injection for tests.
 */
package dev.algotrade.ib.testkit;
