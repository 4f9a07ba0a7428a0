package dev.algotrade.core.risk;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.risk.RiskRule;
import dev.algotrade.core.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every risk number a trader configures. A value of 0 switches that limit off. Build with
 * {@link #builder()}, or load from the environment / a {@code .env} file with the seed's names
 * ({@link #fromEnv}, {@link #fromDotEnv}). {@code TradingSystem.builder().riskLimits(..)}
 * installs the standard rules ({@link #rules()}) and arms the circuit breaker with the daily
 * loss, drawdown and reject limits. Immutable, thread-safe.
 *
 * @param maxPositionValue {@code MAX_POSITION_SIZE}: max |position after the order, counting
 *     working orders| x price, in account currency, per instrument
 * @param maxLeverage {@code MAX_LEVERAGE}: max gross position value / equity
 * @param dailyLossLimit {@code DAILY_LOSS_LIMIT}: the breaker trips when the day's P&L
 *     (realised + unrealised, after commissions) is at or below minus this
 * @param drawdownAlert {@code DRAWDOWN_ALERT}: a WARNING alert when equity falls this far below
 *     the day's peak
 * @param drawdownHalt {@code DRAWDOWN_LIMIT}: the breaker trips at this drawdown from the day's
 *     peak (must be larger than the alert threshold)
 * @param reducingAbove {@code REDUCING_DRAWDOWN}: optional; at this drawdown trading switches to
 *     REDUCING (only reducing orders) until the day rolls or a reset
 * @param maxOrderQuantity {@code MAX_ORDER_QUANTITY}: fat-finger quantity per order
 * @param maxOrderNotional {@code MAX_ORDER_NOTIONAL}: fat-finger value per order
 * @param priceCollarPercent {@code PRICE_COLLAR_PERCENT}: a limit price further than this many
 *     percent from the last mid is denied
 * @param maxOrdersPerSecond {@code MAX_ORDERS_PER_SECOND}
 * @param maxOrdersPerMinute {@code MAX_ORDERS_PER_MINUTE}
 * @param maxConsecutiveRejects {@code MAX_CONSECUTIVE_REJECTS}: the breaker trips after this many
 *     broker rejects in a row
 */
public record RiskLimits(
    PerInstrument maxPositionValue,
    double maxLeverage,
    double dailyLossLimit,
    double drawdownAlert,
    double drawdownHalt,
    double reducingAbove,
    PerInstrument maxOrderQuantity,
    PerInstrument maxOrderNotional,
    PerInstrument priceCollarPercent,
    int maxOrdersPerSecond,
    int maxOrdersPerMinute,
    int maxConsecutiveRejects) {

  /** Environment keys (the seed's names first). */
  public static final String MAX_POSITION_SIZE = "MAX_POSITION_SIZE";
  public static final String MAX_LEVERAGE = "MAX_LEVERAGE";
  public static final String DAILY_LOSS_LIMIT = "DAILY_LOSS_LIMIT";
  public static final String DRAWDOWN_ALERT = "DRAWDOWN_ALERT";
  public static final String DRAWDOWN_LIMIT = "DRAWDOWN_LIMIT";
  public static final String REDUCING_DRAWDOWN = "REDUCING_DRAWDOWN";
  public static final String MAX_ORDER_QUANTITY = "MAX_ORDER_QUANTITY";
  public static final String MAX_ORDER_NOTIONAL = "MAX_ORDER_NOTIONAL";
  public static final String PRICE_COLLAR_PERCENT = "PRICE_COLLAR_PERCENT";
  public static final String MAX_ORDERS_PER_SECOND = "MAX_ORDERS_PER_SECOND";
  public static final String MAX_ORDERS_PER_MINUTE = "MAX_ORDERS_PER_MINUTE";
  public static final String MAX_CONSECUTIVE_REJECTS = "MAX_CONSECUTIVE_REJECTS";

  /** Every limit off: no rules, a breaker that only trips on request and the kill switch. */
  public static final RiskLimits NONE = builder().build();

  public RiskLimits {
    List<String> problems = new ArrayList<>();
    if (maxPositionValue == null || maxOrderQuantity == null || maxOrderNotional == null || priceCollarPercent == null) {
      throw new IllegalArgumentException("RiskLimits per-instrument limits must not be null");
    }
    nonNegative(problems, "maxLeverage", maxLeverage);
    nonNegative(problems, "dailyLossLimit", dailyLossLimit);
    nonNegative(problems, "drawdownAlert", drawdownAlert);
    nonNegative(problems, "drawdownHalt", drawdownHalt);
    nonNegative(problems, "reducingAbove", reducingAbove);
    if (maxOrdersPerSecond < 0) {
      problems.add("maxOrdersPerSecond must be >= 0, was " + maxOrdersPerSecond);
    }
    if (maxOrdersPerMinute < 0) {
      problems.add("maxOrdersPerMinute must be >= 0, was " + maxOrdersPerMinute);
    }
    if (maxConsecutiveRejects < 0) {
      problems.add("maxConsecutiveRejects must be >= 0, was " + maxConsecutiveRejects);
    }
    if (drawdownHalt > 0 && drawdownAlert > 0 && drawdownAlert >= drawdownHalt) {
      problems.add("drawdownAlert must be below drawdownHalt, was alert=" + drawdownAlert + " halt=" + drawdownHalt);
    }
    if (drawdownHalt > 0 && reducingAbove > 0 && reducingAbove >= drawdownHalt) {
      problems.add("reducingAbove must be below drawdownHalt, was reducingAbove=" + reducingAbove + " halt="
          + drawdownHalt);
    }
    if (maxOrdersPerSecond > 0 && maxOrdersPerMinute > 0 && maxOrdersPerMinute < maxOrdersPerSecond) {
      problems.add("maxOrdersPerMinute must be >= maxOrdersPerSecond, was perMinute=" + maxOrdersPerMinute
          + " perSecond=" + maxOrdersPerSecond);
    }
    for (Map.Entry<InstrumentId, Double> e : priceCollarPercent.overrides().entrySet()) {
      if (e.getValue() >= 100) {
        problems.add("priceCollarPercent[" + e.getKey() + "] must be < 100, was " + e.getValue());
      }
    }
    if (priceCollarPercent.defaultValue() >= 100) {
      problems.add("priceCollarPercent must be < 100, was " + priceCollarPercent.defaultValue());
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException("RiskLimits invalid: " + String.join("; ", problems));
    }
  }

  private static void nonNegative(List<String> problems, String field, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      problems.add(field + " must be finite and >= 0 (0 = off), was " + v);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxPositionValue = maxPositionValue;
    b.maxLeverage = maxLeverage;
    b.dailyLossLimit = dailyLossLimit;
    b.drawdownAlert = drawdownAlert;
    b.drawdownHalt = drawdownHalt;
    b.reducingAbove = reducingAbove;
    b.maxOrderQuantity = maxOrderQuantity;
    b.maxOrderNotional = maxOrderNotional;
    b.priceCollarPercent = priceCollarPercent;
    b.maxOrdersPerSecond = maxOrdersPerSecond;
    b.maxOrdersPerMinute = maxOrdersPerMinute;
    b.maxConsecutiveRejects = maxConsecutiveRejects;
    return b;
  }

  /**
   * The standard pre-trade rules for these limits, in the order they run; limits that are off
   * add no rule. The order-rate rule comes last, so it counts only orders every other rule let
   * through. Each call makes new rules (the rate rule keeps state).
   */
  public List<RiskRule> rules() {
    List<RiskRule> out = new ArrayList<>();
    if (maxOrderQuantity.isOn()) {
      out.add(new MaxOrderQuantity(maxOrderQuantity));
    }
    if (maxOrderNotional.isOn()) {
      out.add(new MaxOrderNotional(maxOrderNotional));
    }
    if (priceCollarPercent.isOn()) {
      out.add(new PriceCollar(priceCollarPercent));
    }
    if (maxPositionValue.isOn()) {
      out.add(new MaxPositionValue(maxPositionValue));
    }
    if (maxLeverage > 0) {
      out.add(new MaxLeverage(maxLeverage));
    }
    if (dailyLossLimit > 0) {
      out.add(new DailyLossLimit(dailyLossLimit));
    }
    if (maxOrdersPerSecond > 0 || maxOrdersPerMinute > 0) {
      out.add(new MaxOrderRate(maxOrdersPerSecond, maxOrdersPerMinute));
    }
    return out;
  }

  // ---------------------------------------------------------------- loading

  /**
   * Strict loading: {@code MAX_POSITION_SIZE}, {@code MAX_LEVERAGE} and {@code DAILY_LOSS_LIMIT}
   * are required; every other key is optional (off when unset). Per-instrument values use the
   * key plus {@code _<INSTRUMENT>}, e.g. {@code MAX_POSITION_SIZE_AAPL=5000}.
   *
   * @throws ConfigurationException naming the key and the value that is missing, malformed or
   *     out of range
   */
  public static RiskLimits fromEnv(Map<String, String> env) {
    Settings s = Settings.of(env);
    s.require(MAX_POSITION_SIZE);
    s.require(MAX_LEVERAGE);
    s.require(DAILY_LOSS_LIMIT);
    return from(s, NONE);
  }

  /** {@code dotEnv} overlaid by the process environment, loaded strictly as in {@link #fromEnv}. */
  public static RiskLimits fromDotEnv(Path dotEnv) {
    return fromDotEnv(dotEnv, System.getenv());
  }

  /** {@code dotEnv} overlaid by {@code env} (a variable in {@code env} wins), loaded strictly. */
  public static RiskLimits fromDotEnv(Path dotEnv, Map<String, String> env) {
    return fromEnv(Settings.load(dotEnv, env).asMap());
  }

  /**
   * Lenient loading: every key is optional, and an unset key keeps its value from
   * {@code defaults}; a key that is set must still be well-formed and in range.
   */
  public static RiskLimits from(Settings s, RiskLimits defaults) {
    double big = Double.MAX_VALUE;
    Builder b = defaults.toBuilder();
    b.maxPositionValue = perInstrument(s, MAX_POSITION_SIZE, defaults.maxPositionValue, big);
    b.maxLeverage = s.getDouble(MAX_LEVERAGE, defaults.maxLeverage, 0, 1000);
    b.dailyLossLimit = s.getDouble(DAILY_LOSS_LIMIT, defaults.dailyLossLimit, 0, big);
    b.drawdownAlert = s.getDouble(DRAWDOWN_ALERT, defaults.drawdownAlert, 0, big);
    b.drawdownHalt = s.getDouble(DRAWDOWN_LIMIT, defaults.drawdownHalt, 0, big);
    b.reducingAbove = s.getDouble(REDUCING_DRAWDOWN, defaults.reducingAbove, 0, big);
    b.maxOrderQuantity = perInstrument(s, MAX_ORDER_QUANTITY, defaults.maxOrderQuantity, big);
    b.maxOrderNotional = perInstrument(s, MAX_ORDER_NOTIONAL, defaults.maxOrderNotional, big);
    b.priceCollarPercent = perInstrument(s, PRICE_COLLAR_PERCENT, defaults.priceCollarPercent, 99.99);
    b.maxOrdersPerSecond = s.getInt(MAX_ORDERS_PER_SECOND, defaults.maxOrdersPerSecond, 0, 1_000_000);
    b.maxOrdersPerMinute = s.getInt(MAX_ORDERS_PER_MINUTE, defaults.maxOrdersPerMinute, 0, 60_000_000);
    b.maxConsecutiveRejects = s.getInt(MAX_CONSECUTIVE_REJECTS, defaults.maxConsecutiveRejects, 0, 1_000_000);
    try {
      return b.build();
    } catch (ConfigurationException e) {
      throw new ConfigurationException("risk settings are inconsistent: " + e.getMessage(), e);
    }
  }

  private static PerInstrument perInstrument(Settings s, String key, PerInstrument defaults, double max) {
    double def = s.getDouble(key, defaults.defaultValue(), 0, max);
    Map<InstrumentId, Double> overrides = new HashMap<>(defaults.overrides());
    String prefix = key + "_";
    for (String k : s.asMap().keySet()) {
      if (k.startsWith(prefix) && k.length() > prefix.length() && s.has(k)) {
        InstrumentId id;
        try {
          id = InstrumentId.of(k.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException(k + " does not end in a valid instrument id: " + e.getMessage());
        }
        overrides.put(id, s.getDouble(k, 0, 0, max));
      }
    }
    return new PerInstrument(def, overrides);
  }

  /** Builds {@link RiskLimits}; every setter validates at once, {@link #build()} checks combinations. */
  public static final class Builder {
    private PerInstrument maxPositionValue = PerInstrument.OFF;
    private double maxLeverage;
    private double dailyLossLimit;
    private double drawdownAlert;
    private double drawdownHalt;
    private double reducingAbove;
    private PerInstrument maxOrderQuantity = PerInstrument.OFF;
    private PerInstrument maxOrderNotional = PerInstrument.OFF;
    private PerInstrument priceCollarPercent = PerInstrument.OFF;
    private int maxOrdersPerSecond;
    private int maxOrdersPerMinute;
    private int maxConsecutiveRejects;

    private Builder() {}

    /** Default max position value per instrument (0 = off). */
    public Builder maxPositionValue(double value) {
      maxPositionValue = new PerInstrument(check("maxPositionValue", value), maxPositionValue.overrides());
      return this;
    }

    /** Max position value for one instrument (0 = off for it). */
    public Builder maxPositionValue(InstrumentId id, double value) {
      maxPositionValue = maxPositionValue.with(notNull(id), check("maxPositionValue[" + id + "]", value));
      return this;
    }

    public Builder maxLeverage(double value) {
      maxLeverage = check("maxLeverage", value);
      return this;
    }

    public Builder dailyLossLimit(double value) {
      dailyLossLimit = check("dailyLossLimit", value);
      return this;
    }

    public Builder drawdownAlert(double value) {
      drawdownAlert = check("drawdownAlert", value);
      return this;
    }

    public Builder drawdownHalt(double value) {
      drawdownHalt = check("drawdownHalt", value);
      return this;
    }

    public Builder reducingAbove(double value) {
      reducingAbove = check("reducingAbove", value);
      return this;
    }

    public Builder maxOrderQuantity(double value) {
      maxOrderQuantity = new PerInstrument(check("maxOrderQuantity", value), maxOrderQuantity.overrides());
      return this;
    }

    public Builder maxOrderQuantity(InstrumentId id, double value) {
      maxOrderQuantity = maxOrderQuantity.with(notNull(id), check("maxOrderQuantity[" + id + "]", value));
      return this;
    }

    public Builder maxOrderNotional(double value) {
      maxOrderNotional = new PerInstrument(check("maxOrderNotional", value), maxOrderNotional.overrides());
      return this;
    }

    public Builder maxOrderNotional(InstrumentId id, double value) {
      maxOrderNotional = maxOrderNotional.with(notNull(id), check("maxOrderNotional[" + id + "]", value));
      return this;
    }

    public Builder priceCollarPercent(double value) {
      priceCollarPercent = new PerInstrument(collar("priceCollarPercent", value), priceCollarPercent.overrides());
      return this;
    }

    public Builder priceCollarPercent(InstrumentId id, double value) {
      priceCollarPercent = priceCollarPercent.with(notNull(id), collar("priceCollarPercent[" + id + "]", value));
      return this;
    }

    public Builder maxOrdersPerSecond(int value) {
      maxOrdersPerSecond = checkInt("maxOrdersPerSecond", value);
      return this;
    }

    public Builder maxOrdersPerMinute(int value) {
      maxOrdersPerMinute = checkInt("maxOrdersPerMinute", value);
      return this;
    }

    public Builder maxConsecutiveRejects(int value) {
      maxConsecutiveRejects = checkInt("maxConsecutiveRejects", value);
      return this;
    }

    public RiskLimits build() {
      return new RiskLimits(maxPositionValue, maxLeverage, dailyLossLimit, drawdownAlert, drawdownHalt, reducingAbove,
          maxOrderQuantity, maxOrderNotional, priceCollarPercent, maxOrdersPerSecond, maxOrdersPerMinute,
          maxConsecutiveRejects);
    }

    private static double check(String field, double v) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new ConfigurationException(field + " must be finite and >= 0 (0 = off), was " + v);
      }
      return v;
    }

    private static double collar(String field, double v) {
      check(field, v);
      if (v >= 100) {
        throw new ConfigurationException(field + " must be < 100 (percent), was " + v);
      }
      return v;
    }

    private static int checkInt(String field, int v) {
      if (v < 0) {
        throw new ConfigurationException(field + " must be >= 0 (0 = off), was " + v);
      }
      return v;
    }

    private static InstrumentId notNull(InstrumentId id) {
      if (id == null) {
        throw new ConfigurationException("instrument id must not be null");
      }
      return id;
    }
  }
}
