package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderSubmitted;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.risk.RiskRule;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.store.Store;
import dev.algotrade.api.strategy.Strategy;
import dev.algotrade.api.strategy.StrategyContext;
import dev.algotrade.core.paper.PaperBroker;
import dev.algotrade.core.risk.MaxLeverage;
import dev.algotrade.core.risk.RiskLimits;
import dev.algotrade.core.time.SimulatedClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import dev.algotrade.api.order.ClientOrderId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded randomised runs of a hostile strategy (market and limit orders on both sides, random
 * sizes, targets, flips, cancels; several orders per quote) against the paper broker on a random
 * walk with jumps that crosses trading-day rolls. Invariants, checked at every fill and quote:
 * no fill that adds to the position leaves exposure or leverage above its limit at the fill
 * price; the breaker is tripped at every quote where the day's loss is at or past the limit;
 * while tripped the position is flat and every order and fill only reduces; the day roll
 * resets it.
 */
class HostileStrategyTest {
  static final Instrument AAPL = Instrument.stock("AAPL");
  static final InstrumentId ID = AAPL.id();
  static final Instant START = Instant.parse("2024-01-02T20:00:00Z"); // 15:00 New York: rolls after 2 h and 26 h
  static final int QUOTES = 60_000;
  static final Duration STEP = Duration.ofSeconds(2);
  static final double CASH = 100_000;
  static final double DAILY_LOSS = 2_500;

  /** A rule that approves everything and keeps the engine's risk context, so the test reads what rules read. */
  static final class Spy implements RiskRule {
    RiskContext ctx;

    @Override
    public RiskDecision check(OrderRequest order, RiskContext context) {
      ctx = context;
      return RiskDecision.APPROVED;
    }
  }

  /** Checks every fill and submission as the engine records it. Engine thread only. */
  static final class Checker implements Store {
    final double exposureLimit;
    final double leverageLimit;
    final Spy spy;
    TradingSystem system;
    double pos;
    long increasingFills;
    long fills;
    long haltedSubmissions;
    long fillsInFlightAtTrip;
    final Set<ClientOrderId> submittedWhileTripped = new HashSet<>();
    double maxExposureSeen;
    double maxLeverageSeen;
    final List<String> violations = new ArrayList<>();
    final Map<String, Integer> denials = new TreeMap<>();
    long submitted;

    Checker(double exposureLimit, double leverageLimit, Spy spy) {
      this.exposureLimit = exposureLimit;
      this.leverageLimit = leverageLimit;
      this.spy = spy;
    }

    void violation(String s) {
      if (violations.size() < 20) {
        violations.add(s);
      }
    }

    @Override
    public void recordFill(Fill f, double realizedPnl, LocalDate tradingDay) {
      fills++;
      double before = pos;
      pos += f.signedQuantity();
      boolean increases = Math.abs(pos) > Math.abs(before) + 1e-9 || (before != 0 && Math.signum(pos) == -Math.signum(before));
      if (increases && submittedWhileTripped.contains(f.clientOrderId())) {
        violation("opening fill of an order sent while the breaker was tripped: " + f + " before=" + before + " after=" + pos);
      }
      if (increases && system.circuitBreaker().isTripped()) {
        // executed at the venue in the same match pass as the fill that tripped the breaker, booked just after
        // it; the flatten picks it up (the quote check proves the position is flat again)
        fillsInFlightAtTrip++;
      }
      if (!increases) {
        return;
      }
      increasingFills++;
      double exposure = Math.abs(pos) * f.price();
      double leverage = exposure / MaxLeverage.equity(spy.ctx);
      maxExposureSeen = Math.max(maxExposureSeen, exposure);
      maxLeverageSeen = Math.max(maxLeverageSeen, leverage);
      if (exposure > exposureLimit + 1e-6) {
        violation("exposure " + exposure + " > " + exposureLimit + " after " + f);
      }
      if (leverage > leverageLimit + 1e-9) {
        violation("leverage " + leverage + " > " + leverageLimit + " after " + f);
      }
    }

