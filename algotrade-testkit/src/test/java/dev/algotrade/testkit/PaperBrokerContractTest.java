package dev.algotrade.testkit;

import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.Quote;
import dev.algotrade.core.paper.PaperBroker;
import dev.algotrade.core.time.SimulatedClock;
import java.time.Duration;

/** The paper broker held to the same standard as every real broker adapter. */
class PaperBrokerContractTest extends BrokerContractTest {
  private static final Instrument AAPL = Instrument.stock("AAPL");
  private final SimulatedClock clock = SimulatedClock.atDefaultStart();
  private PaperBroker paper;

  @Override
  protected Broker createBroker() {
    paper = PaperBroker.builder().clock(clock).instrument(AAPL).build();
    return paper;
  }

  @Override
  protected Instrument instrument() {
    return AAPL;
  }

  @Override
  protected void showQuote(double bid, double ask, double bidSize, double askSize) {
    clock.advance(Duration.ofMillis(100));
    paper.onMarketData(new Quote(AAPL.id(), clock.now(), bid, ask, bidSize, askSize));
  }
}
