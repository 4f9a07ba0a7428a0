package dev.algotrade.testkit;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.core.feed.SimulatedMarket;
import java.time.Duration;
import java.util.List;

/** The simulated market against the feed contract: live at 10x (a round per ms), replay of 20,000 quotes. */
class SimulatedMarketContractTest extends FeedContractTest {

  static final Instrument AAPL = Instrument.stock("AAPL");
  static final Instrument MSFT = Instrument.stock("MSFT");
  static final Instrument ES = Instrument.stock("ES").withTickSize(0.25);

  @Override
  protected MarketDataFeed createFeed() {
    return SimulatedMarket.builder()
        .name("sim-contract")
        .instrument(AAPL, 190)
        .instrument(MSFT, 370)
        .instrument(ES, 4800)
        .seed(42)
        .step(Duration.ofMillis(10))
        .speed(10)
        .limit(20_000)
        .build();
  }

  @Override
  protected List<Instrument> instruments() {
    return List.of(AAPL, MSFT, ES);
  }
}
