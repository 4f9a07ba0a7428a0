package dev.algotrade.core.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.AccountState;
import dev.algotrade.api.risk.RiskDecision;
import dev.algotrade.api.risk.RiskRule;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every standard rule at, just below and just above its limit; working orders; shorts and flips. */
class RiskRulesTest {
  static final Instrument AAPL = Instrument.stock("AAPL");
  static final Instrument MSFT = Instrument.stock("MSFT");
  static final InstrumentId A = AAPL.id();
  static final InstrumentId M = MSFT.id();

  static OrderRequest buy(double q) {
    return OrderRequest.market(A, Side.BUY, q);
  }

  static OrderRequest sell(double q) {
    return OrderRequest.market(A, Side.SELL, q);
  }

  static boolean ok(RiskRule r, OrderRequest o, FakeRiskContext c) {
    return r.check(o, c).approved();
  }

  @Nested
  class MaxPositionValueRule {
    final MaxPositionValue rule = new MaxPositionValue(PerInstrument.of(10_000).with(M, 5_000));
    final FakeRiskContext ctx = new FakeRiskContext(1_000_000, AAPL, MSFT).mark(A, 100).mark(M, 100);

    @Test
    void atBelowAndAboveTheLimit() {
      assertThat(ok(rule, buy(99), ctx)).isTrue();
      assertThat(ok(rule, buy(100), ctx)).isTrue();
      RiskDecision d = rule.check(buy(101), ctx);
      assertThat(d.denied()).isTrue();
      assertThat(d.code()).isEqualTo("EXPOSURE_LIMIT");
      assertThat(d.details()).startsWith("instrument=AAPL after=10100.00 limit=10000.00");
    }

    @Test
    void perInstrumentOverride() {
      assertThat(ok(rule, OrderRequest.market(M, Side.BUY, 50), ctx)).isTrue();
      assertThat(ok(rule, OrderRequest.market(M, Side.BUY, 51), ctx)).isFalse();
    }

    @Test
    void workingOrdersOnTheSameSideCount() {
      ctx.working(A, Side.BUY, 60).working(A, Side.SELL, 500);
      assertThat(ok(rule, buy(40), ctx)).isTrue();
      assertThat(ok(rule, buy(41), ctx)).isFalse();
    }

    @Test
    void twoOrdersInFlightCannotJointlyPass() {
      // each of 60 passes alone; with the first working, the second fails
      assertThat(ok(rule, buy(60), ctx)).isTrue();
      ctx.working(A, Side.BUY, 60);
      assertThat(ok(rule, buy(60), ctx)).isFalse();
    }

    @Test
    void shortsAtBelowAndAbove() {
      ctx.position(A, -50, 100);
      assertThat(ok(rule, sell(49), ctx)).isTrue();
      assertThat(ok(rule, sell(50), ctx)).isTrue();
      assertThat(ok(rule, sell(51), ctx)).isFalse();
    }

    @Test
    void flipsAreCheckedOnTheNewSide() {
      ctx.position(A, 50, 100);
      assertThat(ok(rule, sell(150), ctx)).isTrue(); // to -100: at the limit
      assertThat(ok(rule, sell(151), ctx)).isFalse(); // to -101
      assertThat(ok(rule, buy(50), ctx)).isTrue(); // to 100
      assertThat(ok(rule, buy(51), ctx)).isFalse();
    }

    @Test
    void reductionsPassEvenAboveTheLimit() {
      ctx.position(A, 200, 100); // drifted above the limit
      assertThat(ok(rule, sell(50), ctx)).isTrue();
      assertThat(ok(rule, sell(200), ctx)).isTrue();
      assertThat(ok(rule, buy(1), ctx)).isFalse();
      assertThat(ok(rule, sell(301), ctx)).isFalse(); // a flip to -101 is not a reduction
    }

    @Test
    void limitPricesAboveTheMarkAndWorkingLimitsSetThePrice() {
      assertThat(ok(rule, OrderRequest.limit(A, Side.BUY, 80, 125), ctx)).isTrue(); // 80 x 125 = 10000
      assertThat(ok(rule, OrderRequest.limit(A, Side.BUY, 81, 125), ctx)).isFalse();
      ctx.working(A, Side.BUY, 50).workingBound(A, Side.BUY, 110);
      assertThat(ok(rule, buy(40), ctx)).isTrue(); // 90 x 110 = 9900
      assertThat(ok(rule, buy(41), ctx)).isFalse(); // 91 x 110 = 10010
    }

