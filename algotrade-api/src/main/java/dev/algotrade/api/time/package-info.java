/**
 * Time: the {@link dev.algotrade.api.time.Clock} that says what "now" is. Only clock
 * implementations read the wall clock, so a replay reproduces a live day.
 */
package dev.algotrade.api.time;
