package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.AccountState;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.core.RunSummary;
import dev.algotrade.core.SystemStatus;
import dev.algotrade.core.TradingSystem;
import dev.algotrade.core.time.SystemClock;
import dev.algotrade.ib.testkit.SimFill;
import dev.algotrade.ib.testkit.SimPosition;
import dev.algotrade.ib.testkit.SimulatedGateway;
import dev.algotrade.testkit.Await;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path, live: a {@link TradingSystem} whose feed and broker are an {@link IbFeed} and
 * an {@link IbBroker} sharing one {@link IbClient}, connected over loopback to a
 * {@link SimulatedGateway} whose market moves only when the test sets a quote. A strategy turns
 * every quote into a target position; the test walks the market and checks that the engine's
 * book and the gateway's book agree, execution by execution (no fill lost, none doubled), also
 * when thin displayed size splits orders into partial fills.
 */
class IbEndToEndTest {

  private static final String SYMBOL = "AAPL";
  private static final Instrument AAPL = Instrument.stock(SYMBOL);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private SimulatedGateway gateway;
  private IbClient client;
  private IbBroker broker;
  private TradingSystem system;
  private final QuoteTargeting strategy = new QuoteTargeting(AAPL.id());
  private final AtomicReference<AccountState> accountAtFirstCheck = new AtomicReference<>();
  private final AtomicBoolean checked = new AtomicBoolean();

  /** Target = (bid - 100.00) x 100 shares: bid 100.20 -> long 20, bid 99.85 -> short 15. */
  static final class QuoteTargeting implements Strategy {
    final InstrumentId instrument;
    final List<Fill> fills = new CopyOnWriteArrayList<>();
    final List<OrderEvent> rejections = new CopyOnWriteArrayList<>();
    final AtomicLong quotes = new AtomicLong();

    QuoteTargeting(InstrumentId instrument) {
      this.instrument = instrument;
    }

    static double targetFor(double bid) {
      return Math.round((bid - 100.0) * 100);
    }

    @Override
    public void onQuote(StrategyContext ctx, Quote q) {
      if (!q.isTwoSided()) {
        return;
      }
      quotes.incrementAndGet();
      ctx.targetPosition(instrument, targetFor(q.bid()));
    }

    @Override
    public void onFill(StrategyContext ctx, Fill fill) {
      fills.add(fill);
    }

    @Override
    public void onOrderUpdate(StrategyContext ctx, Order order, OrderEvent event) {
      if (event instanceof OrderRejected) {
        rejections.add(event);
      }
    }
  }

  @BeforeEach
  void start() {
    gateway = SimulatedGateway.builder().port(0).instrument(SYMBOL, 265598, 0.01, 100.00)
        .quoteInterval(Duration.ZERO).build().start();
    gateway.setQuote(SYMBOL, 100.00, 100.02, 1000, 1000); // target 0 until the test moves it
    IbConfig config = IbConfig.builder().host("127.0.0.1").port(gateway.port()).clientId(5)
        .connectTimeout(Duration.ofSeconds(5)).build();
    client = IbClient.create(config, SystemClock.instance());
    broker = IbBroker.on(client);
    system = TradingSystem.builder().instrument(AAPL).feed(IbFeed.on(client)).broker(broker)
        .strategy(strategy).riskRule(this::recordAccount).killSwitchFile(null).recordMarketData(false).build();
    system.start();
    Await.until("the first two-sided quote reaches the strategy", TIMEOUT, () -> strategy.quotes.get() > 0);
  }

  @Test
  void theAccountTheEngineAsksForAtStartIsThereForTheFirstRiskCheck() {
    // the engine asks right after connect(), before the IB connection is ready; the answer
    // travels ahead of the market data, so the first order's risk check sees it
    walkTo(100.20, 1000, 20);
    AccountState seen = accountAtFirstCheck.get();
    assertThat(seen).as("broker account seen by the first risk check").isNotNull();
    assertThat(seen.accountId()).isEqualTo(gateway.accountId());
    assertThat(seen.netLiquidation()).isEqualTo(1_000_000.0);
  }

