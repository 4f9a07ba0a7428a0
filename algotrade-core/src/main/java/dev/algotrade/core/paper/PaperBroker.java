package dev.algotrade.core.paper;

import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.BrokerListener;
import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.broker.OpenOrdersReport;
import dev.algotrade.api.broker.PositionsReport;
import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.market.Trade;
import dev.algotrade.api.order.BrokerOrderId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelRejected;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderExpired;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.OrderType;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.order.TimeInForce;
import dev.algotrade.api.portfolio.AccountState;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.time.TradingCalendar;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in paper broker. It fills MARKET, LIMIT, STOP and STOP_LIMIT orders (DAY, GTC,
 * IOC) against the quotes the engine sees:
 *
 * <ul>
 *   <li>Market buys fill at the ask, sells at the bid, each quote offering at most its
 *       displayed size (shared by all orders on that quote); the rest waits for the next
 *       quote. A size of 0 on a quote means "not known": the whole quantity fills.
 *   <li>A limit order that is marketable when it arrives fills at the quote (price
 *       improvement); one that rests fills at its limit once a quote crosses it.
 *   <li>A buy stop triggers when the ask reaches the stop, a sell stop when the bid does; it
 *       then works as a market (STOP) or limit (STOP_LIMIT) order.
 *   <li>IOC fills what the current quote allows and cancels the rest; DAY orders expire at the
 *       trading-day roll.
 *   <li>Orders reach the "exchange" after the configured latency; until then they are
 *       pending, then accepted.
 *   <li>Rejects: unknown instrument, quantity not a whole number of lots, price off the tick
 *       grid, the client order id of a working order again, and (optional) orders whose cost exceeds the buying
 *       power.
 * </ul>
 *
 * Positions, cash and commissions are kept independently of the engine's book, as a real
 * broker would, so reconciliation compares two records. Confined to the engine thread once
 * bound to a system; standalone (tests), all calls must come from one thread at a time.
 * Events are delivered synchronously to the listener.
 */
public final class PaperBroker implements Broker, SimulatedVenue {

  private static final Logger log = LoggerFactory.getLogger(PaperBroker.class);

  private final Duration latency;
  private final CommissionModel commissionModel;
  private final double startingCash;
  private final double maxLeverage;
  private final String accountId;

  private Clock clock;
  private TradingCalendar calendar;
  private BrokerListener listener;
  private LocalDate day;
  private Instant dayEnd;
  private boolean closed;

  private final Map<InstrumentId, Instrument> instruments = new HashMap<>();
  private final Map<InstrumentId, Venue> venues = new HashMap<>();
  private final Map<ClientOrderId, PaperOrder> orders = new LinkedHashMap<>();
  private final Map<InstrumentId, Holding> holdings = new LinkedHashMap<>();
  private final List<Fill> fills = new ArrayList<>();
  private double cash;
  private double commissionsPaid;
  private long brokerIdSeq = 1;
  private long execSeq = 1;
  private int pendingActivations;
  private int workingDayOrders;
  private InstrumentId lastVenueId;
  private Venue lastVenue;

  private PaperBroker(Builder b) {
    this.latency = b.latency;
    this.commissionModel = b.commissionModel;
    this.startingCash = b.startingCash;
    this.maxLeverage = b.maxLeverage;
    this.accountId = b.accountId;
    this.clock = b.clock;
    this.calendar = b.calendar;
    this.cash = b.startingCash;
    for (Instrument i : b.instruments) {
      instruments.put(i.id(), i);
    }
  }

  /** A paper broker with the defaults (no latency, IB-like commissions, $1,000,000 cash). */
  public static PaperBroker create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Paper broker settings; every setter validates at once. */
  public static final class Builder {
    private Duration latency = Duration.ZERO;
    private CommissionModel commissionModel = CommissionModel.ibFixed();
    private double startingCash = 1_000_000;
    private double maxLeverage = 0;
    private String accountId = "PAPER";
    private Clock clock;
    private TradingCalendar calendar = TradingCalendar.DEFAULT;
    private final List<Instrument> instruments = new ArrayList<>();

    private Builder() {}

    /** Time from submit to the order reaching the simulated exchange (default 0). */
    public Builder latency(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("PaperBroker latency must be >= 0, was " + value);
      }
      this.latency = value;
      return this;
    }

    public Builder commission(CommissionModel value) {
      if (value == null) {
        throw new IllegalArgumentException("PaperBroker commission model must not be null");
      }
      this.commissionModel = value;
      return this;
    }