    @Override
    public void recordOrderEvent(OrderEvent e, Order after) {
      if (e instanceof OrderDenied) {
        denials.merge(((OrderDenied) e).code(), 1, Integer::sum);
      } else if (e instanceof OrderSubmitted) {
        submitted++;
        if (system.circuitBreaker().isTripped()) {
          haltedSubmissions++;
          submittedWhileTripped.add(e.clientOrderId());
          OrderRequest r = ((OrderSubmitted) e).request();
          double p = spy.ctx.portfolio().position(ID);
          if (p == 0 || Math.signum(r.signedQuantity()) == Math.signum(p) || r.quantity() > Math.abs(p) + 1e-9) {
            violation("non-reducing order reached the broker while tripped: " + r.describe() + " position=" + p);
          }
        }
      }
    }
  }

  /** Market and limit orders both ways, random sizes, targets, flips, cancels. */
  static final class Hostile implements Strategy {
    final SplittableRandom rnd;
    final Checker checker;
    long actions;
    long quotesPastLimit;
    long haltedQuotes;
    int trips;
    int resets;

    Hostile(long seed, Checker checker) {
      this.rnd = new SplittableRandom(seed);
      this.checker = checker;
    }

    @Override
    public void onQuote(StrategyContext ctx, Quote q) {
      double dayPnl = ctx.portfolio().dayPnl();
      boolean tripped = checker.system.circuitBreaker().isTripped();
      if (dayPnl <= -DAILY_LOSS) {
        quotesPastLimit++;
        if (!tripped || ctx.tradingState() != TradingState.HALTED) {
          checker.violation("day loss past the limit but not halted at " + q.time() + " dayPnl=" + dayPnl);
        }
      }
      if (tripped) {
        haltedQuotes++;
        if (ctx.position(ID) != 0) {
          checker.violation("position not flat while tripped at " + q.time() + " position=" + ctx.position(ID));
        }
      }
      if (rnd.nextInt(10) >= 4) {
        return;
      }
      int n = 1 + rnd.nextInt(4);
      for (int i = 0; i < n; i++) {
        act(ctx, q);
      }
    }

    private void act(StrategyContext ctx, Quote q) {
      actions++;
      double mid = q.mid();
      double pos = ctx.position(ID);
      Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
      int qty = 1 + rnd.nextInt(300);
      switch (rnd.nextInt(10)) {
        case 0:
        case 1:
        case 2:
          ctx.submit(OrderRequest.market(ID, side, qty));
          break;
        case 3:
        case 4:
        case 5:
          double px = Math.round(mid * (1 + rnd.nextDouble() * 0.08 - 0.04) * 100) / 100.0;
          ctx.submit(OrderRequest.limit(ID, side, qty, Math.max(0.01, px)));
          break;
        case 6:
          ctx.targetPosition(ID, rnd.nextInt(801) - 400);
          break;
        case 7:
          ctx.targetPosition(ID, pos != 0 ? -pos : (rnd.nextBoolean() ? 200 : -200));
          break;
        case 8:
          ctx.cancelAll(ID);
          break;
        default:
          if (pos != 0) {
            ctx.submit(OrderRequest.market(ID, pos > 0 ? Side.SELL : Side.BUY, Math.abs(pos)));
          } else {
            ctx.submit(OrderRequest.market(ID, side, qty));
          }
      }
    }

    @Override
    public void onTradingStateChanged(StrategyContext ctx, TradingState state, String reason) {
      if (state == TradingState.HALTED) {
        trips++;
        if (!reason.startsWith("DAILY_LOSS_LIMIT")) {
          checker.violation("unexpected halt reason " + reason);
        }
      } else if (state == TradingState.ACTIVE) {
        resets++;
        if (!reason.startsWith("trading day rolled")) {
          checker.violation("unexpected reset reason " + reason);
        }
      }
    }
  }

