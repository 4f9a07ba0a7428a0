package dev.algotrade.api.market;

import dev.algotrade.api.internal.Checks;

/**
 * Identifies an instrument within one trading system, e.g. {@code AAPL} or {@code ES.2026Z}.
 * Letters, digits and {@code . - _ / :} only, at most 64 characters.
 */
public record InstrumentId(String value) implements Comparable<InstrumentId> {

  public InstrumentId {
    Checks.notBlank(value, "InstrumentId.value");
    if (value.length() > 64) {
      throw new IllegalArgumentException(
          "InstrumentId.value must be at most 64 characters, was " + value.length() + " ('" + value + "')");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_' || c == '/' || c == ':';
      if (!ok) {
        throw new IllegalArgumentException(
            "InstrumentId.value may hold letters, digits and . - _ / : only, was '" + value + "'");
      }
    }
  }

  public static InstrumentId of(String value) {
    return new InstrumentId(value);
  }

  // explicit, with an identity shortcut: feeds reuse one id object per instrument, so most
  // comparisons on the hot path are the same reference
  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof InstrumentId && value.equals(((InstrumentId) o).value));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public int compareTo(InstrumentId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
