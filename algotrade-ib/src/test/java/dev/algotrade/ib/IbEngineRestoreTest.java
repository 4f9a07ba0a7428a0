package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.core.ReconciliationPolicy;
import dev.algotrade.core.SystemStatus;
import dev.algotrade.core.TradingSystem;
import dev.algotrade.core.time.SystemClock;
import dev.algotrade.ib.testkit.FaultPoint;
import dev.algotrade.ib.testkit.SimFill;
import dev.algotrade.ib.testkit.SimPosition;
import dev.algotrade.ib.testkit.SimulatedGateway;
import dev.algotrade.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine across a lost socket: a {@link TradingSystem} on an {@link IbFeed} and an
 * {@link IbBroker} sharing one reconnecting {@link IbClient}. The socket drops between an
 * order's acknowledgement and its fill; after the reconnect the restore hands the missed fill to
 * the engine before the positions report, so reconciliation (policy HALT, which would stop
 * trading on any mismatch) finds the books equal, and the strategy trades on.
 */
class IbEngineRestoreTest {

  private static final String SYMBOL = "AAPL";
  private static final Instrument AAPL = Instrument.stock(SYMBOL);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private SimulatedGateway gateway;
  private IbClient client;
  private IbBroker broker;
  private TradingSystem system;
  private final IbEndToEndTest.QuoteTargeting strategy = new IbEndToEndTest.QuoteTargeting(AAPL.id());

  @BeforeEach
  void start() {
    gateway = SimulatedGateway.builder().port(0).instrument(SYMBOL, 265598, 0.01, 100.00).build().start();
    gateway.setQuote(SYMBOL, 100.00, 100.02, 1000, 1000);
    IbConfig config = IbConfig.builder().host("127.0.0.1").port(gateway.port()).clientId(6)
        .connectTimeout(Duration.ofSeconds(5))
        .reconnect(ReconnectPolicy.ofDefaults().withDelays(Duration.ofMillis(50), Duration.ofMillis(400))).build();
    client = IbClient.create(config, SystemClock.instance());
    broker = IbBroker.on(client);
    system = TradingSystem.builder().instrument(AAPL).feed(IbFeed.on(client)).broker(broker).strategy(strategy)
        .reconciliationPolicy(ReconciliationPolicy.HALT).killSwitchFile(null).recordMarketData(false).build();
    system.start();
    Await.until("the first quote reaches the strategy", TIMEOUT, () -> strategy.quotes.get() > 0);
  }

  @AfterEach
  void stop() {
    if (system != null) {
      system.close();
    }
    if (client != null) {
      client.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aFillMissedDuringTheOutageIsBookedOnceAndReconciliationAgrees() {
    showBid(100.20);
    awaitSettled(20);
    gateway.faults().dropConnectionAt(FaultPoint.BETWEEN_ACK_AND_FILL);
    showBid(99.85); // sell 35: acknowledged, then the socket drops and the fill happens unseen
    Await.until("restored", TIMEOUT, () -> broker.restores() == 1);
    awaitSettled(-15);

    showBid(100.05); // trading goes on after the restore: buy 20
    awaitSettled(5);
    SystemStatus s = system.status();
    assertThat(s.tradingState()).as("no reconciliation mismatch halted trading: " + s.tradingStateReason())
        .isEqualTo(TradingState.ACTIVE);
    List<String> booked = strategy.fills.stream().map(Fill::executionId).collect(Collectors.toList());
    assertThat(booked).doesNotHaveDuplicates();
    assertThat(Set.copyOf(booked)).isEqualTo(gateway.fills().stream().map(SimFill::execId).collect(Collectors.toSet()));
    assertThat(client.sessions()).isEqualTo(2);
  }

  private void showBid(double bid) {
    gateway.setQuote(SYMBOL, bid, Math.round((bid + 0.02) * 100) / 100.0, 1000, 1000);
  }

  private void awaitSettled(double target) {
    Await.until("engine and gateway at " + target, TIMEOUT, () -> {
      SystemStatus s = system.status();
      double ours = s.positions().stream().filter(p -> p.instrument().equals(AAPL.id()))
          .mapToDouble(Position::quantity).sum();
      double theirs = gateway.positions().stream().filter(p -> p.symbol().equals(SYMBOL))
          .mapToDouble(SimPosition::quantity).sum();
      return s.openOrders().isEmpty() && ours == target && theirs == target;
    });
  }
}
