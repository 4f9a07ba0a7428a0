package dev.algotrade.testkit;

import dev.algotrade.api.broker.BrokerListener;
import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.broker.OpenOrdersReport;
import dev.algotrade.api.broker.PositionsReport;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.portfolio.AccountState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records everything a broker reports, for assertions. Thread-safe. */
public final class RecordingBrokerListener implements BrokerListener {
  private final List<OrderEvent> orderEvents = new CopyOnWriteArrayList<>();
  private final List<PositionsReport> positions = new CopyOnWriteArrayList<>();
  private final List<OpenOrdersReport> openOrders = new CopyOnWriteArrayList<>();
  private final List<AccountState> accounts = new CopyOnWriteArrayList<>();
  private final List<BrokerStatus> statuses = new CopyOnWriteArrayList<>();

  @Override
  public void onOrderEvent(OrderEvent event) {
    orderEvents.add(event);
  }

  @Override
  public void onPositions(PositionsReport report) {
    positions.add(report);
  }

  @Override
  public void onOpenOrders(OpenOrdersReport report) {
    openOrders.add(report);
  }

  @Override
  public void onAccount(AccountState account) {
    accounts.add(account);
  }

  @Override
  public void onStatus(BrokerStatus status) {
    statuses.add(status);
  }

  public List<OrderEvent> orderEvents() {
    return List.copyOf(orderEvents);
  }

  public List<OrderEvent> eventsFor(ClientOrderId id) {
    List<OrderEvent> out = new ArrayList<>();
    for (OrderEvent e : orderEvents) {
      if (Objects.equals(e.clientOrderId(), id)) {
        out.add(e);
      }
    }
    return out;
  }

  public List<Fill> fills() {
    List<Fill> out = new ArrayList<>();
    for (OrderEvent e : orderEvents) {
      if (e instanceof OrderFilled) {
        out.add(((OrderFilled) e).fill());
      }
    }
    return out;
  }

  public List<Fill> fillsFor(ClientOrderId id) {
    List<Fill> out = new ArrayList<>();
    for (Fill f : fills()) {
      if (Objects.equals(f.clientOrderId(), id)) {
        out.add(f);
      }
    }
    return out;
  }

  public double filledQuantity(ClientOrderId id) {
    double sum = 0;
    for (Fill f : fillsFor(id)) {
      sum += f.quantity();
    }
    return sum;
  }

  public List<PositionsReport> positionReports() {
    return List.copyOf(positions);
  }

  public List<OpenOrdersReport> openOrdersReports() {
    return List.copyOf(openOrders);
  }

  public List<AccountState> accounts() {
    return List.copyOf(accounts);
  }

  public List<BrokerStatus> statuses() {
    return List.copyOf(statuses);
  }

  /** Waits for an event of {@code type} for order {@code id} and returns it. */
  public <E extends OrderEvent> E await(ClientOrderId id, Class<E> type, Duration timeout) {
    return Await.value(type.getSimpleName() + " for " + id + " (seen: " + eventsFor(id) + ")", timeout, () -> {
      for (OrderEvent e : eventsFor(id)) {
        if (type.isInstance(e)) {
          return type.cast(e);
        }
      }
      return null;
    });
  }

  /** Waits until fills for {@code id} add up to {@code quantity}. */
  public void awaitFilled(ClientOrderId id, double quantity, Duration timeout) {
    Await.until(quantity + " filled for " + id + " (seen: " + eventsFor(id) + ")", timeout,
        () -> Math.abs(filledQuantity(id) - quantity) < 1e-9);
  }
}
