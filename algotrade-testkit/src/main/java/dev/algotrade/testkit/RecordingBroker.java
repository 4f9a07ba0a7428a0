package dev.algotrade.testkit;

import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.BrokerListener;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A broker that only records what it is asked and lets the test answer: {@link #send} pushes
 * any order event (acknowledgement, fill, reject...) to the connected listener. Thread-safe.
 */
public final class RecordingBroker implements Broker {
  private final List<ClientOrderId> submitted = new CopyOnWriteArrayList<>();
  private final Map<ClientOrderId, OrderRequest> requests = new ConcurrentHashMap<>();
  private final List<ClientOrderId> cancelled = new CopyOnWriteArrayList<>();
  private volatile int cancelAllCalls;
  private volatile BrokerListener listener;
  private volatile boolean closed;
  private final AccountMode mode;

  public RecordingBroker() {
    this(AccountMode.PAPER);
  }

  public RecordingBroker(AccountMode mode) {
    this.mode = mode;
  }

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public AccountMode accountMode() {
    return mode;
  }

  @Override
  public void connect(BrokerListener l) {
    this.listener = l;
  }

  @Override
  public void submit(ClientOrderId id, OrderRequest request) {
    submitted.add(id);
    requests.put(id, request);
  }

  @Override
  public void cancel(ClientOrderId id) {
    cancelled.add(id);
  }

  @Override
  public void cancelAll() {
    cancelAllCalls++;
  }

  @Override
  public void requestPositions() {}

  @Override
  public void requestOpenOrders() {}

  @Override
  public void requestAccount() {}

  @Override
  public void close() {
    closed = true;
  }

  /** Pushes an event to the connected listener, as the broker's own thread would. */
  public void send(OrderEvent event) {
    BrokerListener l = listener;
    if (l == null) {
      throw new IllegalStateException("RecordingBroker is not connected");
    }
    l.onOrderEvent(event);
  }

  public BrokerListener listener() {
    return listener;
  }

  public List<ClientOrderId> submitted() {
    return List.copyOf(submitted);
  }

  public OrderRequest request(ClientOrderId id) {
    return requests.get(id);
  }

  public List<ClientOrderId> cancelled() {
    return List.copyOf(cancelled);
  }

  public int cancelAllCalls() {
    return cancelAllCalls;
  }

  public boolean isClosed() {
    return closed;
  }
}
