package dev.algotrade.core.risk;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.AccountState;
import dev.algotrade.api.portfolio.PortfolioView;
import dev.algotrade.api.risk.RiskContext;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.core.internal.Portfolio;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A risk context over a real {@link Portfolio}, with settable quotes, working orders and account. */
final class FakeRiskContext implements RiskContext {
  final Portfolio portfolio;
  final Map<InstrumentId, Instrument> instruments = new HashMap<>();
  final Map<InstrumentId, Quote> quotes = new HashMap<>();
  final Map<InstrumentId, Double> workingBuy = new HashMap<>();
  final Map<InstrumentId, Double> workingSell = new HashMap<>();
  final Map<String, Double> priceBound = new HashMap<>();
  Instant now = Instant.parse("2024-01-02T15:00:00Z");
  AccountState account;
  boolean listInstruments = true;

  FakeRiskContext(double cash, Instrument... list) {
    portfolio = new Portfolio(cash);
    for (Instrument i : list) {
      instruments.put(i.id(), i);
      portfolio.register(i);
    }
    portfolio.rollDay(LocalDate.of(2024, 1, 2));
  }

  /** Marks {@code id} at {@code price} (no quote). */
  FakeRiskContext mark(InstrumentId id, double price) {
    portfolio.mark(portfolio.book(id), price);
    return this;
  }

  /** A position at {@code avg}, marked at {@code avg}: equity unchanged. */
  FakeRiskContext position(InstrumentId id, double qty, double avg) {
    portfolio.setPosition(id, qty, avg);
    portfolio.mark(portfolio.book(id), avg);
    return this;
  }

  FakeRiskContext quote(InstrumentId id, double bid, double ask) {
    Quote q = new Quote(id, now, bid, ask, 100, 100);
    quotes.put(id, q);
    portfolio.mark(portfolio.book(id), q.mid());
    return this;
  }

  FakeRiskContext working(InstrumentId id, Side side, double qty) {
    (side == Side.BUY ? workingBuy : workingSell).merge(id, qty, Double::sum);
    return this;
  }

  FakeRiskContext workingBound(InstrumentId id, Side side, double price) {
    priceBound.put(id + "/" + side, price);
    return this;
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public Instrument instrument(InstrumentId id) {
    return instruments.get(id);
  }

  @Override
  public Quote lastQuote(InstrumentId id) {
    return quotes.get(id);
  }

  @Override
  public PortfolioView portfolio() {
    return portfolio;
  }

  @Override
  public double workingBuyQuantity(InstrumentId id) {
    return workingBuy.getOrDefault(id, 0.0);
  }

  @Override
  public double workingSellQuantity(InstrumentId id) {
    return workingSell.getOrDefault(id, 0.0);
  }

  @Override
  public double workingPriceBound(InstrumentId id, Side side) {
    return priceBound.getOrDefault(id + "/" + side, Double.NaN);
  }

  @Override
  public List<InstrumentId> instrumentIds() {
    return listInstruments ? instruments.keySet().stream().sorted().toList() : List.of();
  }

  @Override
  public TradingState tradingState() {
    return TradingState.ACTIVE;
  }

  @Override
  public AccountState brokerAccount() {
    return account;
  }
}
