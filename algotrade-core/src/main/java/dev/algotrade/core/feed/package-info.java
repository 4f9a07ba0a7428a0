/**
 * Market-data feeds in core: the seeded {@link dev.algotrade.core.feed.SimulatedMarket}, the
 * {@link dev.algotrade.core.feed.CsvReplayFeed} of recorded quotes and bars, and the
 * {@link dev.algotrade.core.feed.CsvWriter} that records them. Each works as a live push feed
 * and as a synchronous replay source.
 */
package dev.algotrade.core.feed;
