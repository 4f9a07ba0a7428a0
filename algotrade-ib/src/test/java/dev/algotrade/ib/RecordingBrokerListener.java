package dev.algotrade.ib;

import dev.algotrade.api.broker.BrokerListener;
import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.broker.OpenOrdersReport;
import dev.algotrade.api.broker.PositionsReport;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.portfolio.AccountState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Records everything a broker reports. Thread-safe. */
final class RecordingBrokerListener implements BrokerListener {
  final List<OrderEvent> events = new CopyOnWriteArrayList<>();
  final List<PositionsReport> positions = new CopyOnWriteArrayList<>();
  final List<OpenOrdersReport> openOrders = new CopyOnWriteArrayList<>();
  final List<AccountState> accounts = new CopyOnWriteArrayList<>();
  final List<BrokerStatus> statuses = new CopyOnWriteArrayList<>();

  @Override
  public void onOrderEvent(OrderEvent event) {
    events.add(event);
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

  <T extends OrderEvent> List<T> of(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
  }
}
