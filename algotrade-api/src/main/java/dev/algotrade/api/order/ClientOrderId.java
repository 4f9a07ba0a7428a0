package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;

/** Our identifier of an order, assigned by the engine before the broker sees it. */
public record ClientOrderId(String value) implements Comparable<ClientOrderId> {

  public ClientOrderId {
    Checks.notBlank(value, "ClientOrderId.value");
    if (value.length() > 64) {
      throw new IllegalArgumentException("ClientOrderId.value must be at most 64 characters, was '" + value + "'");
    }
  }

  public static ClientOrderId of(String value) {
    return new ClientOrderId(value);
  }

  @Override
  public int compareTo(ClientOrderId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
