/**
 * Market data: instruments, the sealed {@link dev.algotrade.api.market.MarketData} family
 * (quotes, trades, bars), feed health, and the {@link dev.algotrade.api.market.MarketDataFeed}
 * interface that live and replay sources implement.
 */
package dev.algotrade.api.market;
