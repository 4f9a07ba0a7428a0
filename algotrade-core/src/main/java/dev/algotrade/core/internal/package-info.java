/**
 * Engine parts that are public for the other core packages but are not API: the event loop,
 * inbox, timers, order tracking, the planner and the portfolio book. May change without notice.
 */
package dev.algotrade.core.internal;