    public Builder startingCash(double value) {
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("PaperBroker startingCash must be finite and > 0, was " + value);
      }
      this.startingCash = value;
      return this;
    }

    /**
     * Rejects an order whose fill would take gross position value above {@code value} x
     * equity (0 = no check, the default).
     */
    public Builder maxLeverage(double value) {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("PaperBroker maxLeverage must be finite and >= 0, was " + value);
      }
      this.maxLeverage = value;
      return this;
    }

    public Builder accountId(String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("PaperBroker accountId must not be blank, was '" + value + "'");
      }
      this.accountId = value;
      return this;
    }

    /** Only for standalone use; a TradingSystem binds its own clock. */
    public Builder clock(Clock value) {
      if (value == null) {
        throw new IllegalArgumentException("PaperBroker clock must not be null");
      }
      this.clock = value;
      return this;
    }

    /** Only for standalone use; a TradingSystem binds its own calendar. */
    public Builder calendar(TradingCalendar value) {
      if (value == null) {
        throw new IllegalArgumentException("PaperBroker calendar must not be null");
      }
      this.calendar = value;
      return this;
    }

    /** Only for standalone use; a TradingSystem registers its instruments. */
    public Builder instrument(Instrument value) {
      if (value == null) {
        throw new IllegalArgumentException("PaperBroker instrument must not be null");
      }
      this.instruments.add(value);
      return this;
    }

    public PaperBroker build() {
      return new PaperBroker(this);
    }
  }

  // ---------------------------------------------------------------- SimulatedVenue

  @Override
  public void bind(Clock engineClock, TradingCalendar engineCalendar, Collection<Instrument> list) {
    this.clock = engineClock;
    this.calendar = engineCalendar;
    for (Instrument i : list) {
      instruments.put(i.id(), i);
    }
  }

  @Override
  public void onMarketData(MarketData data) {
    if (data instanceof Quote) {
      Quote q = (Quote) data;
      Venue v = venue(q.instrument());
      v.quote = q;
      v.askLeft = q.askSize() > 0 ? q.askSize() : Double.POSITIVE_INFINITY;
      v.bidLeft = q.bidSize() > 0 ? q.bidSize() : Double.POSITIVE_INFINITY;
      v.mark = q.mid();
      if (!v.working.isEmpty()) {
        match(v, q.time(), false);
      }
    } else if (data instanceof Trade) {
      venue(data.instrument()).mark = ((Trade) data).price();
    } else if (data instanceof Bar) {
      venue(data.instrument()).mark = ((Bar) data).close();
    }
  }

  @Override
  public void onTime(Instant now) {
    if (pendingActivations > 0) {
      for (Venue v : venues.values()) {
        if (!v.working.isEmpty()) {
          activateDue(v, now);
          if (v.quote != null) {
            match(v, now, false);
          }
        }
      }
    }
    if (dayEnd != null && !now.isBefore(dayEnd)) {
      expireDayOrders(now);
    }
  }

  @Override
  public Instant nextWakeup() {
    Instant next = null;
    if (pendingActivations > 0) {
      for (Venue v : venues.values()) {
        for (PaperOrder o : v.working) {
          if (!o.active && (next == null || o.activeAt.isBefore(next))) {
            next = o.activeAt;
          }
        }
      }
    }
    if (dayEnd != null && workingDayOrders > 0 && (next == null || dayEnd.isBefore(next))) {
      next = dayEnd;
    }
    return next;
  }

  // ---------------------------------------------------------------- Broker

  @Override
  public String name() {
    return "paper";
  }

  @Override
  public AccountMode accountMode() {
    return AccountMode.PAPER;
  }

  @Override
  public void connect(BrokerListener l) {
    if (l == null) {
      throw new IllegalArgumentException("PaperBroker.connect listener must not be null");
    }
    if (clock == null) {
      throw new IllegalStateException("PaperBroker has no clock: bind it to a TradingSystem or set builder().clock(..)");
    }
    this.listener = l;
    this.closed = false;
    rollDayIfNeeded(clock.now());
    l.onStatus(new BrokerStatus(name(), ConnectionState.CONNECTED, "paper account " + accountId, clock.now()));
  }

  @Override
  public void submit(ClientOrderId id, OrderRequest r) {
    requireConnected();
    Instant now = clock.now();
    rollDayIfNeeded(now);
    if (orders.containsKey(id)) {
      listener.onOrderEvent(new OrderRejected(id, "DUPLICATE_ID", "client order id already used: " + id, now));
      return;
    }
    Instrument inst = instruments.get(r.instrument());
    String problem = null;
    String code = null;
    if (inst == null) {
      code = "UNKNOWN_INSTRUMENT";
      problem = "no such instrument: " + r.instrument();
    } else if (!inst.isWholeLots(r.quantity())) {
      code = "INVALID_QUANTITY";
      problem = "quantity " + r.quantity() + " is not a multiple of the lot size " + inst.lotSize();
    } else if (r.type().needsLimitPrice() && !inst.isOnTick(r.limitPrice())) {
      code = "INVALID_PRICE";
      problem = "limit price " + r.limitPrice() + " is not on the tick grid " + inst.tickSize();
    } else if (r.type().needsStopPrice() && !inst.isOnTick(r.stopPrice())) {
      code = "INVALID_PRICE";
      problem = "stop price " + r.stopPrice() + " is not on the tick grid " + inst.tickSize();
    } else if (maxLeverage > 0 && exceedsBuyingPower(inst, r)) {
      code = "INSUFFICIENT_BUYING_POWER";
      problem = "order would take gross exposure above " + maxLeverage + "x equity";
    }
    PaperOrder o = new PaperOrder(id, r, BrokerOrderId.of(brokerIdSeq++), now);
    if (problem != null) {
      o.status = OrderStatus.REJECTED;
      log.info("paper order rejected clientOrderId={} code={} reason={}", id, code, problem);
      listener.onOrderEvent(new OrderRejected(id, code, problem, now));
      return;
    }
    orders.put(id, o);
    Venue v = venue(r.instrument());
    v.working.add(o);
    if (r.timeInForce() == TimeInForce.DAY) {
      workingDayOrders++;
    }
    o.activeAt = now.plus(latency);
    if (latency.isZero()) {
      activate(o, now);
      if (v.quote != null) {
        match(v, now, true);
      }
    } else {
      pendingActivations++;
    }
  }

  @Override
  public void cancel(ClientOrderId id) {
    requireConnected();
    Instant now = clock.now();
    PaperOrder o = orders.get(id);
    if (o == null) {
      listener.onOrderEvent(new OrderCancelRejected(id, "unknown or finished order", now));
      return;
    }
    if (!o.status.isWorking()) {
      listener.onOrderEvent(new OrderCancelRejected(id, "order is " + o.status, now));
      return;
    }
    finish(o, OrderStatus.CANCELLED);
    listener.onOrderEvent(new OrderCancelled(id, "cancelled on request", now));
  }

  @Override
  public void cancelAll() {
    requireConnected();
    for (PaperOrder o : new ArrayList<>(orders.values())) {
      if (o.status.isWorking()) {
        cancel(o.id);
      }
    }
  }

  @Override
  public void requestPositions() {
    requireConnected();
    listener.onPositions(new PositionsReport(positions(), clock.now()));
  }

  @Override
  public void requestOpenOrders() {
    requireConnected();
    List<Order> open = new ArrayList<>();
    for (PaperOrder o : orders.values()) {
      if (o.status.isWorking()) {
        open.add(o.snapshot(clock.now()));
      }
    }
    listener.onOpenOrders(new OpenOrdersReport(open, clock.now()));
  }

  @Override
  public void requestAccount() {
    requireConnected();
    listener.onAccount(account());
  }

  @Override
  public void close() {
    if (!closed && listener != null) {
      closed = true;
      listener.onStatus(new BrokerStatus(name(), ConnectionState.CLOSED, "closed", clock.now()));
    }
    closed = true;
  }

  // ---------------------------------------------------------------- the broker's own record

  /** Every fill this broker made, in order. */
  public List<Fill> fills() {
    return List.copyOf(fills);
  }

  /** The broker's positions (non-flat), by instrument. */
  public List<Position> positions() {
    List<Position> out = new ArrayList<>();
    for (Holding h : holdings.values()) {
      if (h.quantity != 0) {
        out.add(new Position(h.id, h.quantity, h.averagePrice));
      }
    }
    return out;
  }

  /** The account as the broker sees it, marked at the last prices it saw. */
  public AccountState account() {
    double gross = 0;
    double value = 0;
    for (Holding h : holdings.values()) {
      if (h.quantity != 0) {
        Venue v = venues.get(h.id);
        double px = v != null && v.mark > 0 ? v.mark : h.averagePrice;
        double mv = h.quantity * px * h.multiplier;
        value += mv;
        gross += Math.abs(mv);
      }
    }
    double equity = cash + value;
    double available = maxLeverage > 0 ? equity * maxLeverage - gross : equity - gross;
    return new AccountState(accountId, "USD", equity, cash, gross, available, clock.now());
  }

  public double commissionsPaid() {
    return commissionsPaid;
  }

  public double startingCash() {
    return startingCash;
  }

  // ---------------------------------------------------------------- matching

  private Venue venue(InstrumentId id) {
    if (id == lastVenueId) {
      return lastVenue; // feeds reuse one id object per instrument: skip the hash lookup
    }
    Venue v = venues.get(id);
    if (v == null) {
      v = new Venue();
      venues.put(id, v);
    }
    lastVenueId = id;
    lastVenue = v;
    return v;
  }

  private void activateDue(Venue v, Instant now) {
    for (int i = 0; i < v.working.size(); i++) {
      PaperOrder o = v.working.get(i);
      if (!o.active && !o.activeAt.isAfter(now)) {
        pendingActivations--;
        activate(o, now);
      }
    }
  }

  private void activate(PaperOrder o, Instant now) {
    o.active = true;
    o.status = OrderStatus.ACCEPTED;
    listener.onOrderEvent(new OrderAccepted(o.id, o.brokerId, now));
  }

  /**
   * Matches the active working orders of one instrument against its current quote, oldest
   * first. {@code arrival} marks the call made when an order has just arrived: marketable
   * limits then fill at the quote, and IOC orders are finished.
   */
  private void match(Venue v, Instant now, boolean arrival) {
    Quote q = v.quote;
    for (int i = 0; i < v.working.size(); i++) {
      PaperOrder o = v.working.get(i);
      if (!o.active || !o.status.isWorking()) {
        continue;
      }
      boolean fresh = !o.triedOnce;
      o.triedOnce = true;
      OrderRequest r = o.request;
      boolean buy = r.side() == Side.BUY;
      if (r.type().needsStopPrice() && !o.triggered) {
        if (buy ? (q.ask() > 0 && q.ask() >= r.stopPrice()) : (q.bid() > 0 && q.bid() <= r.stopPrice())) {
          o.triggered = true;
          fresh = true; // a triggered stop arrives at the book now
        } else {
          continue;
        }
      }
      double px = buy ? q.ask() : q.bid();
      if (px <= 0) {
        continue;
      }
      boolean limitType = r.type() == OrderType.LIMIT || r.type() == OrderType.STOP_LIMIT;
      double fillPrice;
      if (limitType) {
        if (buy ? px > r.limitPrice() : px < r.limitPrice()) {
          if (r.timeInForce() == TimeInForce.IOC && fresh) {
            finishIoc(o, now);
            i--;
          }
          continue;
        }
        fillPrice = fresh ? px : r.limitPrice();
      } else {
        fillPrice = px;
      }
      double available = buy ? v.askLeft : v.bidLeft;
      double qty = Math.min(o.remaining(), available);
      Instrument inst = instruments.get(r.instrument());
      qty = inst.roundQuantityDown(qty);
      if (qty > 0) {
        if (buy) {
          v.askLeft -= qty;
        } else {
          v.bidLeft -= qty;
        }
        fill(o, inst, qty, fillPrice, now);
        if (!o.status.isWorking()) {
          i--; // removed from the working list
          continue;
        }
      }
      if (r.timeInForce() == TimeInForce.IOC && fresh && o.status.isWorking()) {
        finishIoc(o, now);
        i--;
      }
    }
  }

  private void finishIoc(PaperOrder o, Instant now) {
    finish(o, OrderStatus.CANCELLED);
    listener.onOrderEvent(new OrderCancelled(o.id, "IOC remainder cancelled", now));
  }

  private void fill(PaperOrder o, Instrument inst, double qty, double price, Instant now) {
    o.filled += qty;
    o.notional += qty * price;
    double total = commissionModel.orderCommission(o.filled, o.notional * inst.multiplier());
    double commission = Math.max(0, Math.round((total - o.commission) * 1e8) / 1e8);
    o.commission += commission;
    Side side = o.request.side();
    Holding h = holdings.computeIfAbsent(inst.id(), k -> new Holding(k, inst.multiplier()));
    h.apply(side.sign() * qty, price);
    cash -= side.sign() * qty * price * inst.multiplier() + commission;
    commissionsPaid += commission;
    Fill f = new Fill(o.id, "P" + execSeq++, inst.id(), side, qty, price, commission, now);
    fills.add(f);
    if (o.filled >= o.request.quantity() - 1e-9) {
      finish(o, OrderStatus.FILLED);
    } else {
      o.status = OrderStatus.PARTIALLY_FILLED;
    }
    listener.onOrderEvent(new OrderFilled(f));
  }

  private void finish(PaperOrder o, OrderStatus terminal) {
    if (!o.active && o.status.isWorking()) {
      pendingActivations--;
    }
    o.status = terminal;
    orders.remove(o.id); // a real broker forgets finished orders too; keeps the map small
    Venue v = venues.get(o.request.instrument());
    if (v != null && v.working.remove(o) && o.request.timeInForce() == TimeInForce.DAY) {
      workingDayOrders--;
    }
  }

  private boolean exceedsBuyingPower(Instrument inst, OrderRequest r) {
    AccountState a = account();
    Venue v = venues.get(inst.id());
    double px = r.type().needsLimitPrice() ? r.limitPrice() : (v != null && v.mark > 0 ? v.mark : Double.NaN);
    if (Double.isNaN(px)) {
      return false;
    }
    Holding h = holdings.get(inst.id());
    double pos = h == null ? 0 : h.quantity;
    double mark = v != null && v.mark > 0 ? v.mark : px;
    double before = Math.abs(pos * mark * inst.multiplier());
    double after = Math.abs((pos + r.signedQuantity()) * px * inst.multiplier());
    return a.grossPositionValue() - before + after > a.netLiquidation() * maxLeverage;
  }

  private void rollDayIfNeeded(Instant now) {
    if (calendar == null) {
      return;
    }
    if (day == null) {
      day = calendar.tradingDay(now);
      dayEnd = calendar.endOf(day);
    }
  }

  private void expireDayOrders(Instant now) {
    for (Venue v : venues.values()) {
      for (PaperOrder o : new ArrayList<>(v.working)) {
        if (o.request.timeInForce() == TimeInForce.DAY && o.status.isWorking()) {
          finish(o, OrderStatus.EXPIRED);
          listener.onOrderEvent(new OrderExpired(o.id, now));
        }
      }
    }
    day = calendar.tradingDay(now);
    dayEnd = calendar.endOf(day);
  }

  private void requireConnected() {
    if (listener == null) {
      throw new IllegalStateException("PaperBroker is not connected: call connect(listener) first");
    }
    if (closed) {
      throw new IllegalStateException("PaperBroker is closed");
    }
  }

  // ---------------------------------------------------------------- records

  private static final class Venue {
    final ArrayList<PaperOrder> working = new ArrayList<>(4);
    Quote quote;
    double askLeft;
    double bidLeft;
    double mark;
  }

  private static final class PaperOrder {
    final ClientOrderId id;
    final OrderRequest request;
    final BrokerOrderId brokerId;
    final Instant createdAt;
    Instant activeAt;
    OrderStatus status = OrderStatus.PENDING_SUBMIT;
    boolean active;
    boolean triggered;
    boolean triedOnce;
    double filled;
    double notional;
    double commission;

    PaperOrder(ClientOrderId id, OrderRequest request, BrokerOrderId brokerId, Instant createdAt) {
      this.id = id;
      this.request = request;
      this.brokerId = brokerId;
      this.createdAt = createdAt;
      this.activeAt = createdAt;
    }

    double remaining() {
      return Math.max(0, request.quantity() - filled);
    }

    Order snapshot(Instant now) {
      return new Order(id, brokerId, request, status, filled, filled > 0 ? notional / filled : Double.NaN,
          createdAt, now, "");
    }
  }

  private static final class Holding {
    final InstrumentId id;
    final double multiplier;
    double quantity;
    double averagePrice;

    Holding(InstrumentId id, double multiplier) {
      this.id = id;
      this.multiplier = multiplier;
    }

    void apply(double q, double price) {
      double pos = quantity;
      if (pos == 0 || Math.signum(pos) == Math.signum(q)) {
        double n = pos + q;
        averagePrice = (Math.abs(pos) * averagePrice + Math.abs(q) * price) / Math.abs(n);
        quantity = n;
      } else {
        double n = pos + q;
        if (Math.abs(n) < 1e-9) {
          n = 0;
        }
        quantity = n;
        if (n == 0) {
          averagePrice = 0;
        } else if (Math.signum(n) != Math.signum(pos)) {
          averagePrice = price;
        }
      }
    }
  }
}
