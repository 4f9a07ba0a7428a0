/** JMH benchmarks: the engine's per-event path and its pieces. */
package dev.algotrade.benchmarks;
