/**
 * The built-in paper broker: a simulated venue inside the engine that fills orders against the
 * market data the strategies see, with latency, partial fills by displayed size, commissions
 * and rejects, and reports positions, open orders and account like a real broker.
 */
package dev.algotrade.core.paper;