  static List<Quote> market(long seed) {
    SplittableRandom r = new SplittableRandom(seed * 31 + 7);
    List<Quote> out = new ArrayList<>(QUOTES);
    double mid = 100;
    Instant t = START;
    for (int i = 0; i < QUOTES; i++) {
      double step = r.nextDouble() * 2 - 1; // uniform: enough for a walk
      mid *= 1 + step * 0.0004;
      if (r.nextInt(2000) == 0) {
        mid *= 1 + (r.nextBoolean() ? 1 : -1) * (0.02 + r.nextDouble() * 0.03); // a jump of 2-5%
      }
      mid = Math.max(5, mid);
      double m = Math.round(mid * 100) / 100.0;
      out.add(new Quote(ID, t, Math.round((m - 0.01) * 100) / 100.0, Math.round((m + 0.01) * 100) / 100.0, 0, 0));
      t = t.plus(STEP);
    }
    return out;
  }

  @ParameterizedTest(name = "seed {0}, {1} binds")
  @CsvSource({"11, exposure", "12, leverage", "13, exposure", "14, leverage"})
  void hostileOrdersNeverBreachLimitsAndTheBreakerAlwaysTripsFlattensAndHalts(long seed, String binding) {
    boolean exposureBinds = binding.equals("exposure");
    double exposure = exposureBinds ? 15_000 : 40_000;
    double leverage = exposureBinds ? 0.5 : 0.12;
    RiskLimits limits = RiskLimits.builder().maxPositionValue(exposure).maxLeverage(leverage).dailyLossLimit(DAILY_LOSS)
        .maxOrderQuantity(400).maxOrderNotional(30_000).priceCollarPercent(3).maxOrdersPerSecond(3).build();
    Spy spy = new Spy();
    Checker checker = new Checker(exposure, leverage, spy);
    Hostile hostile = new Hostile(seed, checker);
    List<Quote> data = market(seed);
    TradingSystem sys = TradingSystem.builder().replay().clock(new SimulatedClock(START)).instrument(AAPL)
        .feed(new ListFeed(data)).strategy(hostile).startingCash(CASH)
        .broker(PaperBroker.builder().startingCash(CASH).build()).riskLimits(limits).riskRule(spy).store(checker)
        .killSwitchFile(null).build();
    checker.system = sys;
    RunSummary s = sys.run();

    System.out.printf("seed=%d binds=%s actions=%d submitted=%d fills=%d increasingFills=%d trips=%d resets=%d"
        + " haltedQuotes=%d haltedSubmissions=%d inFlightAtTrip=%d maxExposure=%.2f maxLeverage=%.4f denials=%s pnl=%.2f%n", seed, binding,
        hostile.actions, checker.submitted, checker.fills, checker.increasingFills, hostile.trips, hostile.resets,
        hostile.haltedQuotes, checker.haltedSubmissions, checker.fillsInFlightAtTrip, checker.maxExposureSeen, checker.maxLeverageSeen,
        checker.denials, s.totalPnl());
    assertThat(checker.violations).as("invariant violations").isEmpty();
    // the run was hostile enough to mean something
    assertThat(hostile.actions).isGreaterThan(10_000);
    assertThat(checker.submitted).isGreaterThan(3_000);
    assertThat(checker.increasingFills).isGreaterThan(1_000);
    assertThat(checker.denials).containsKey(exposureBinds ? "EXPOSURE_LIMIT" : "LEVERAGE_LIMIT")
        .containsKeys("PRICE_COLLAR", "ORDER_RATE_LIMIT", "TRADING_HALTED");
    assertThat(hostile.trips).as("daily loss trips").isGreaterThanOrEqualTo(2);
    assertThat(hostile.resets).as("day-roll resets").isGreaterThanOrEqualTo(1);
    assertThat(hostile.quotesPastLimit).isGreaterThan(0);
    assertThat(checker.maxExposureSeen).isLessThanOrEqualTo(exposure + 1e-6);
    assertThat(checker.maxLeverageSeen).isLessThanOrEqualTo(leverage + 1e-9);

  }
}