    @Test
    void theAskCountsForABuy() {
      ctx.quote(A, 99.0, 101.0); // mid 100, ask 101
      assertThat(ok(rule, buy(99), ctx)).isTrue(); // 9999
      assertThat(ok(rule, buy(100), ctx)).isFalse(); // 10100 at the ask
    }

    @Test
    void noPriceNoOpening() {
      FakeRiskContext blank = new FakeRiskContext(1_000_000, AAPL);
      assertThat(rule.check(buy(1), blank).code()).isEqualTo("EXPOSURE_LIMIT");
    }
  }

  @Nested
  class MaxLeverageRule {
    final MaxLeverage rule = new MaxLeverage(2.0);
    final FakeRiskContext ctx = new FakeRiskContext(100_000, AAPL, MSFT).mark(A, 100).mark(M, 50);

    @Test
    void atBelowAndAboveWithTheBooksEquity() {
      assertThat(ok(rule, buy(1999), ctx)).isTrue();
      assertThat(ok(rule, buy(2000), ctx)).isTrue(); // 200,000 / 100,000 = 2.00
      RiskDecision d = rule.check(buy(2001), ctx);
      assertThat(d.code()).isEqualTo("LEVERAGE_LIMIT");
      assertThat(d.details()).startsWith("instrument=AAPL after=2.00").contains("limit=2.00", "equity=100000.00");
    }

    @Test
    void otherInstrumentsAndWorkingOrdersCount() {
      ctx.position(M, -1000, 50); // 50,000 gross
      assertThat(ok(rule, buy(1500), ctx)).isTrue();
      assertThat(ok(rule, buy(1501), ctx)).isFalse();
      ctx.working(A, Side.BUY, 500);
      assertThat(ok(rule, buy(1000), ctx)).isTrue();
      assertThat(ok(rule, buy(1001), ctx)).isFalse();
    }

    @Test
    void workingOrdersInOtherInstrumentsCountAtTheirLimitPrices() {
      ctx.working(M, Side.BUY, 1000).workingBound(M, Side.BUY, 50); // 50,000 in flight in MSFT
      assertThat(ok(rule, buy(1500), ctx)).isTrue();
      assertThat(ok(rule, buy(1501), ctx)).isFalse();
      ctx.listInstruments = false; // a context that cannot list instruments: positions only
      assertThat(ok(rule, buy(2000), ctx)).isTrue();
    }

    @Test
    void theBrokersEquityWinsWhenReported() {
      ctx.account = new AccountState("U1", "USD", 50_000, 50_000, 0, 50_000, ctx.now);
      assertThat(ok(rule, buy(1000), ctx)).isTrue();
      assertThat(ok(rule, buy(1001), ctx)).isFalse();
    }

    @Test
    void shortsFlipsAndReductions() {
      ctx.position(A, 1000, 100);
      assertThat(ok(rule, sell(3000), ctx)).isTrue(); // to -2000
      assertThat(ok(rule, sell(3001), ctx)).isFalse();
      ctx.position(A, 3000, 100); // 3x: above the limit after a drift
      assertThat(ok(rule, sell(100), ctx)).isTrue();
      assertThat(ok(rule, buy(1), ctx)).isFalse();
    }

    @Test
    void noEquityNoOpening() {
      ctx.account = new AccountState("U1", "USD", 0, 0, 0, 0, ctx.now);
      assertThat(rule.check(buy(1), ctx).code()).isEqualTo("LEVERAGE_LIMIT");
    }
  }

  @Nested
  class DailyLossLimitRule {
    final DailyLossLimit rule = new DailyLossLimit(500);
    final FakeRiskContext ctx = new FakeRiskContext(100_000, AAPL).position(A, 100, 100);

    @Test
    void atBelowAndAbove() {
      ctx.mark(A, 95.01); // -499
      assertThat(ok(rule, buy(1), ctx)).isTrue();
      ctx.mark(A, 95.00); // -500: at the limit
      RiskDecision d = rule.check(buy(1), ctx);
      assertThat(d.code()).isEqualTo("DAILY_LOSS_LIMIT");
      assertThat(d.details()).contains("dayPnl=-500.00", "limit=500.00");
      ctx.mark(A, 94.99);
      assertThat(ok(rule, buy(1), ctx)).isFalse();
      assertThat(ok(rule, sell(100), ctx)).as("reducing still allowed").isTrue();
      assertThat(ok(rule, sell(101), ctx)).as("a flip opens risk").isFalse();
    }
  }

  @Nested
  class FatFinger {
    final FakeRiskContext ctx = new FakeRiskContext(1_000_000, AAPL, MSFT).mark(A, 100).mark(M, 100);

