package dev.algotrade.core.paper;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.time.TradingCalendar;
import java.time.Instant;
import java.util.Collection;

/**
 * A broker simulated inside the engine (the paper broker): it sees the same market data and
 * the same clock as the strategies, on the engine thread, so a replay is deterministic.
 * {@code TradingSystem} binds it and feeds it; implementations are confined to the engine
 * thread once bound.
 */
public interface SimulatedVenue {

  /** Called once before the system starts. */
  void bind(Clock clock, TradingCalendar calendar, Collection<Instrument> instruments);

  /** Every market event, before strategies see it. */
  void onMarketData(MarketData data);

  /** The clock moved (time-based work: latency, day-order expiry). */
  void onTime(Instant now);

  /** The next time the venue needs {@link #onTime}, or null if it has nothing timed pending. */
  Instant nextWakeup();
}
