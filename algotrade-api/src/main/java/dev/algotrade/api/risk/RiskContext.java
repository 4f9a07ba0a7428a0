package dev.algotrade.api.risk;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.portfolio.AccountState;
import dev.algotrade.api.portfolio.PortfolioView;
import java.time.Instant;
import java.util.List;

/** What a risk rule may read. Engine-thread only. */
public interface RiskContext {

  Instant now();

  Instrument instrument(InstrumentId id);

  /** Latest quote, or null before the first one. */
  Quote lastQuote(InstrumentId id);

  PortfolioView portfolio();

  /** Remaining quantity of working buy orders in {@code id} (>= 0). */
  double workingBuyQuantity(InstrumentId id);

  /** Remaining quantity of working sell orders in {@code id} (>= 0). */
  double workingSellQuantity(InstrumentId id);

  /**
   * The highest limit or stop price among working orders of {@code side} in {@code id}, or NaN
   * if none has a price. A working limit order may fill at its limit later, when the market has
   * moved there; exposure rules value the position at this price too, so orders in flight
   * cannot jointly pass a limit. The default (NaN) suits contexts that do not track prices.
   */
  default double workingPriceBound(InstrumentId id, Side side) {
    return Double.NaN;
  }

  /**
   * Every instrument the system trades, so account-wide rules (gross leverage) can count working
   * orders in all of them. The default (empty) makes such rules fall back to the order's own
   * instrument plus the book's positions.
   */
  default List<InstrumentId> instrumentIds() {
    return List.of();
  }

  TradingState tradingState();

  /** The broker's last account report, or null if it never sent one. */
  AccountState brokerAccount();
}
