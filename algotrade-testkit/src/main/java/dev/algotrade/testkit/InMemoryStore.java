package dev.algotrade.testkit;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.store.BreakerState;
import dev.algotrade.api.store.DailyPnl;
import dev.algotrade.api.store.RecoveryState;
import dev.algotrade.api.store.RiskEvent;
import dev.algotrade.api.store.Store;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link Store} that keeps everything in memory, with the same recovery semantics as the
 * SQLite store: for tests, replays and backtests that need no file. Recording is synchronous
 * (there is no disk to wait for). {@link #reopened()} gives a fresh store over the same data, as
 * a restarted process would see it.
 *
 * <p>Thread-safe: every method synchronizes on the shared data.
 */
public final class InMemoryStore implements Store {

  /** One recorded fill with what the store was told about it. */
  public record StoredFill(Fill fill, double realizedPnl, LocalDate tradingDay) {}

  /** One recorded order event with the order after it. */
  public record StoredOrderEvent(OrderEvent event, Order orderAfter) {}

  private static final class Data {
    final Map<InstrumentId, Instrument> instruments = new TreeMap<>();
    final List<MarketData> marketData = new ArrayList<>();
    final Map<ClientOrderId, Order> orders = new LinkedHashMap<>();
    final List<StoredOrderEvent> orderEvents = new ArrayList<>();
    final List<StoredFill> fills = new ArrayList<>();
    final Set<String> executionIds = new HashSet<>();
    final List<RiskEvent> riskEvents = new ArrayList<>();
    final List<BreakerState> breakerStates = new ArrayList<>();
    final Map<LocalDate, DailyPnl> dailyPnl = new TreeMap<>();
    final List<Alert> alerts = new ArrayList<>();
    final List<List<Position>> positionSnapshots = new ArrayList<>();
    Instant heartbeat;
    long duplicateFills;
  }

  private final Data data;
  private final boolean keepMarketData;
  private volatile boolean closed;

  /** A store that keeps market data too (use {@link #withoutMarketData()} for long replays). */
  public InMemoryStore() {
    this(new Data(), true);
  }

  private InMemoryStore(Data data, boolean keepMarketData) {
    this.data = data;
    this.keepMarketData = keepMarketData;
  }

  /** A store that ignores quotes, trades and bars (they are the bulk of the data). */
  public static InMemoryStore withoutMarketData() {
    return new InMemoryStore(new Data(), false);
  }

  /** A new, open store over the same data: what a restarted process would find. */
  public InMemoryStore reopened() {
    return new InMemoryStore(data, keepMarketData);
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void recordInstrument(Instrument instrument) {
    synchronized (data) {
      data.instruments.put(instrument.id(), instrument);
    }
  }

  @Override
  public void recordMarketData(MarketData md) {
    if (keepMarketData) {
      synchronized (data) {
        data.marketData.add(md);
      }
    }
  }

  @Override
  public void recordOrderEvent(OrderEvent event, Order orderAfter) {
    synchronized (data) {
      data.orderEvents.add(new StoredOrderEvent(event, orderAfter));
      if (orderAfter != null && orderAfter.clientOrderId() != null) {
        Order before = data.orders.get(orderAfter.clientOrderId());
        Order merged = orderAfter;
        if (before != null && orderAfter.brokerOrderId() == null && before.brokerOrderId() != null) {
          // like the SQLite upsert: a known broker id is never forgotten
          merged = new Order(orderAfter.clientOrderId(), before.brokerOrderId(), orderAfter.request(),
              orderAfter.status(), orderAfter.filledQuantity(), orderAfter.averageFillPrice(),
              before.createdAt(), orderAfter.updatedAt(), orderAfter.reason());
        } else if (before != null) {
          merged = new Order(orderAfter.clientOrderId(), orderAfter.brokerOrderId(), orderAfter.request(),
              orderAfter.status(), orderAfter.filledQuantity(), orderAfter.averageFillPrice(),
              before.createdAt(), orderAfter.updatedAt(), orderAfter.reason());
        }
        data.orders.put(orderAfter.clientOrderId(), merged);
      }
    }
  }

  @Override
  public void recordFill(Fill fill, double realizedPnl, LocalDate tradingDay) {
    synchronized (data) {
      if (!data.executionIds.add(fill.executionId())) {
        data.duplicateFills++;
        return;
      }
      data.fills.add(new StoredFill(fill, Double.isFinite(realizedPnl) ? realizedPnl : 0, tradingDay));
    }
  }

  @Override
  public void recordRiskEvent(RiskEvent event) {
    synchronized (data) {
      data.riskEvents.add(event);
    }
  }

  @Override
  public void recordBreakerState(BreakerState state) {
    synchronized (data) {
      data.breakerStates.add(state);
    }
  }

  @Override
  public void recordDailyPnl(DailyPnl pnl) {
    synchronized (data) {
      data.dailyPnl.put(pnl.tradingDay(), pnl);
    }
  }

  @Override
  public void recordPositions(List<Position> positions, String source, Instant time) {
    synchronized (data) {
      data.positionSnapshots.add(List.copyOf(positions));
    }
  }

  @Override
  public void recordAlert(Alert alert, int suppressed) {
    synchronized (data) {
      data.alerts.add(alert);
    }
  }

  @Override
  public void recordHeartbeat(Instant time) {
    synchronized (data) {
      data.heartbeat = time;
    }
  }

  @Override
  public RecoveryState loadRecovery(LocalDate tradingDay) {
    synchronized (data) {
      double realized = 0;
      for (StoredFill f : data.fills) {
        if (f.tradingDay().equals(tradingDay)) {
          realized += f.realizedPnl();
        }
      }
      DailyPnl day = data.dailyPnl.get(tradingDay);
      BreakerState breaker = data.breakerStates.isEmpty() ? null
          : data.breakerStates.get(data.breakerStates.size() - 1);
      List<Order> open = new ArrayList<>();
      for (Order o : data.orders.values()) {
        if (o.status().isWorking()) {
          open.add(o);
        }
      }
      open.sort(Comparator.comparing(Order::createdAt)
          .thenComparing(o -> o.clientOrderId().value()));
      Map<InstrumentId, double[]> book = new TreeMap<>();
      for (StoredFill f : data.fills) {
        apply(book.computeIfAbsent(f.fill().instrument(), k -> new double[2]), f.fill().signedQuantity(),
            f.fill().price());
      }
      List<Position> positions = new ArrayList<>();
      book.forEach((id, p) -> {
        if (p[0] != 0) {
          positions.add(new Position(id, p[0], p[1]));
        }
      });
      long next = 1;
      for (ClientOrderId id : data.orders.keySet()) {
        next = Math.max(next, sequenceOf(id.value()) + 1);
      }
      for (StoredFill f : data.fills) {
        if (f.fill().clientOrderId() != null) {
          next = Math.max(next, sequenceOf(f.fill().clientOrderId().value()) + 1);
        }
      }
      LocalDate from = tradingDay.minusDays(RecoveryState.EXECUTION_ID_DAYS);
      Set<String> execIds = new HashSet<>();
      for (StoredFill f : data.fills) {
        if (!f.tradingDay().isBefore(from) && !f.tradingDay().isAfter(tradingDay)) {
          execIds.add(f.fill().executionId());
        }
      }
      return new RecoveryState(tradingDay, realized,
          day == null ? Double.NaN : day.startEquity(), day == null ? Double.NaN : day.peakEquity(),
          breaker, open, positions, next, execIds);
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  // ------------------------------------------------------------------ inspection for tests

  public List<StoredFill> fills() {
    synchronized (data) {
      return List.copyOf(data.fills);
    }
  }

  public List<StoredOrderEvent> orderEvents() {
    synchronized (data) {
      return List.copyOf(data.orderEvents);
    }
  }

  public Map<ClientOrderId, Order> orders() {
    synchronized (data) {
      return Map.copyOf(data.orders);
    }
  }

  public List<MarketData> marketData() {
    synchronized (data) {
      return List.copyOf(data.marketData);
    }
  }

  public List<RiskEvent> riskEvents() {
    synchronized (data) {
      return List.copyOf(data.riskEvents);
    }
  }

  public List<BreakerState> breakerStates() {
    synchronized (data) {
      return List.copyOf(data.breakerStates);
    }
  }

  public Map<LocalDate, DailyPnl> dailyPnl() {
    synchronized (data) {
      return Map.copyOf(data.dailyPnl);
    }
  }

  public List<Alert> alerts() {
    synchronized (data) {
      return List.copyOf(data.alerts);
    }
  }

  public List<List<Position>> positionSnapshots() {
    synchronized (data) {
      return List.copyOf(data.positionSnapshots);
    }
  }

  /** The last heartbeat, or null. */
  public Instant heartbeat() {
    synchronized (data) {
      return data.heartbeat;
    }
  }

  public long duplicateFills() {
    synchronized (data) {
      return data.duplicateFills;
    }
  }

  /** Opening fills average in, reductions keep the average, a flip starts at the fill price. */
  private static void apply(double[] p, double signed, double price) {
    double q = p[0];
    double after = q + signed;
    if (Math.abs(after) < 1e-9) {
      p[0] = 0;
      p[1] = 0;
    } else if (q == 0 || Math.signum(q) == Math.signum(signed)) {
      p[1] = (Math.abs(q) * p[1] + Math.abs(signed) * price) / Math.abs(after);
      p[0] = after;
    } else if (Math.signum(after) == Math.signum(q)) {
      p[0] = after;
    } else {
      p[0] = after;
      p[1] = price;
    }
  }

  private static long sequenceOf(String id) {
    int dash = id.lastIndexOf('-');
    if (dash < 0 || dash == id.length() - 1 || id.length() - dash - 1 > 18) {
      return 0;
    }
    long v = 0;
    for (int i = dash + 1; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
