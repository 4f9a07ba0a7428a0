/**
 * Technical indicators (SMA, EMA, RSI, ATR, MACD, Bollinger Bands) that update incrementally in
 * O(1) per value without allocating, owned by the engine thread.
 */
package dev.algotrade.core.indicator;