    @Test
    void maxQuantityPerInstrument() {
      MaxOrderQuantity rule = new MaxOrderQuantity(PerInstrument.of(500).with(M, 0));
      assertThat(ok(rule, buy(499), ctx)).isTrue();
      assertThat(ok(rule, sell(500), ctx)).isTrue();
      assertThat(rule.check(buy(501), ctx).details()).contains("limit=500");
      assertThat(ok(rule, OrderRequest.market(M, Side.BUY, 10_000), ctx)).as("0 = off for MSFT").isTrue();
    }

    @Test
    void maxNotional() {
      MaxOrderNotional rule = new MaxOrderNotional(25_000);
      assertThat(ok(rule, buy(249), ctx)).isTrue();
      assertThat(ok(rule, sell(250), ctx)).isTrue();
      RiskDecision d = rule.check(buy(251), ctx);
      assertThat(d.code()).isEqualTo("MAX_ORDER_NOTIONAL");
      assertThat(d.details()).contains("notional=25100.00", "limit=25000.00");
    }

    @Test
    void priceCollar() {
      PriceCollar rule = new PriceCollar(5);
      ctx.quote(A, 99.99, 100.01); // mid 100
      assertThat(ok(rule, OrderRequest.limit(A, Side.BUY, 1, 104.99), ctx)).isTrue();
      assertThat(ok(rule, OrderRequest.limit(A, Side.BUY, 1, 105.00), ctx)).isTrue();
      assertThat(ok(rule, OrderRequest.limit(A, Side.SELL, 1, 95.00), ctx)).isTrue();
      RiskDecision d = rule.check(OrderRequest.limit(A, Side.BUY, 1, 105.01), ctx);
      assertThat(d.code()).isEqualTo("PRICE_COLLAR");
      assertThat(d.details()).contains("mid=100.00", "awayPercent=5.01");
      assertThat(ok(rule, OrderRequest.limit(A, Side.SELL, 1, 94.99), ctx)).isFalse();
      assertThat(ok(rule, buy(1_000), ctx)).as("market orders carry no limit").isTrue();
      assertThat(ok(rule, OrderRequest.limit(M, Side.BUY, 1, 100), new FakeRiskContext(1, MSFT))).as("no mid yet")
          .isFalse();
    }
  }

  @Nested
  class OrderRate {
    final FakeRiskContext ctx = new FakeRiskContext(1_000_000, AAPL).mark(A, 100);

    @Test
    void perSecondOnTheEngineClock() {
      MaxOrderRate rule = new MaxOrderRate(10, 0);
      for (int i = 0; i < 10; i++) {
        assertThat(ok(rule, buy(1), ctx)).isTrue();
        ctx.advance(Duration.ofMillis(50));
      }
      RiskDecision d = rule.check(buy(1), ctx);
      assertThat(d.code()).isEqualTo("ORDER_RATE_LIMIT");
      assertThat(d.details()).contains("window=1s", "orders=10", "limit=10");
      // the first order was at t=0; at t=1000ms it has left the window
      ctx.advance(Duration.ofMillis(500));
      assertThat(ok(rule, buy(1), ctx)).isTrue();
      assertThat(ok(rule, buy(1), ctx)).isFalse();
    }

    @Test
    void perMinute() {
      MaxOrderRate rule = new MaxOrderRate(0, 30);
      for (int i = 0; i < 30; i++) {
        assertThat(ok(rule, buy(1), ctx)).isTrue();
        ctx.advance(Duration.ofSeconds(1));
      }
      assertThat(rule.check(buy(1), ctx).details()).contains("window=1m", "orders=30");
      ctx.advance(Duration.ofSeconds(30)); // t=60s: the first left the window
      assertThat(ok(rule, buy(1), ctx)).isTrue();
      assertThat(ok(rule, buy(1), ctx)).isFalse();
    }

    @Test
    void bothWindowsOffIsAnError() {
      assertThatThrownBy(() -> new MaxOrderRate(0, 0)).hasMessageContaining("perSecond=0 perMinute=0");
    }
  }

  @Test
  void standardRulesComeFromTheLimitsWithTheRateRuleLast() {
    RiskLimits l = RiskLimits.builder().maxPositionValue(10_000).maxLeverage(2).dailyLossLimit(500)
        .maxOrderQuantity(100).maxOrderNotional(50_000).priceCollarPercent(5).maxOrdersPerSecond(5).build();
    assertThat(l.rules()).extracting(RiskRule::name).containsExactly("maxOrderQuantity", "maxOrderNotional",
        "priceCollar", "maxPositionValue", "maxLeverage", "dailyLossLimit", "maxOrderRate");
    assertThat(RiskLimits.NONE.rules()).isEmpty();
  }
}
