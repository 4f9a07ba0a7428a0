package dev.algotrade.ib.testkit;

import dev.algotrade.api.internal.Checks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Quotes from a script: per symbol, a list of quotes played in order, one per market step; the
 * last quote is held once the script runs out. A symbol without a script is quoted one tick
 * wide around its start price with 100 shares a side. Confined to the gateway's lock.
 */
public final class ScriptedMarket implements MarketModel {

  private final Map<String, List<SimQuote>> scripts;
  private final Map<String, Integer> cursor = new HashMap<>();

  private ScriptedMarket(Map<String, List<SimQuote>> scripts) {
    this.scripts = scripts;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public SimQuote initial(SimInstrument instrument) {
    List<SimQuote> script = scripts.get(instrument.symbol());
    cursor.put(instrument.symbol(), 0);
    if (script == null || script.isEmpty()) {
      double tick = instrument.minTick();
      double bid = RandomWalkMarket.round(instrument.startPrice(), tick);
      return new SimQuote(bid, RandomWalkMarket.round(bid + tick, tick), 100, 100);
    }
    return script.get(0);
  }

  @Override
  public SimQuote next(SimInstrument instrument, SimQuote current) {
    List<SimQuote> script = scripts.get(instrument.symbol());
    if (script == null || script.isEmpty()) {
      return current;
    }
    int i = Math.min(cursor.getOrDefault(instrument.symbol(), 0) + 1, script.size() - 1);
    cursor.put(instrument.symbol(), i);
    return script.get(i);
  }

  /** Collects scripts; not thread-safe. */
  public static final class Builder {
    private final Map<String, List<SimQuote>> scripts = new HashMap<>();

    private Builder() {}

    /** Appends one quote to {@code symbol}'s script. */
    public Builder quote(String symbol, double bid, double ask, double bidSize, double askSize) {
      Checks.notBlank(symbol, "ScriptedMarket.symbol");
      scripts.computeIfAbsent(symbol, s -> new ArrayList<>())
          .add(new SimQuote(bid, ask, bidSize, askSize));
      return this;
    }

    public ScriptedMarket build() {
      Map<String, List<SimQuote>> copy = new HashMap<>();
      scripts.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      return new ScriptedMarket(copy);
    }
  }
}
