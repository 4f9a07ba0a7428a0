package dev.algotrade.ib;

import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.core.time.SystemClock;
import dev.algotrade.ib.testkit.SimulatedGateway;
import dev.algotrade.testkit.Await;
import dev.algotrade.testkit.BrokerContractTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link IbBroker} held to the broker contract, over a real loopback socket, against a fresh
 * {@link SimulatedGateway} per test whose market moves only when the test shows a quote.
 */
class IbBrokerContractTest extends BrokerContractTest {

  private static final Instrument AAPL = Instrument.stock("AAPL");

  private SimulatedGateway gateway;

  @Override
  protected Broker createBroker() {
    gateway = SimulatedGateway.builder().port(0).instrument("AAPL", 265598, 0.01, 100.00)
        .quoteInterval(Duration.ZERO).build().start();
    IbConfig config = IbConfig.builder().host("127.0.0.1").port(gateway.port()).clientId(11)
        .connectTimeout(Duration.ofSeconds(5)).build();
    return IbBroker.create(config, SystemClock.instance());
  }

  @Override
  protected void awaitReady() {
    Await.until("IbBroker connected to the simulated gateway", timeout(),
        () -> events.statuses().stream().anyMatch(s -> s.state() == ConnectionState.CONNECTED));
  }

  @Override
  protected Instrument instrument() {
    return AAPL;
  }

  @Override
  protected void showQuote(double bid, double ask, double bidSize, double askSize) {
    gateway.setQuote("AAPL", bid, ask, bidSize, askSize);
  }

  @AfterEach
  void closeGateway() {
    if (broker != null) {
      broker.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }
}
