package dev.algotrade.ib;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.core.time.SystemClock;
import dev.algotrade.ib.testkit.SimulatedGateway;
import dev.algotrade.testkit.FeedContractTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link IbFeed} held to the feed contract, over a real loopback socket, against a fresh
 * {@link SimulatedGateway} per test. The contract has no hook to move a market on demand, so
 * here (unlike the broker contract) the gateway's random walk steps on its own every 2 ms:
 * data keeps flowing, which is what the stop/close checks need to mean anything.
 */
class IbFeedContractTest extends FeedContractTest {

  private static final Instrument AAPL = Instrument.stock("AAPL");
  private static final Instrument MSFT = Instrument.stock("MSFT");

  private SimulatedGateway gateway;
  private int nextClientId = 21;

  @BeforeEach
  void startGateway() {
    gateway = SimulatedGateway.builder().port(0)
        .instrument("AAPL", 265598, 0.01, 190.00)
        .instrument("MSFT", 272093, 0.01, 420.00)
        .seed(7).quoteInterval(Duration.ofMillis(2)).build().start();
  }

  @AfterEach
  void closeGateway() {
    stopFeeds();
    gateway.close();
  }

  /** Each feed owns its connection, with its own client id (two feeds may share a test). */
  @Override
  protected MarketDataFeed createFeed() {
    IbConfig config = IbConfig.builder().host("127.0.0.1").port(gateway.port())
        .clientId(nextClientId++).connectTimeout(Duration.ofSeconds(5)).build();
    return IbFeed.create(config, SystemClock.instance());
  }

  @Override
  protected List<Instrument> instruments() {
    return List.of(AAPL, MSFT);
  }
}
