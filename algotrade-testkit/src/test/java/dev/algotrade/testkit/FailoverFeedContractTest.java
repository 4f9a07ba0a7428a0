package dev.algotrade.testkit;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.core.feed.FailoverFeed;
import dev.algotrade.core.feed.SimulatedMarket;
import java.time.Duration;
import java.util.List;

/** The failover wrapper (two live simulated markets, the second as the fallback) against the feed contract. */
class FailoverFeedContractTest extends FeedContractTest {

  private static SimulatedMarket market(String name, long seed) {
    return SimulatedMarket.builder().name(name).instrument(SimulatedMarketContractTest.AAPL, 190)
        .instrument(SimulatedMarketContractTest.MSFT, 370).instrument(SimulatedMarketContractTest.ES, 4800)
        .seed(seed).step(Duration.ofMillis(10)).speed(10).build();
  }

  @Override
  protected MarketDataFeed createFeed() {
    return FailoverFeed.builder().name("failover-contract").primary(market("stream", 42)).fallback(market("poll", 43))
        .staleAfter(Duration.ofSeconds(5)).build();
  }

  @Override
  protected List<Instrument> instruments() {
    return List.of(SimulatedMarketContractTest.AAPL, SimulatedMarketContractTest.MSFT, SimulatedMarketContractTest.ES);
  }
}
