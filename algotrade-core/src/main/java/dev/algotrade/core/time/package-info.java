/**
 * Clocks: {@link dev.algotrade.core.time.SystemClock} for live runs and
 * {@link dev.algotrade.core.time.SimulatedClock} for replays and tests. The only package
 * allowed to read the wall clock.
 */
package dev.algotrade.core.time;
