package dev.algotrade.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Side;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PortfolioTest {
  private static final Instrument AAPL = Instrument.stock("AAPL");
  private static final InstrumentId ID = AAPL.id();
  private Portfolio p;
  private int exec;

  @BeforeEach
  void setUp() {
    p = new Portfolio(10_000);
    p.register(AAPL);
    p.rollDay(LocalDate.of(2024, 1, 2));
  }

  private double fill(Side side, double qty, double price, double commission) {
    return p.apply(new Fill(ClientOrderId.of("c"), "e" + exec++, ID, side, qty, price, commission, Instant.EPOCH));
  }

  @Test
  void partialFillsAverageIn() {
    fill(Side.BUY, 10, 100, 1);
    fill(Side.BUY, 30, 104, 1);
    assertThat(p.position(ID)).isEqualTo(40);
    assertThat(p.averagePrice(ID)).isCloseTo(103, within(1e-12));
    assertThat(p.cash()).isCloseTo(10_000 - 1000 - 3120 - 2, within(1e-9));
    assertThat(p.commissions()).isEqualTo(2);
    p.mark(p.book(ID), 105);
    assertThat(p.unrealizedPnl(ID)).isCloseTo(80, within(1e-9));
    assertThat(p.equity()).isCloseTo(10_000 - 2 + 80, within(1e-9));
  }

  @Test
  void reducingRealisesAndKeepsTheAverage() {
    fill(Side.BUY, 100, 50, 0);
    double r = fill(Side.SELL, 40, 55, 0);
    assertThat(r).isCloseTo(200, within(1e-9));
    assertThat(p.position(ID)).isEqualTo(60);
    assertThat(p.averagePrice(ID)).isEqualTo(50);
    assertThat(p.realizedPnl()).isCloseTo(200, within(1e-9));
  }

  @Test
  void flipThroughZeroRealisesTheOldAndOpensTheRestAtTheFillPrice() {
    fill(Side.BUY, 100, 50, 0);
    double r = fill(Side.SELL, 150, 48, 0);
    assertThat(r).isCloseTo(-200, within(1e-9));
    assertThat(p.position(ID)).isEqualTo(-50);
    assertThat(p.averagePrice(ID)).isEqualTo(48);
    // short side: a buy back at 46 realises 2 a share
    double r2 = fill(Side.BUY, 50, 46, 0);
    assertThat(r2).isCloseTo(100, within(1e-9));
    assertThat(p.position(ID)).isZero();
    assertThat(p.averagePrice(ID)).isZero();
    assertThat(p.realizedPnl()).isCloseTo(-100, within(1e-9));
    assertThat(p.equity()).isCloseTo(10_000 - 100, within(1e-9));
  }

  @Test
  void shortUnrealisedPnlGainsWhenPriceFalls() {
    fill(Side.SELL, 10, 100, 0);
    p.mark(p.book(ID), 90);
    assertThat(p.unrealizedPnl(ID)).isCloseTo(100, within(1e-9));
    assertThat(p.grossExposure()).isCloseTo(900, within(1e-9));
    assertThat(p.equity()).isCloseTo(10_100, within(1e-9));
  }

  @Test
  void dayPnlCountsFromTheRollAndIncludesCommissions() {
    fill(Side.BUY, 10, 100, 1);
    p.mark(p.book(ID), 110);
    assertThat(p.dayPnl()).isCloseTo(99, within(1e-9));
    Portfolio.DaySummary ended = p.rollDay(LocalDate.of(2024, 1, 3));
    assertThat(ended.day()).isEqualTo(LocalDate.of(2024, 1, 2));
    assertThat(ended.endEquity() - ended.startEquity()).isCloseTo(99, within(1e-9));
    assertThat(ended.commissions()).isEqualTo(1);
    assertThat(ended.fills()).isEqualTo(1);
    assertThat(p.dayPnl()).isCloseTo(0, within(1e-9));
    p.mark(p.book(ID), 105);
    assertThat(p.dayPnl()).isCloseTo(-50, within(1e-9));
    assertThat(p.dayPeakEquity()).isCloseTo(10_099, within(1e-9));
  }

  @Test
  void drawdownIsMeasuredFromTheRunningPeak() {
    fill(Side.BUY, 10, 100, 0);
    p.mark(p.book(ID), 120);
    p.mark(p.book(ID), 90);
    p.mark(p.book(ID), 115);
    assertThat(p.maxDrawdown()).isCloseTo(300, within(1e-9));
  }

  @Test
  void multiplierScalesEverything() {
    Instrument es = new Instrument(InstrumentId.of("ES"), "ES", dev.algotrade.api.market.SecurityType.FUTURE, "CME", "USD", 0.25, 1, 50);
    p.register(es);
    p.apply(new Fill(null, "x1", es.id(), Side.BUY, 2, 5000, 0, Instant.EPOCH));
    p.mark(p.book(es.id()), 5001);
    assertThat(p.unrealizedPnl(es.id())).isCloseTo(100, within(1e-9));
    double r = p.apply(new Fill(null, "x2", es.id(), Side.SELL, 2, 4999.75, 0, Instant.EPOCH));
    assertThat(r).isCloseTo(-25, within(1e-9));
  }
}
