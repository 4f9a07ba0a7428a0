package dev.algotrade.ib;

import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.Broker;
import dev.algotrade.api.broker.BrokerListener;
import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.broker.OpenOrdersReport;
import dev.algotrade.api.broker.PositionsReport;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.BrokerOrderId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelRejected;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderEvent;
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
import dev.algotrade.ib.internal.IbCodes;
import dev.algotrade.ib.internal.IbHandler;
import dev.algotrade.ib.internal.Inbound;
import dev.algotrade.ib.internal.Outgoing;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IB as a {@link Broker}: MARKET, LIMIT, STOP and STOP_LIMIT orders with DAY / GTC / IOC, sent
 * as placeOrder at server version 178 with our client order id in {@code orderRef} so an order
 * is recognised after a restart (an openOrder with an unknown order id but a non-empty orderRef
 * is adopted under that client order id).
 *
 * <p><b>Event mapping</b> (ib-protocol.md §5.2-§5.4):
 * <ul>
 *   <li>orderStatus / openOrder PreSubmitted or Submitted -> {@link OrderAccepted}, once, and
 *       never after a fill (duplicated or late statuses are dropped; orderStatus is a snapshot).
 *   <li>execDetails -> {@link OrderFilled}: the execution is authoritative (orderStatus fill
 *       counts are only logged). Executions are de-duplicated by execId; a correction (same
 *       execId up to the last {@code .}, new suffix) is logged and not applied as a second fill,
 *       positions reconciliation settles it (§5.3, §8 item 3). The fill waits for its
 *       commissionReport up to {@link IbConfig#commissionTimeout()} (measured with the Clock),
 *       then goes out with commission 0 and a warning. Commission reports that come first are
 *       parked until their execution arrives.
 *   <li>errMsg 201 / 103 (and 110 before acceptance) -> {@link OrderRejected} with IB's code
 *       and text; 202 or orderStatus Cancelled / ApiCancelled -> {@link OrderCancelled}; an
 *       order cancelled before it was ever accepted after some other error -> OrderRejected with
 *       that error's code; 161 / 10147 / 10148 -> {@link OrderCancelRejected}; warnings (399,
 *       2100-2199, 321, ...) leave the order working; late errors on a finished order are
 *       ignored.
 *   <li>Inactive (§8 item 2): before acceptance it is a rejection (with the last error's code,
 *       or {@code Inactive}); after acceptance it is only logged, so reconciliation decides.
 *   <li>A terminal event for an order whose fills still wait for commissions is held back until
 *       those fills are out, so the engine never sees a fill after a cancel.
 * </ul>
 *
 * <p><b>Safety</b>: orders are refused ({@link OrderRejected} code {@code LIVE_ACCOUNT_REFUSED})
 * when the account is live (id not starting with D) unless both live switches of
 * {@link IbConfig} are on; {@link #accountMode()} says PAPER or LIVE after connect.
 *
 * <p><b>Reports</b>: positions (reqPositions, then cancelPositions once positionEnd arrives),
 * open orders (reqOpenOrders), account summary (NetLiquidation, TotalCashValue,
 * GrossPositionValue, AvailableFunds), and {@link #requestExecutions()} for today's executions
 * (sent automatically after connect, behind reqOpenOrders, as §5.9 advises). Reports asked for
 * between {@link #connect} and the connection being ready (the engine asks at once) go out as
 * soon as it is.
 *
 * <p><b>Restore</b> (the client reconnects itself; see {@link IbClient.ConnectionListener}). After
 * a new session following a lost socket, and after 1101 or 1102, the broker resynchronises before
 * it reports the connection CONNECTED again (until then the listener's last status is
 * DISCONNECTED, CONNECTING or DEGRADED, so the engine does not reconcile half-way):
 * <ol>
 *   <li>a cancelAll() queued while disconnected goes out (reqGlobalCancel);
 *   <li>reqOpenOrders, then reqExecutions since the start of the trading day (midnight in
 *       {@link IbConfig#exchangeZone()}): the openOrder / orderStatus replay moves our orders on
 *       (e.g. acknowledged while we were away), and missed executions become
 *       {@link OrderFilled}s, once each (execIds are de-duplicated across sessions, and across a
 *       restart through {@link #knownExecutions});
 *   <li>when the executions have ended (this also fences the open-order replay, which was
 *       asked first), every order that was working on our side before the restore and is not
 *       open at IB is settled: fully executed -> finished (its fills already went out);
 *       acknowledged or partly filled -> {@link OrderCancelled} ("not open at IB after the
 *       restore"); never acknowledged -> {@link OrderRejected} with code {@code LOST} (it never
 *       reached IB, ib-protocol.md pitfall P1). Orders still open whose cancel was asked for
 *       get their cancelOrder (again);
 *   <li>an {@link OpenOrdersReport} (orders placed by an earlier process carry their client
 *       order id from orderRef, so the engine adopts them), then reqPositions and a
 *       {@link PositionsReport} once every replayed fill is out, then {@link BrokerStatus}
 *       CONNECTED ("restored ...").
 * </ol>
 * If the replies do not all come within {@link #RESYNC_TIMEOUT} (clock time), CONNECTED is
 * reported anyway with what is missing in the detail.
 *
 * <p><b>While disconnected</b>: {@link #submit} answers {@link OrderRejected} code
 * {@code NOT_CONNECTED}. {@link #cancel} of a working order is <i>queued</i> (logged at WARN,
 * no event yet): after the restore it is sent if the order is still open at IB, and answered
 * {@link OrderCancelled} if IB had already cancelled it, or {@link OrderCancelRejected} ("filled
 * while disconnected") if it filled. {@link #cancelAll} is queued the same way.
 *
 * <p>Thread-safe: public methods only enqueue to the client's paced writer; inbound handling
 * runs on the reader thread, the commission timeout on the timer thread, both under this
 * object's lock. Listener calls come from those two threads.
 */
public final class IbBroker implements Broker, IbHandler {

  private static final Logger log = LoggerFactory.getLogger(IbBroker.class);
  /** An order with no openOrder / orderStatus after this long is reported (protocol notes P3). */
  static final java.time.Duration ACK_TIMEOUT = java.time.Duration.ofSeconds(10);
  /** The longest a restore waits for its open orders, executions and positions (clock time). */
  static final java.time.Duration RESYNC_TIMEOUT = java.time.Duration.ofSeconds(30);
  static final String ACCOUNT_TAGS = "NetLiquidation,TotalCashValue,GrossPositionValue,AvailableFunds";
  private static final DateTimeFormatter EXEC_FILTER = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss");
  private static final DateTimeFormatter EXEC_TIME = DateTimeFormatter.ofPattern("yyyyMMdd HH:mm:ss");

  private final IbClient client;
  private final boolean ownsClient;
  private final IbContracts contracts;
  private final Clock clock;
  private final Map<InstrumentId, Instrument> instruments = new ConcurrentHashMap<>();
  private volatile Function<InstrumentId, Instrument> instrumentLookup = id -> Instrument.stock(id.value());
  private BrokerListener listener;
  private volatile boolean connected;
  private boolean closed;
  /** The last connection state seen from the client; guarded by this. */
  private ConnectionState lastState;
  private boolean everConnected;
  private Resync resync;
  private boolean globalCancelQueued;
  private long restores;
  private long incompleteRestores;
  private long abandonedRestores;
  /** requestAccount() came before the connection was ready; guarded by this. */
  private boolean accountPending;

  // order book, guarded by this
  private final Map<Integer, OrderState> byOrderId = new HashMap<>();
  private final Map<ClientOrderId, OrderState> byClientId = new HashMap<>();
  /**
   * Orders we submitted that may still be waiting for IB's acknowledgement, oldest first; the
   * sweep looks only at these (every order ever sent would make each sweep, and the engine's
   * submit waiting on the lock, slower as the day goes on).
   */
  private final ArrayDeque<OrderState> awaitingAck = new ArrayDeque<>();
  /** permId is account-wide and stable (ib-protocol.md §5.1): the fallback key for statuses. */
  private final Map<Long, OrderState> byPermId = new HashMap<>();
  private final Set<String> execIds = new HashSet<>();
  private final Map<String, String> execByPrefix = new HashMap<>();
  private final Map<String, HeldFill> held = new LinkedHashMap<>();
  private final Map<String, Parked> parked = new LinkedHashMap<>();
  private final Set<String> emitted = new HashSet<>();
  private long duplicateExecutions;
  private long corrections;

  // report collection, guarded by this
  private List<Inbound.Position> positionsCollecting;
  private Map<Integer, Inbound.OpenOrder> openOrdersCollecting;
  private final Map<Integer, Map<String, Inbound.AccountSummary>> summaries = new HashMap<>();
  private final Set<Integer> executionRequests = new HashSet<>();

  private static final class OrderState {
    final ClientOrderId clientOrderId;
    int orderId;
    OrderRequest request;
    InstrumentId instrument;
    boolean accepted;
    boolean terminal;
    boolean fillSeen;
    boolean filledStatusSeen;
    boolean cancelRequested;
    /** Shares executed, from execDetails (the authority for fills). */
    double execFilled;
    String lastStatus = "";
    double lastFilled = Double.NaN;
    double lastRemaining = Double.NaN;
    double statusFilled;
    double statusAvgPrice = Double.NaN;
    int lastErrorCode;
    String lastErrorText = "";
    int heldFills;
    OrderEvent deferredTerminal;
    Instant createdAt;
    long submittedNanos = Long.MIN_VALUE;
    boolean ackWarned;

    OrderState(ClientOrderId clientOrderId, int orderId, OrderRequest request, InstrumentId instrument, Instant now) {
      this.clientOrderId = clientOrderId;
      this.orderId = orderId;
      this.request = request;
      this.instrument = instrument;
      this.createdAt = now;
    }
  }

  /** One restore in progress (guarded by the broker's lock). */
  private static final class Resync {
    final String reason;
    final long deadlineNanos;
    /** Orders working on our side when the restore began. */
    final List<OrderState> inDoubt = new ArrayList<>();
    /** Open orders IB reported since the restore began (ours and foreign), by (clientId, orderId). */
    final Map<Long, Inbound.OpenOrder> open = new LinkedHashMap<>();
    int execReqId = -1;
    boolean openOrdersEnded;
    boolean executionsEnded;
    boolean settled;
    boolean positionsAsked;
    boolean positionsEnded;
    int replayed;
    int settledCount;

    Resync(String reason, long deadlineNanos) {
      this.reason = reason;
      this.deadlineNanos = deadlineNanos;
    }
  }

  private static final class HeldFill {
    final Fill fill;
    final OrderState order;
    final long deadlineNanos;
    /** Whether it counts in {@code order.heldFills} (it waited for its commission). */
    final boolean counted;

    HeldFill(Fill fill, OrderState order, long deadlineNanos, boolean counted) {
      this.fill = fill;
      this.order = order;
      this.deadlineNanos = deadlineNanos;
      this.counted = counted;
    }
  }

  private static final class Parked {
    final double commission;
    final long atNanos;

    Parked(double commission, long atNanos) {
      this.commission = commission;
      this.atNanos = atNanos;
    }
  }

  private IbBroker(IbClient client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.clock = client.clock();
    this.contracts = client.contracts();
  }

  /** A broker on its own connection, closed by {@link #close()}. */
  public static IbBroker create(IbConfig config, Clock clock) {
    return new IbBroker(IbClient.create(config, clock), true);
  }

  /** For tests: a broker owning {@code client}. */
  static IbBroker owning(IbClient client) {
    return new IbBroker(client, true);
  }

  /** A broker sharing {@code client} (e.g. with an {@link IbFeed}); {@link #close()} leaves it open. */
  public static IbBroker on(IbClient client) {
    return new IbBroker(client, false);
  }

  @Override
  public String name() {
    return "ib";
  }

  public IbClient client() {
    return client;
  }

  /**
   * Teaches the broker an instrument's IB contract (type, exchange, currency, multiplier).
   * Orders for an instrument never registered go out as a US stock on SMART in USD.
   */
  public IbBroker register(Instrument instrument) {
    instruments.put(instrument.id(), instrument);
    return this;
  }

  /** Replaces the fallback for unregistered instruments (default: {@link Instrument#stock}). */
  public IbBroker instrumentLookup(Function<InstrumentId, Instrument> lookup) {
    if (lookup == null) {
      throw new IllegalArgumentException("IbBroker.instrumentLookup must not be null");
    }
    instrumentLookup = lookup;
    return this;
  }

  /** PAPER for a DU... / D... account, LIVE for any other, UNKNOWN before connect. */
  @Override
  public AccountMode accountMode() {
    return client.accountMode();
  }

  @Override
  public synchronized void connect(BrokerListener l) {
    if (listener != null) {
      throw new IllegalStateException("IbBroker.connect called twice");
    }
    listener = l;
    client.addHandler(this);
    client.addConnectionListener(new IbClient.ConnectionListener() {
      @Override
      public void onConnectionState(ConnectionState state, String detail) {
        onConnection(state, detail);
      }

      @Override
      public void onRestored(boolean dataLost) {
        IbBroker.this.onRestored(dataLost);
      }
    });
    client.timer().scheduleAtFixedRate(() -> {
      try {
        sweep();
      } catch (RuntimeException e) {
        log.error("IB broker commission sweep failed", e);
      }
    }, 100, 100, TimeUnit.MILLISECONDS);
    if (client.isReady()) {
      onConnection(ConnectionState.CONNECTED, "already connected");
    } else {
      client.start();
    }
  }

  private void onConnection(ConnectionState state, String detail) {
    BrokerListener l;
    boolean first = false;
    synchronized (this) {
      l = listener;
      if (l == null || closed) {
        return;
      }
      ConnectionState before = lastState;
      lastState = state;
      if (state == ConnectionState.CONNECTED && !everConnected) {
        everConnected = true;
        first = true;
      } else if (state == ConnectionState.CONNECTED && before != ConnectionState.CONNECTED) {
        connected = true;
        startResync(before + " -> CONNECTED: " + detail);
        return; // CONNECTED is reported when the restore is done
      } else if (state == ConnectionState.DISCONNECTED || state == ConnectionState.CLOSED) {
        connected = false;
        lostSession(detail);
      }
    }
    if (first) {
      connected = true;
      if (client.accountMode() == AccountMode.LIVE && !client.config().liveAllowed()) {
        log.error("IB account is live, orders will be refused account={}: {}", client.account(),
            IbConfig.liveRefusal("account " + client.account() + " is a live account"));
      }
      client.send(Outgoing.reqOpenOrders());
      requestExecutions();
      boolean account;
      synchronized (this) {
        account = accountPending;
      }
      if (account) {
        requestAccount();
      }
    }
    l.onStatus(new BrokerStatus(name(), state, detail, clock.now()));
  }

  private synchronized void onRestored(boolean dataLost) {
    if (listener == null || closed || !everConnected) {
      return;
    }
    if (resync == null) {
      // e.g. 1101 / 1102 without a state change before it: the session is the same, but
      // messages may have been missed (ib-protocol.md §5.8)
      startResync("restored dataLost=" + dataLost);
    }
  }

  /** Whether orders can go out now: connected (or 1100-degraded, where TWS keeps the socket). */
  private boolean canTrade() {
    ConnectionState st = client.state();
    return client.isReady() && (st == ConnectionState.CONNECTED || st == ConnectionState.DEGRADED)
        && lastState != ConnectionState.DISCONNECTED && lastState != ConnectionState.CLOSED;
  }

  /** The socket is gone: requests in flight will not be answered. Under the lock. */
  private void lostSession(String detail) {
    if (resync != null) {
      log.warn("IB restore abandoned, connection lost again reason={} detail={}", resync.reason, detail);
      resync = null;
      abandonedRestores++;
    }
    executionRequests.clear();
    if (!summaries.isEmpty()) {
      summaries.clear();
      accountPending = true; // asked again once restored
    }
    long working = byClientId.values().stream().filter(o -> !o.terminal).count();
    if (working > 0) {
      log.warn("IB connection lost with working orders; they are settled after the restore workingOrders={}",
          working);
    }
  }

  /** Begins a restore (see the class comment). Under the lock. */
  private void startResync(String reason) {
    Resync r = new Resync(reason, clock.nanoTime() + RESYNC_TIMEOUT.toNanos());
    for (OrderState s : byClientId.values()) {
      if (!s.terminal) {
        r.inDoubt.add(s);
      }
    }
    resync = r;
    log.info("IB restore started reason={} ordersToSettle={}", reason, r.inDoubt.size());
    if (globalCancelQueued) {
      globalCancelQueued = false;
      log.warn("IB global cancel queued while disconnected is sent now (reqGlobalCancel)");
      client.send(Outgoing.reqGlobalCancel());
    }
    client.send(Outgoing.reqOpenOrders());
    try {
      r.execReqId = client.nextId();
    } catch (RuntimeException e) {
      log.warn("IB restore cannot ask for executions yet reason={}", e.getMessage());
      return; // the timeout reports what is missing
    }
    executionRequests.add(r.execReqId);
    client.send(Outgoing.reqExecutions(r.execReqId, client.account(), startOfDayFilter()));
  }

  /** Moves a restore on as far as the replies allow. Under the lock. */
  private void advanceResync() {
    Resync r = resync;
    if (r == null) {
      return;
    }
    if (!r.settled) {
      if (!r.openOrdersEnded || !r.executionsEnded) {
        return;
      }
      settle(r);
      r.settled = true;
    }
    if (!r.positionsAsked) {
      if (!held.isEmpty()) {
        return; // replayed fills still wait for commissions: positions must come after them
      }
      r.positionsAsked = true;
      positionsCollecting = new ArrayList<>();
      client.send(Outgoing.reqPositions());
      return;
    }
    if (r.positionsEnded) {
      finishResync(r, "restored (" + r.reason + "): " + r.open.size() + " open orders, " + r.replayed
          + " missed executions, " + r.settledCount + " orders settled");
    }
  }

  private static long orderKey(int clientId, int orderId) {
    return ((long) clientId << 32) | (orderId & 0xffffffffL);
  }

  /** Settles every order that was working before the restore against IB's answers. */
  private void settle(Resync r) {
    Instant now = clock.now();
    List<Order> report = new ArrayList<>();
    for (OrderState s : r.inDoubt) {
      if (s.terminal) {
        continue;
      }
      Inbound.OpenOrder o = r.open.get(orderKey(client.config().clientId(), s.orderId));
      boolean open = o != null && reportStatus(o.status()) != null;
      double qty = s.request == null ? Double.NaN : s.request.quantity();
      if (open) {
        if (s.cancelRequested) {
          log.warn("IB order still open after the restore, sending its cancel clientOrderId={} orderId={}",
              s.clientOrderId, s.orderId);
          client.send(Outgoing.cancelOrder(s.orderId));
        }
        continue;
      }
      r.settledCount++;
      s.terminal = true;
      if (s.execFilled > 0 && !(s.execFilled < qty - 1e-9)) {
        log.info("IB order filled while disconnected clientOrderId={} orderId={} filled={}", s.clientOrderId,
            s.orderId, s.execFilled);
        if (s.cancelRequested) {
          emit(new OrderCancelRejected(s.clientOrderId, "order filled while disconnected from IB", now));
        }
      } else if (s.accepted || s.execFilled > 0 || s.fillSeen) {
        log.warn("IB order not open after the restore, cancelled while disconnected clientOrderId={} orderId={} "
            + "filled={}", s.clientOrderId, s.orderId, s.execFilled);
        terminal(s, new OrderCancelled(s.clientOrderId,
            "not open at IB after the restore (cancelled while disconnected), filled " + s.execFilled, now));
      } else {
        log.warn("IB order never acknowledged and not open after the restore: lost in the disconnect "
            + "clientOrderId={} orderId={}", s.clientOrderId, s.orderId);
        terminal(s, new OrderRejected(s.clientOrderId, "LOST",
            "never acknowledged by IB and not open after the restore: lost in the disconnect", now));
      }
    }
    for (Inbound.OpenOrder o : r.open.values()) {
      Order order = reportOrder(o, now);
      if (order != null) {
        report.add(order);
      }
    }
    log.info("IB open orders report after restore orders={} settled={}", report.size(), r.settledCount);
    BrokerListener l = listener;
    if (l != null) {
      l.onOpenOrders(new OpenOrdersReport(report, now));
    }
  }

  private void finishResync(Resync r, String detail) {
    resync = null;
    restores++;
    log.info("IB connection restored detail={}", detail);
    BrokerListener l = listener;
    if (l != null) {
      l.onStatus(new BrokerStatus(name(), ConnectionState.CONNECTED, detail, clock.now()));
    }
    if (accountPending) {
      requestAccount();
    }
  }

  /** Restores completed (CONNECTED reported again after a lost socket, 1101 or 1102). */
  public synchronized long restores() {
    return restores;
  }

  /** Restores cut short because the connection was lost again (the next session restores). */
  public synchronized long abandonedRestores() {
    return abandonedRestores;
  }

  /** Restores that timed out before every reply came (CONNECTED reported anyway). */
  public synchronized long incompleteRestores() {
    return incompleteRestores;
  }

  /**
   * Execution ids already booked (e.g. today's fills from the store after a restart): their
   * replay by reqExecutions is not reported again. Call before {@link #connect}.
   */
  public synchronized IbBroker knownExecutions(java.util.Collection<String> executionIds) {
    for (String id : executionIds) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("IbBroker.knownExecutions: blank execution id, was '" + id + "'");
      }
      execIds.add(id);
      int dot = id.lastIndexOf('.');
      execByPrefix.putIfAbsent(dot > 0 ? id.substring(0, dot) : id, id);
      emitted.add(id);
    }
    return this;
  }

  // ---------------------------------------------------------------- commands

  @Override
  public synchronized void submit(ClientOrderId id, OrderRequest request) {
    Instant now = clock.now();
    if (byClientId.containsKey(id)) {
      log.warn("order submit ignored, client order id already used clientOrderId={}", id);
      return;
    }
    if (!canTrade()) {
      emit(new OrderRejected(id, "NOT_CONNECTED", "not connected to IB (state " + client.state() + ")", now));
      return;
    }
    if (client.accountMode() == AccountMode.LIVE && !client.config().liveAllowed()) {
      String why = IbConfig.liveRefusal("account " + client.account() + " is a live account");
      log.error("order refused on a live account clientOrderId={} account={}", id, client.account());
      emit(new OrderRejected(id, "LIVE_ACCOUNT_REFUSED", why, now));
      return;
    }
    Instrument instrument = instrumentOf(request.instrument());
    byte[] frame;
    int orderId;
    try {
      orderId = client.nextId();
      frame = Outgoing.placeOrder(orderId, contracts.contractFor(instrument), orderFields(id, request));
    } catch (RuntimeException e) {
      log.warn("order refused before sending clientOrderId={} reason={}", id, e.getMessage());
      emit(new OrderRejected(id, "INVALID", e.getMessage() == null ? e.toString() : e.getMessage(), now));
      return;
    }
    OrderState s = new OrderState(id, orderId, request, request.instrument(), now);
    s.submittedNanos = clock.nanoTime();
    awaitingAck.add(s);
    byOrderId.put(orderId, s);
    byClientId.put(id, s);
    client.send(frame);
    if (log.isInfoEnabled()) { // describe() formats the order: only when the line is kept
      log.info("order submitted clientOrderId={} orderId={} order={}", id, orderId, request.describe());
    }
  }

  private Outgoing.OrderFields orderFields(ClientOrderId id, OrderRequest r) {
    String type;
    switch (r.type()) {
      case MARKET:
        type = "MKT";
        break;
      case LIMIT:
        type = "LMT";
        break;
      case STOP:
        type = "STP";
        break;
      case STOP_LIMIT:
        type = "STP LMT";
        break;
      default:
        throw new IllegalArgumentException("order type not supported by IbBroker: " + r.type());
    }
    double lmt = r.type().needsLimitPrice() ? clean(r.limitPrice()) : Double.NaN;
    double aux = r.type().needsStopPrice() ? clean(r.stopPrice()) : Double.NaN;
    return new Outgoing.OrderFields(r.side() == Side.BUY ? "BUY" : "SELL", r.quantity(), type, lmt, aux,
        r.timeInForce().name(), client.account(), id.value(), false);
  }

  /** Drops binary noise from tick rounding (150.25000000000003 -> 150.25) so IB sees the tick price. */
  static double clean(double price) {
    if (Math.abs(price) >= 1e9) {
      return price;
    }
    return Math.round(price * 1e8) / 1e8;
  }

  private Instrument instrumentOf(InstrumentId id) {
    Instrument i = instruments.get(id);
    return i != null ? i : instrumentLookup.apply(id);
  }

  @Override
  public synchronized void cancel(ClientOrderId id) {
    Instant now = clock.now();
    OrderState s = byClientId.get(id);
    if (s == null) {
      emit(new OrderCancelRejected(id, "unknown order " + id, now));
      return;
    }
    if (s.terminal) {
      emit(new OrderCancelRejected(id, "order already finished", now));
      return;
    }
    s.cancelRequested = true;
    if (!canTrade()) {
      log.warn("order cancel queued, not connected to IB: sent once the connection is restored and the order "
          + "is still open clientOrderId={} orderId={}", id, s.orderId);
      return;
    }
    client.send(Outgoing.cancelOrder(s.orderId));
    log.info("order cancel requested clientOrderId={} orderId={}", id, s.orderId);
  }

  @Override
  public synchronized void cancelAll() {
    if (!canTrade()) {
      globalCancelQueued = true;
      for (OrderState s : byClientId.values()) {
        if (!s.terminal) {
          s.cancelRequested = true;
        }
      }
      log.warn("IB global cancel queued, not connected to IB: sent once the connection is restored");
      return;
    }
    log.warn("IB global cancel requested (reqGlobalCancel): every open order of the account");
    client.send(Outgoing.reqGlobalCancel());
  }

  @Override
  public synchronized void requestPositions() {
    // a new request restarts the collection, so a lost positionEnd cannot block later reports
    positionsCollecting = new ArrayList<>();
    client.send(Outgoing.reqPositions());
  }

  @Override
  public synchronized void requestOpenOrders() {
    openOrdersCollecting = new LinkedHashMap<>();
    client.send(Outgoing.reqOpenOrders());
  }

  @Override
  public synchronized void requestAccount() {
    if (!client.isReady()) {
      // The engine asks right after connect(), before nextValidId has arrived: remember it and
      // send it once connected (positions and open orders need no id and simply wait in the queue).
      accountPending = true;
      log.info("IB account summary requested before the connection is ready; sent once connected");
      return;
    }
    accountPending = false;
    int reqId = client.nextId();
    summaries.put(reqId, new LinkedHashMap<>());
    client.send(Outgoing.reqAccountSummary(reqId, "All", ACCOUNT_TAGS));
  }

  /**
   * Asks for today's executions (since midnight in {@link IbConfig#exchangeZone()}); they come
   * back as fills, de-duplicated against those already seen.
   */
  public synchronized void requestExecutions() {
    if (!client.isReady()) {
      return;
    }
    int reqId = client.nextId();
    executionRequests.add(reqId);
    client.send(Outgoing.reqExecutions(reqId, client.account(), startOfDayFilter()));
  }

  /** Midnight of today in the exchange zone, as reqExecutions' UTC filter time. */
  private String startOfDayFilter() {
    Instant startOfDay = LocalDate.ofInstant(clock.now(), client.config().exchangeZone())
        .atStartOfDay(client.config().exchangeZone()).toInstant();
    return EXEC_FILTER.format(LocalDateTime.ofInstant(startOfDay, ZoneOffset.UTC));
  }

  /** Executions seen twice and dropped. */
  public synchronized long duplicateExecutions() {
    return duplicateExecutions;
  }

  /** Execution corrections seen (logged, not applied as fills). */
  public synchronized long executionCorrections() {
    return corrections;
  }

  // ---------------------------------------------------------------- inbound

  @Override
  public synchronized void orderStatus(Inbound.OrderStatus msg) {
    OrderState s = msg.clientId() == client.config().clientId() ? byOrderId.get(msg.orderId()) : null;
    if (s == null && msg.permId() != 0) {
      s = byPermId.get(msg.permId());
    }
    if (s == null) {
      log.debug("orderStatus for an order we do not know orderId={} clientId={} permId={} status={}", msg.orderId(),
          msg.clientId(), msg.permId(), msg.status());
      return;
    }
    if (msg.permId() != 0) {
      byPermId.putIfAbsent(msg.permId(), s);
    }
    if (msg.status().equals(s.lastStatus) && same(msg.filled(), s.lastFilled) && same(msg.remaining(), s.lastRemaining)) {
      return; // IB repeats identical statuses (§5.2)
    }
    s.lastFilled = msg.filled();
    s.lastRemaining = msg.remaining();
    if (msg.filled() > 0) {
      s.statusFilled = msg.filled();
      s.statusAvgPrice = msg.avgFillPrice();
    }
    status(s, msg.status());
  }

  private static boolean same(double a, double b) {
    return a == b || (Double.isNaN(a) && Double.isNaN(b));
  }

  private void status(OrderState s, String status) {
    s.lastStatus = status;
    if (s.terminal) {
      return;
    }
    Instant now = clock.now();
    switch (status) {
      case "PreSubmitted":
      case "Submitted":
        if (!s.accepted && !s.fillSeen && !s.filledStatusSeen) {
          s.accepted = true;
          emit(new OrderAccepted(s.clientOrderId, BrokerOrderId.of(s.orderId), now));
        }
        break;
      case "Filled":
        s.filledStatusSeen = true;
        log.debug("orderStatus Filled clientOrderId={} statusFilled={} fills={}", s.clientOrderId, s.statusFilled,
            s.fillSeen);
        break;
      case "Cancelled":
      case "ApiCancelled":
        s.terminal = true;
        if (!s.accepted && !s.fillSeen && !s.cancelRequested && s.lastErrorCode != 0) {
          terminal(s, new OrderRejected(s.clientOrderId, Integer.toString(s.lastErrorCode), s.lastErrorText, now));
        } else {
          String reason = s.lastErrorCode != 0 ? s.lastErrorCode + " " + s.lastErrorText : status;
          terminal(s, new OrderCancelled(s.clientOrderId, reason, now));
        }
        break;
      case "Inactive":
        if (!s.accepted && !s.fillSeen) {
          s.terminal = true;
          String code = s.lastErrorCode != 0 ? Integer.toString(s.lastErrorCode) : "Inactive";
          String reason = s.lastErrorCode != 0 ? s.lastErrorText : "IB reports the order Inactive";
          terminal(s, new OrderRejected(s.clientOrderId, code, reason, now));
        } else {
          log.warn("IB order inactive: not working but not finished; reconcile clientOrderId={} orderId={}",
              s.clientOrderId, s.orderId);
        }
        break;
      default:
        break;
    }
  }

  private void terminal(OrderState s, OrderEvent e) {
    if (s.heldFills > 0) {
      s.deferredTerminal = e;
    } else {
      emit(e);
    }
    log.info("order finished clientOrderId={} orderId={} event={}", s.clientOrderId, s.orderId,
        e.getClass().getSimpleName());
  }

  @Override
  public synchronized boolean error(int id, int code, String text, String json) {
    OrderState s = byOrderId.get(id);
    if (s == null) {
      if (executionRequests.remove(id) || summaries.remove(id) != null) {
        log.warn("IB report request failed reqId={} code={} text={}", id, code, text);
        return true;
      }
      return false;
    }
    Instant now = clock.now();
    if (s.terminal) {
      log.debug("late IB error for a finished order ignored clientOrderId={} code={} text={}", s.clientOrderId, code,
          text);
      return true;
    }
    if (IbCodes.isCancelRefusal(code)) {
      log.warn("IB refused the cancel clientOrderId={} code={} text={}", s.clientOrderId, code, text);
      emit(new OrderCancelRejected(s.clientOrderId, code + " " + text, now));
      return true;
    }
    if (IbCodes.isInformational(code) || IbCodes.isWarning(code)) {
      log.info("IB order notice clientOrderId={} code={} text={}", s.clientOrderId, code, text);
      return true;
    }
    s.lastErrorCode = code;
    s.lastErrorText = text;
    boolean reject = code == IbCodes.ORDER_REJECTED || code == IbCodes.DUPLICATE_ORDER_ID
        || (code == IbCodes.PRICE_INCREMENT && !s.accepted && !s.fillSeen);
    if (reject) {
      s.terminal = true;
      log.warn("order rejected by IB clientOrderId={} orderId={} code={} text={}", s.clientOrderId, s.orderId, code,
          text);
      terminal(s, new OrderRejected(s.clientOrderId, Integer.toString(code), text, now));
      if (code == IbCodes.DUPLICATE_ORDER_ID) {
        client.send(Outgoing.reqIds());
      }
    } else if (code == IbCodes.ORDER_CANCELLED) {
      s.terminal = true;
      terminal(s, new OrderCancelled(s.clientOrderId, code + " " + text, now));
    } else {
      log.warn("IB order error, waiting for its status clientOrderId={} code={} text={}", s.clientOrderId, code, text);
    }
    return true;
  }

  @Override
  public synchronized void openOrder(Inbound.OpenOrder msg) {
    boolean ours = msg.clientId() == client.config().clientId();
    OrderState s = ours ? byOrderId.get(msg.orderId()) : null;
    ClientOrderId ref = refOf(msg.orderRef());
    if (s == null && ref != null) {
      s = byClientId.get(ref);
      if (s != null) {
        if (ours) {
          byOrderId.remove(s.orderId);
          s.orderId = msg.orderId();
          byOrderId.put(s.orderId, s);
        }
      } else if (ours) {
        OrderRequest request = requestOf(msg);
        s = new OrderState(ref, msg.orderId(), request, request == null ? null : request.instrument(), clock.now());
        byOrderId.put(msg.orderId(), s);
        byClientId.put(ref, s);
        s.accepted = isWorking(msg.status());
        log.info("IB order recognised by orderRef clientOrderId={} orderId={} status={}", ref, msg.orderId(),
            msg.status());
      }
    }
    if (s != null && msg.permId() != 0) {
      byPermId.putIfAbsent(msg.permId(), s);
    }
    if (openOrdersCollecting != null) {
      openOrdersCollecting.put(msg.orderId(), msg);
    }
    if (resync != null && !resync.settled) {
      resync.open.put(orderKey(msg.clientId(), msg.orderId()), msg);
    }
    if (s != null && !msg.status().isEmpty() && !msg.status().equals(s.lastStatus)) {
      status(s, msg.status());
    }
  }

  private static boolean isWorking(String status) {
    return status.equals("Submitted") || status.equals("PreSubmitted");
  }

  private static ClientOrderId refOf(String orderRef) {
    if (orderRef == null || orderRef.isBlank()) {
      return null;
    }
    try {
      return ClientOrderId.of(orderRef);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public synchronized void openOrderEnd() {
    if (resync != null && !resync.openOrdersEnded) {
      resync.openOrdersEnded = true;
      advanceResync();
    }
    Map<Integer, Inbound.OpenOrder> collected = openOrdersCollecting;
    openOrdersCollecting = null;
    if (collected == null) {
      return;
    }
    Instant now = clock.now();
    List<Order> orders = new ArrayList<>();
    for (Inbound.OpenOrder o : collected.values()) {
      Order order = reportOrder(o, now);
      if (order != null) {
        orders.add(order);
      }
    }
    log.info("IB open orders report orders={}", orders.size());
    BrokerListener l = listener;
    if (l != null) {
      l.onOpenOrders(new OpenOrdersReport(orders, now));
    }
  }

  /** One open order as the report shows it, or null if it is finished or not representable. */
  private Order reportOrder(Inbound.OpenOrder o, Instant now) {
    OrderStatus st = reportStatus(o.status());
    OrderRequest request = requestOf(o);
    if (st == null || request == null) {
      return null;
    }
    OrderState s = o.clientId() == client.config().clientId() ? byOrderId.get(o.orderId()) : null;
    double filled = s == null ? 0 : Math.min(s.statusFilled, request.quantity());
    double avg = s == null || filled <= 0 ? Double.NaN : s.statusAvgPrice;
    if (filled > 0 && !(avg > 0)) {
      filled = 0;
      avg = Double.NaN;
    }
    if (filled > 0 && st == OrderStatus.ACCEPTED) {
      st = OrderStatus.PARTIALLY_FILLED;
    }
    if (s != null && s.terminal) {
      return null; // finished since IB listed it
    }
    ClientOrderId cid = s != null ? s.clientOrderId : refOf(o.orderRef());
    return new Order(cid, BrokerOrderId.of(o.orderId()), request, st, filled, avg,
        s != null ? s.createdAt : now, now, "");
  }

  private static OrderStatus reportStatus(String status) {
    switch (status) {
      case "Submitted":
      case "PreSubmitted":
        return OrderStatus.ACCEPTED;
      case "PendingSubmit":
      case "ApiPending":
      case "PendingCancel":
      case "":
        return OrderStatus.PENDING_SUBMIT;
      default:
        return null;
    }
  }

  private OrderRequest requestOf(Inbound.OpenOrder o) {
    try {
      InstrumentId instrument = instrumentOf(o.contract());
      Side side = o.action().equals("BUY") ? Side.BUY : Side.SELL;
      TimeInForce tif;
      switch (o.tif()) {
        case "GTC":
          tif = TimeInForce.GTC;
          break;
        case "IOC":
          tif = TimeInForce.IOC;
          break;
        default:
          tif = TimeInForce.DAY;
          break;
      }
      double qty = o.totalQuantity();
      OrderRequest r;
      switch (o.orderType()) {
        case "MKT":
          r = OrderRequest.market(instrument, side, qty);
          break;
        case "LMT":
          r = OrderRequest.limit(instrument, side, qty, o.lmtPrice());
          break;
        case "STP":
          r = OrderRequest.stop(instrument, side, qty, o.auxPrice());
          break;
        case "STP LMT":
          r = OrderRequest.stopLimit(instrument, side, qty, o.auxPrice(), o.lmtPrice());
          break;
        default:
          log.warn("IB open order of a type we do not model skipped orderId={} type={}", o.orderId(), o.orderType());
          return null;
      }
      return r.withTimeInForce(tif).withTag(o.orderRef());
    } catch (IllegalArgumentException e) {
      log.warn("IB open order not representable orderId={} reason={}", o.orderId(), e.getMessage());
      return null;
    }
  }

  private InstrumentId instrumentOf(dev.algotrade.ib.internal.IbContract c) {
    InstrumentId id = contracts.instrumentFor(c.conId());
    if (id != null) {
      return id;
    }
    for (Instrument i : instruments.values()) {
      if (i.symbol().equals(c.symbol()) && IbContracts.secType(i.type()).equals(c.secType())) {
        return i.id();
      }
    }
    String sym = c.localSymbol().isEmpty() || c.secType().equals("STK") ? c.symbol() : c.localSymbol();
    return InstrumentId.of(sym.trim().replaceAll("[^A-Za-z0-9._/:-]", "."));
  }

  @Override
  public synchronized void execDetails(Inbound.ExecDetails msg) {
    String execId = msg.execId();
    if (!execIds.add(execId)) {
      duplicateExecutions++;
      log.debug("duplicate execution ignored execId={} orderId={}", execId, msg.orderId());
      return;
    }
    int dot = execId.lastIndexOf('.');
    String prefix = dot > 0 ? execId.substring(0, dot) : execId;
    String earlier = execByPrefix.putIfAbsent(prefix, execId);
    if (earlier != null) {
      corrections++;
      execByPrefix.put(prefix, execId);
      log.warn("IB execution correction not applied as a new fill; reconcile positions execId={} corrects={} "
          + "orderId={} shares={} price={}", execId, earlier, msg.orderId(), msg.shares(), msg.price());
      return;
    }
    OrderState s = msg.clientId() == client.config().clientId() ? byOrderId.get(msg.orderId()) : null;
    ClientOrderId ref = refOf(msg.orderRef());
    if (s == null && ref != null) {
      s = byClientId.get(ref);
    }
    if (s == null && msg.permId() != 0) {
      s = byPermId.get(msg.permId());
    }
    if (s != null && msg.permId() != 0) {
      byPermId.putIfAbsent(msg.permId(), s);
    }
    ClientOrderId cid = s != null ? s.clientOrderId : ref;
    InstrumentId instrument = s != null && s.instrument != null ? s.instrument : instrumentOf(msg.contract());
    Side side = msg.side().equals("BOT") ? Side.BUY : Side.SELL;
    if (!(msg.shares() > 0) || !(msg.price() > 0)) {
      log.warn("IB execution with no quantity or price ignored execId={} shares={} price={}", execId, msg.shares(),
          msg.price());
      return;
    }
    Fill fill = new Fill(cid, execId, instrument, side, msg.shares(), msg.price(), 0.0, execTime(msg.time()));
    if (resync != null && msg.reqId() == resync.execReqId) {
      resync.replayed++;
      log.info("IB missed execution replayed execId={} clientOrderId={} qty={} price={}", execId, cid, msg.shares(),
          msg.price());
    }
    if (s != null) {
      s.fillSeen = true;
      s.execFilled += msg.shares();
      if (s.request != null && !s.terminal && s.execFilled >= s.request.quantity() - 1e-9) {
        s.terminal = true; // fully executed: later statuses and errors no longer move it
        log.debug("order fully executed clientOrderId={} orderId={}", s.clientOrderId, s.orderId);
      }
    }
    Parked p = parked.remove(execId);
    if (p != null) {
      release(new HeldFill(fill, s, 0, false), p.commission);
      return;
    }
    if (s != null) {
      s.heldFills++;
    }
    held.put(execId, new HeldFill(fill, s, clock.nanoTime() + client.config().commissionTimeout().toNanos(), s != null));
  }

  private Instant execTime(String time) {
    try {
      String[] parts = time.trim().split("\\s+");
      ZoneId zone = client.config().exchangeZone();
      if (parts.length >= 3) {
        try {
          zone = ZoneId.of(parts[2]);
        } catch (RuntimeException e) {
          log.debug("unknown zone in execution time zone={}", parts[2]);
        }
      }
      return LocalDateTime.parse(parts[0] + " " + parts[1], EXEC_TIME).atZone(zone).toInstant();
    } catch (RuntimeException e) {
      return clock.now();
    }
  }

  @Override
  public synchronized void execDetailsEnd(int reqId) {
    if (executionRequests.remove(reqId)) {
      log.info("IB executions replayed reqId={} duplicatesSoFar={}", reqId, duplicateExecutions);
    }
    if (resync != null && reqId == resync.execReqId) {
      resync.executionsEnded = true;
      advanceResync();
    }
  }

  @Override
  public synchronized void commissionReport(Inbound.CommissionReport msg) {
    HeldFill h = held.remove(msg.execId());
    double commission = Double.isNaN(msg.commission()) ? 0.0 : msg.commission();
    if (h != null) {
      release(h, commission);
    } else if (emitted.contains(msg.execId())) {
      log.info("IB commission arrived after its fill went out execId={} commission={}", msg.execId(), commission);
    } else {
      parked.put(msg.execId(), new Parked(commission, clock.nanoTime()));
    }
  }

  private void release(HeldFill h, double commission) {
    if (commission < 0) {
      log.info("IB negative commission (rebate) reported as 0 execId={} commission={}", h.fill.executionId(),
          commission);
      commission = 0;
    }
    Fill f = h.fill;
    Fill out = new Fill(f.clientOrderId(), f.executionId(), f.instrument(), f.side(), f.quantity(), f.price(),
        commission, f.time());
    emitted.add(f.executionId());
    log.info("order filled clientOrderId={} execId={} qty={} price={} commission={}", f.clientOrderId(),
        f.executionId(), f.quantity(), f.price(), commission);
    emit(new OrderFilled(out));
    OrderState s = h.order;
    if (s != null && h.counted) {
      s.heldFills--;
    }
    if (s != null && s.heldFills == 0 && s.deferredTerminal != null) {
      OrderEvent e = s.deferredTerminal;
      s.deferredTerminal = null;
      emit(e);
    }
    if (resync != null && held.isEmpty()) {
      advanceResync();
    }
  }

  /**
   * Releases fills whose commission did not come within {@link IbConfig#commissionTimeout()}
   * (commission 0), forgets parked commissions older than a minute, and reports orders without
   * any acknowledgement after {@link #ACK_TIMEOUT} (asking for open orders once). Runs every
   * 100 ms on the timer thread; package-private so tests drive it with a simulated clock.
   */
  synchronized void sweep() {
    long now = clock.nanoTime();
    Iterator<Map.Entry<String, HeldFill>> it = held.entrySet().iterator();
    while (it.hasNext()) {
      HeldFill h = it.next().getValue();
      if (now - h.deadlineNanos >= 0) {
        it.remove();
        log.warn("IB commission report missing, fill sent with commission 0 execId={} clientOrderId={} waited={}",
            h.fill.executionId(), h.fill.clientOrderId(), client.config().commissionTimeout());
        release(h, 0.0);
      }
    }
    long maxPark = TimeUnit.MINUTES.toNanos(1);
    parked.values().removeIf(p -> now - p.atNanos > maxPark);
    boolean ask = false;
    Iterator<OrderState> waiting = awaitingAck.iterator();
    while (waiting.hasNext()) {
      OrderState s = waiting.next();
      if (s.accepted || s.terminal || s.fillSeen || s.ackWarned) {
        waiting.remove();
        continue;
      }
      if (now - s.submittedNanos <= ACK_TIMEOUT.toNanos()) {
        break; // submitted in order: the rest are younger
      }
      waiting.remove();
      s.ackWarned = true;
      ask = true;
      log.warn("IB order not acknowledged after {} s (stuck in PendingSubmit?); asking for open orders "
          + "clientOrderId={} orderId={}", ACK_TIMEOUT.toSeconds(), s.clientOrderId, s.orderId);
    }
    if (ask && client.isReady()) {
      client.send(Outgoing.reqOpenOrders());
    }
    Resync r = resync;
    if (r != null && now - r.deadlineNanos >= 0) {
      incompleteRestores++;
      String missing = (r.openOrdersEnded ? "" : " openOrderEnd") + (r.executionsEnded ? "" : " execDetailsEnd")
          + (r.positionsEnded ? "" : " positionEnd") + (held.isEmpty() ? "" : " commissions");
      log.warn("IB restore incomplete after {} s, reporting CONNECTED anyway; orders are not settled missing={}",
          RESYNC_TIMEOUT.toSeconds(), missing.trim());
      finishResync(r, "restored (" + r.reason + ") but incomplete after " + RESYNC_TIMEOUT.toSeconds()
          + " s, missing" + missing);
    }
  }

  @Override
  public synchronized void position(Inbound.Position msg) {
    if (positionsCollecting == null) {
      return;
    }
    if (!client.account().isEmpty() && !msg.account().equals(client.account())) {
      return;
    }
    positionsCollecting.add(msg);
  }

  @Override
  public synchronized void positionEnd() {
    List<Inbound.Position> collected = positionsCollecting;
    positionsCollecting = null;
    Resync r = resync;
    if (collected == null) {
      if (r != null && r.positionsAsked) {
        r.positionsEnded = true;
        advanceResync();
      }
      return;
    }
    client.send(Outgoing.cancelPositions());
    List<Position> positions = new ArrayList<>();
    for (Inbound.Position p : collected) {
      if (Double.isNaN(p.position()) || p.position() == 0) {
        continue;
      }
      InstrumentId id = instrumentOf(p.contract());
      Instrument known = instruments.get(id);
      double mult = known != null ? known.multiplier() : 1.0;
      double avg = Math.abs(p.avgCost()) / mult;
      positions.add(new Position(id, p.position(), Double.isFinite(avg) ? avg : 0.0));
    }
    log.info("IB positions report positions={}", positions.size());
    BrokerListener l = listener;
    if (l != null) {
      l.onPositions(new PositionsReport(positions, clock.now()));
    }
    if (r != null && r.positionsAsked) {
      r.positionsEnded = true;
      advanceResync();
    }
  }

  @Override
  public synchronized void accountSummary(Inbound.AccountSummary msg) {
    Map<String, Inbound.AccountSummary> m = summaries.get(msg.reqId());
    if (m != null && (client.account().isEmpty() || msg.account().equals(client.account()))) {
      m.put(msg.tag(), msg);
    }
  }

  @Override
  public synchronized void accountSummaryEnd(int reqId) {
    Map<String, Inbound.AccountSummary> m = summaries.remove(reqId);
    if (m == null) {
      return;
    }
    client.send(Outgoing.cancelAccountSummary(reqId));
    Inbound.AccountSummary nl = m.get("NetLiquidation");
    String currency = nl != null && !nl.currency().isBlank() ? nl.currency() : "USD";
    String account = nl != null ? nl.account() : client.account();
    AccountState state = new AccountState(account.isBlank() ? "unknown" : account, currency,
        value(m, "NetLiquidation"), value(m, "TotalCashValue"), Math.abs(value(m, "GrossPositionValue")),
        value(m, "AvailableFunds"), clock.now());
    log.info("IB account summary account={} netLiquidation={} grossPositionValue={} availableFunds={}",
        state.accountId(), state.netLiquidation(), state.grossPositionValue(), state.availableFunds());
    BrokerListener l = listener;
    if (l != null) {
      l.onAccount(state);
    }
  }

  private static double value(Map<String, Inbound.AccountSummary> m, String tag) {
    Inbound.AccountSummary s = m.get(tag);
    if (s == null) {
      log.warn("IB account summary lacks a value tag={}", tag);
      return 0.0;
    }
    try {
      double v = Double.parseDouble(s.value());
      if (!Double.isFinite(v) || v == Double.MAX_VALUE) {
        log.warn("IB account summary value unset tag={} value={}", tag, s.value());
        return 0.0;
      }
      return v;
    } catch (NumberFormatException e) {
      log.warn("IB account summary value not a number tag={} value={}", tag, s.value());
      return 0.0;
    }
  }

  private void emit(OrderEvent e) {
    BrokerListener l = listener;
    if (l != null) {
      l.onOrderEvent(e);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    client.removeHandler(this);
    if (ownsClient) {
      client.close();
    }
    log.info("IB broker closed");
  }
}