  private RiskDecision recordAccount(OrderRequest order, RiskContext ctx) {
    if (checked.compareAndSet(false, true)) {
      accountAtFirstCheck.set(ctx.brokerAccount());
    }
    return RiskDecision.APPROVED;
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
  void theEnginesBookMatchesTheGatewaysExecutionByExecution() {
    walkTo(100.20, 1000, 20);   // buy 20 in one fill
    walkTo(99.85, 6, -15);      // sell 35 through a 6-share displayed bid: six partial fills
    walkTo(100.05, 1000, 5);    // buy 20 back in one fill
    walkTo(100.00, 4, 0);       // sell 5 through a 4-share bid: flat

    RunSummary summary = stopAndSummarize();
    assertThat(gateway.fills().size()).as("partial fills happened").isGreaterThanOrEqualTo(10);
    assertTheEngineBookedExactlyTheGatewaysExecutions(summary);
    assertThat(gatewayPosition()).isZero();
  }

  @Test
  void duplicatedStatusesAndExecutionsAndACorrectionOnTheWireAreBookedOnce() {
    gateway.faults().duplicateNextExecDetails().duplicateNextOrderStatus().correctNextFill();
    walkTo(100.20, 1000, 20);
    gateway.faults().duplicateNextExecDetails().duplicateNextExecDetails().duplicateNextOrderStatus();
    walkTo(99.90, 4, -10);      // sell 30 through a 4-share bid, the first two fills sent twice
    RunSummary summary = stopAndSummarize();
    assertTheEngineBookedExactlyTheGatewaysExecutions(summary);
    assertThat(gatewayPosition()).isEqualTo(-10);
    assertThat(strategy.fills.stream().mapToDouble(Fill::signedQuantity).sum()).isEqualTo(-10);
    assertThat(broker.duplicateExecutions()).as("repeated execDetails the broker dropped").isEqualTo(3);
    assertThat(broker.executionCorrections()).as("corrections seen").isEqualTo(1);
  }

  /** Every gateway execution reached the engine once, with its side, size, price, commission and order. */
  private void assertTheEngineBookedExactlyTheGatewaysExecutions(RunSummary summary) {
    List<SimFill> atGateway = gateway.fills();
    assertThat(strategy.rejections).isEmpty();
    assertThat(summary.fills()).as("fills the engine booked").isEqualTo(atGateway.size());
    assertThat(strategy.fills).hasSameSizeAs(atGateway);
    Map<String, Fill> byExecId = new HashMap<>();
    for (Fill f : strategy.fills) {
      assertThat(byExecId.put(f.executionId(), f)).as("execution %s booked twice", f.executionId()).isNull();
    }
    double gatewayNet = 0;
    for (SimFill g : atGateway) {
      Fill f = byExecId.get(g.execId());
      assertThat(f).as("gateway execution %s reached the engine", g.execId()).isNotNull();
      assertThat(f.side()).isEqualTo(g.side().equals("BOT") ? Side.BUY : Side.SELL);
      assertThat(f.quantity()).isEqualTo(g.shares());
      assertThat(f.price()).isEqualTo(g.price());
      assertThat(f.commission()).isCloseTo(g.commission(), within(1e-9));
      assertThat(f.clientOrderId().value()).isEqualTo(g.orderRef());
      gatewayNet += g.side().equals("BOT") ? g.shares() : -g.shares();
    }
    assertThat(positionIn(system.status())).as("engine position").isEqualTo(gatewayNet);
    assertThat(gatewayPosition()).as("gateway position").isEqualTo(gatewayNet);
  }

  @Test
  void aPositionHeldAtTheEndIsTheSameOnBothSides() {
    walkTo(100.30, 7, 30);      // buy 30 through a 7-share ask
    walkTo(100.12, 1000, 12);   // sell 18 at once
    assertThat(enginePosition()).isEqualTo(12);
    assertThat(gatewayPosition()).isEqualTo(12);
    double engineNet = strategy.fills.stream().mapToDouble(Fill::signedQuantity).sum();
    assertThat(engineNet).isEqualTo(12);
    assertThat(strategy.fills).hasSameSizeAs(gateway.fills());
  }

  /**
   * Shows the quote, then keeps showing it (each showing lets the gateway fill up to the
   * displayed size) until engine and gateway both hold {@code target} with nothing working.
   */
  private void walkTo(double bid, double size, double target) {
    assertThat(QuoteTargeting.targetFor(bid)).isEqualTo(target);
    double ask = Math.round((bid + 0.02) * 100) / 100.0;
    gateway.setQuote(SYMBOL, bid, ask, size, size);
    for (int i = 0; i < 100 && !settledAt(target); i++) {
      Await.until("an order working at the gateway, or " + target + " reached", TIMEOUT,
          () -> settledAt(target) || gatewayHasWorkingOrder());
      if (settledAt(target)) {
        break;
      }
      int seen = gateway.fills().size();
      gateway.setQuote(SYMBOL, bid, ask, size, size);
      Await.until("another fill after showing " + size + " shares, or " + target + " reached", TIMEOUT,
          () -> gateway.fills().size() > seen || settledAt(target));
    }
    Await.until("engine and gateway both at " + target, TIMEOUT, () -> settledAt(target));
  }

  private boolean settledAt(double target) {
    SystemStatus s = system.status();
    return s.openOrders().isEmpty() && positionIn(s) == target && gatewayPosition() == target
        && !gatewayHasWorkingOrder();
  }

  private boolean gatewayHasWorkingOrder() {
    return gateway.orders().stream()
        .anyMatch(o -> o.status().equals("Submitted") || o.status().equals("PreSubmitted"));
  }

  private double enginePosition() {
    return positionIn(system.status());
  }

  private static double positionIn(SystemStatus s) {
    return s.positions().stream().filter(p -> p.instrument().equals(AAPL.id())).mapToDouble(Position::quantity)
        .sum();
  }

  private double gatewayPosition() {
    return gateway.positions().stream().filter(p -> p.symbol().equals(SYMBOL)).mapToDouble(SimPosition::quantity)
        .sum();
  }

  private RunSummary stopAndSummarize() {
    system.stop("test done");
    assertThat(system.awaitTermination(TIMEOUT)).as("system stopped").isTrue();
    return system.summary();
  }
}
