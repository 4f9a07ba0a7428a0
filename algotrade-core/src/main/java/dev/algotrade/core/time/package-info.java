/**
 * Clocks: {@link dev.algotrade.core.time.SystemClock} for live runs and
 * {@link dev.algotrade.core.time.SimulatedClock} for replays and tests, plus the
 * {@link dev.algotrade.core.time.Pacer} that paces live feeds. The only package allowed to read
 * the wall clock or sleep.
 */
package dev.algotrade.core.time;
