package dev.algotrade.core.risk;

import dev.algotrade.api.market.InstrumentId;
import java.util.HashMap;
import java.util.Map;

/**
 * A limit with a default and per-instrument overrides. 0 means "no limit" (for the default or
 * for one instrument). Immutable, thread-safe.
 *
 * @param defaultValue the limit for instruments without an override (>= 0; 0 = off)
 * @param overrides limits by instrument (each >= 0; 0 = off for that instrument)
 */
public record PerInstrument(double defaultValue, Map<InstrumentId, Double> overrides) {

  /** No limit anywhere. */
  public static final PerInstrument OFF = new PerInstrument(0, Map.of());

  public PerInstrument {
    if (!(defaultValue >= 0) || Double.isInfinite(defaultValue)) {
      throw new IllegalArgumentException("PerInstrument.defaultValue must be finite and >= 0, was " + defaultValue);
    }
    if (overrides == null) {
      throw new IllegalArgumentException("PerInstrument.overrides must not be null");
    }
    for (Map.Entry<InstrumentId, Double> e : overrides.entrySet()) {
      Double v = e.getValue();
      if (e.getKey() == null || v == null || !(v >= 0) || v.isInfinite()) {
        throw new IllegalArgumentException("PerInstrument.overrides[" + e.getKey() + "] must be finite and >= 0, was " + v);
      }
    }
    overrides = Map.copyOf(overrides);
  }

  /** The same limit for every instrument. */
  public static PerInstrument of(double defaultValue) {
    return new PerInstrument(defaultValue, Map.of());
  }

  /** A copy with {@code value} for {@code id}. */
  public PerInstrument with(InstrumentId id, double value) {
    Map<InstrumentId, Double> m = new HashMap<>(overrides);
    m.put(id, value);
    return new PerInstrument(defaultValue, m);
  }

  /** The limit for {@code id} (0 = off). */
  public double valueFor(InstrumentId id) {
    if (overrides.isEmpty()) {
      return defaultValue;
    }
    Double v = overrides.get(id);
    return v == null ? defaultValue : v;
  }

  /** Whether any instrument has a limit. */
  public boolean isOn() {
    if (defaultValue > 0) {
      return true;
    }
    for (double v : overrides.values()) {
      if (v > 0) {
        return true;
      }
    }
    return false;
  }
}
