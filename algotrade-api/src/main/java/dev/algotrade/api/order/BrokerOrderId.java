package dev.algotrade.api.order;

import dev.algotrade.api.internal.Checks;

/** The broker's identifier of an order (IB: the order id, or the permId). */
public record BrokerOrderId(String value) {

  public BrokerOrderId {
    Checks.notBlank(value, "BrokerOrderId.value");
  }

  public static BrokerOrderId of(String value) {
    return new BrokerOrderId(value);
  }

  public static BrokerOrderId of(long value) {
    return new BrokerOrderId(Long.toString(value));
  }

  @Override
  public String toString() {
    return value;
  }
}
