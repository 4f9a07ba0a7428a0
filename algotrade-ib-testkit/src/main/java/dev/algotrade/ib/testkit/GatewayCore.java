package dev.algotrade.ib.testkit;

import static dev.algotrade.ib.testkit.internal.ServerMessages.error;

import dev.algotrade.api.time.Clock;
import dev.algotrade.ib.testkit.internal.MessageBuilder;
import dev.algotrade.ib.testkit.internal.RequestFields;
import dev.algotrade.ib.testkit.internal.ServerMessages;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's state and rules: sessions, market, orders, matching, positions, account. Every
 * public-facing operation takes this object's monitor, so request handling, market steps and
 * test control calls are serialized; messages leave through each session's own writer queue.
 * Thread-safe.
 */
final class GatewayCore {

  private static final Logger log = LoggerFactory.getLogger(GatewayCore.class);
  static final DateTimeFormatter IB_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd HH:mm:ss", Locale.ROOT);
  static final String NO_SECURITY = "No security definition has been found for the request";

  /** Immutable settings taken from the builder. */
  record Config(
      String account,
      double startingCash,
      double commissionPerShare,
      double minCommission,
      double maxCommissionRate,
      List<SimInstrument> instruments,
      Map<String, double[]> startingPositions,
      MarketModel market,
      long seed,
      int serverVersion,
      Clock clock,
      int firstOrderId,
      boolean downloadOpenOrdersOnConnect) {}

  /** Mutable top of book plus last-trade state of one instrument. */
  private static final class Book {
    SimQuote quote;
    double bidSize;
    double askSize;
    double last;
    double lastSize;
    double volume;
    final double close;

    Book(SimQuote q) {
      quote = q;
      bidSize = q.bidSize();
      askSize = q.askSize();
      close = q.mid();
    }

    SimQuote displayed() {
      return new SimQuote(quote.bid(), quote.ask(), bidSize, askSize);
    }
  }

  /** Mutable order state. */
  private static final class WorkingOrder {
    final int orderId;
    final int clientId;
    final long permId;
    final SimInstrument instrument;
    String action;
    double quantity;
    String orderType;
    double limitPrice;
    double auxPrice;
    String tif;
    String orderRef;
    String status;
    double filled;
    double avgFillPrice;
    double commissionSoFar;
    boolean triggered;
    int fillCount;
    /** Whether the order is in {@code resting} (guarded by the core's lock). */
    boolean inResting;

    WorkingOrder(int orderId, int clientId, long permId, SimInstrument instrument) {
      this.orderId = orderId;
      this.clientId = clientId;
      this.permId = permId;
      this.instrument = instrument;
    }

    boolean working() {
      return status.equals("Submitted") || status.equals("PreSubmitted");
    }

    boolean isStop() {
      return orderType.equals("STP") || orderType.equals("STP LMT");
    }

    SimOrder snapshot(String account) {
      return new SimOrder(orderId, clientId, permId, account, instrument.symbol(),
          instrument.conId(), action, quantity, orderType, zeroIfNaN(limitPrice),
          zeroIfNaN(auxPrice), tif, orderRef, status, filled, avgFillPrice);
    }
  }

  /** Position with average cost per share (commissions included) and realized P&L. */
  private static final class PositionState {
    double qty;
    double avgCost;
    double realized;

    /** Applies a fill; returns this fill's realized P&L, or NaN if it only opened/increased. */
    double apply(boolean buy, double q, double price, double comm) {
      double signed = buy ? q : -q;
      double newQty = qty + signed;
      if (qty == 0 || Math.signum(qty) == Math.signum(signed)) {
        double basis = Math.abs(qty) * avgCost + q * price + (buy ? comm : -comm);
        avgCost = basis / Math.abs(newQty);
        qty = newQty;
        return Double.NaN;
      }
      double closing = Math.min(q, Math.abs(qty));
      double commClose = comm * closing / q;
      double pnl = (qty > 0 ? closing * (price - avgCost) : closing * (avgCost - price))
          - commClose;
      realized += pnl;
      double rest = q - closing;
      if (rest > 0) {
        double commRest = comm - commClose;
        avgCost = (rest * price + (buy ? commRest : -commRest)) / rest;
      } else if (Math.abs(newQty) < 1e-9) {
        avgCost = 0;
        newQty = 0;
      }
      qty = newQty;
      return pnl;
    }
  }

  private final Config config;
  private final Faults faults;
  private final Map<String, SimInstrument> bySymbol = new LinkedHashMap<>();
  private final Map<Integer, SimInstrument> byConId = new HashMap<>();
  private final Map<String, Book> books = new HashMap<>();
  private final Map<Integer, Session> sessions = new HashMap<>();
  private final java.util.Set<Session> live = new java.util.HashSet<>();
  private final Map<Long, WorkingOrder> ordersByKey = new LinkedHashMap<>();
  /**
   * Orders that may be working, in arrival order: what a market step matches. Done orders leave
   * it at the next match, so a step costs the working orders, not every order ever placed.
   */
  private final List<WorkingOrder> resting = new ArrayList<>();
  private final Map<Integer, Integer> maxOrderIdByClient = new HashMap<>();
  /** After a roll-back: the nextValidId floor per client (else the configured first id). */
  private final Map<Integer, Integer> idFloor = new HashMap<>();
  private final List<SimFill> fills = new ArrayList<>();
  private final Map<String, PositionState> positions = new LinkedHashMap<>();
  private final Map<String, Integer> fillExchangeHint = new HashMap<>();
  private double cash;
  private long nextPermId = 1_000_001;
  private long execSeq;
  /**
   * First field of every execution id: the gateway's start second. Real execution ids are unique
   * for good; a gateway restarted as a new process (the README's manual test) must not hand out
   * ids a connected client has already booked, or that client drops the new fills as duplicates.
   */
  private final long execPrefix;
  private boolean connectivityLost;

  GatewayCore(Config config) {
    this.config = config;
    this.faults = new Faults(this::dropAll, this::connectivity, this::rollBackOrderIds, config.clock());
    for (SimInstrument i : config.instruments()) {
      bySymbol.put(i.symbol().toUpperCase(Locale.ROOT), i);
      byConId.put(i.conId(), i);
      books.put(i.symbol(), new Book(config.market().initial(i)));
    }
    config.startingPositions().forEach((symbol, qa) -> {
      PositionState p = new PositionState();
      p.qty = qa[0];
      p.avgCost = qa[1];
      positions.put(symbol, p);
    });
    cash = config.startingCash();
    execPrefix = config.clock().now().getEpochSecond() & 0xffff_ffffL;
  }

  Faults faults() {
    return faults;
  }

  String account() {
    return config.account();
  }

  int serverVersion() {
    return config.serverVersion();
  }

  String connectionTimeText() {
    return IB_TIME.format(config.clock().now().atZone(ZoneOffset.UTC)) + " UTC";
  }

  private static long key(int clientId, int orderId) {
    return ((long) clientId << 32) | (orderId & 0xffffffffL);
  }

  // ------------------------------------------------------------------ sessions

  /** A new connection, before its handshake. */
  synchronized void register(Session s) {
    live.add(s);
  }

  synchronized void detach(Session s) {
    live.remove(s);
    if (s.started && sessions.get(s.clientId) == s) {
      sessions.remove(s.clientId);
      log.info("client disconnected clientId={} connection={}", s.clientId, s.connection());
    }
    s.mktData.clear();
    s.accountSummaryReqs.clear();
    s.positionsSubscribed = false;
    s.accountUpdatesSubscribed = false;
  }

  synchronized List<Integer> connectedClientIds() {
    return List.copyOf(sessions.keySet());
  }

  synchronized boolean hasOpenSession(int clientId) {
    Session s = sessions.get(clientId);
    return s != null && !s.isClosing();
  }

  private void dropAll() {
    List<Session> all;
    synchronized (this) {
      all = new ArrayList<>(live);
    }
    log.info("fault: dropping all connections count={}", all.size());
    for (Session s : all) {
      s.closeNow();
      // forget the client id now, as a restarted TWS does, so an immediate reconnect is not 326
      detach(s);
    }
  }

  synchronized void closeAll() {
    new ArrayList<>(live).forEach(Session::closeNow);
    live.clear();
    sessions.clear();
  }

  private synchronized void connectivity(int code) {
    String text = switch (code) {
      case 1100 -> "Connectivity between IB and Trader Workstation has been lost.";
      case 1101 -> "Connectivity between IB and Trader Workstation has been restored - data lost.";
      default -> "Connectivity between IB and Trader Workstation has been restored - data maintained.";
    };
    connectivityLost = code == 1100;
    log.info("fault: connectivity notice code={}", code);
    for (Session s : sessions.values()) {
      s.send(error(s.serverVersion, -1, code, text));
      if (code == 1101) {
        s.mktData.clear();
      }
    }
  }

  // ------------------------------------------------------------------ requests

  synchronized void onRequest(Session s, String[] fields) {
    RequestFields r = new RequestFields(fields);
    int msgId = r.intValue();
    if (!s.started) {
      if (msgId == 71) {
        startApi(s, r);
      } else {
        log.debug("request before startApi ignored msgId={} connection={}", msgId,
            s.connection());
      }
      return;
    }
    if (overPace(s, msgId)) {
      return;
    }
    Faults.Rejection failure = faults.takeRequestFailure(msgId);
    if (failure != null) {
      int id = requestId(msgId, fields);
      log.info("fault: request failed msgId={} id={} code={}", msgId, id, failure.code());
      s.send(error(s.serverVersion, id, failure.code(), failure.text()));
      return;
    }
    try {
      dispatch(s, r, msgId);
    } catch (RuntimeException e) {
      log.warn("request failed msgId={} clientId={}", msgId, s.clientId, e);
      s.send(error(s.serverVersion, -1, 321,
          "Error validating request.-'" + msgId + "' : cause - " + e.getMessage()));
    }
  }

  /** Counts the request against the pace limit; true (and error 100 sent) if over it. */
  private boolean overPace(Session s, int msgId) {
    int limit = faults.paceLimit();
    if (limit <= 0) {
      return false;
    }
    long now = config.clock().nanoTime();
    if (s.paceWindowStart == Long.MIN_VALUE || now - s.paceWindowStart >= 1_000_000_000L) {
      s.paceWindowStart = now;
      s.paceCount = 0;
    }
    s.paceCount++;
    if (s.paceCount <= limit) {
      return false;
    }
    log.info("fault: pacing violation clientId={} msgId={} count={}", s.clientId, msgId,
        s.paceCount);
    s.send(error(s.serverVersion, -1, 100, "Max rate of messages per second has been exceeded:"
        + "max=" + limit + " rec=" + s.paceCount));
    return true;
  }

  /** The id a request's error is addressed to: its reqId/tickerId/orderId, or -1. */
  private static int requestId(int msgId, String[] fields) {
    int pos = switch (msgId) {
      case 3, 20 -> 1; // placeOrder, reqHistoricalData: no version field
      case 1, 2, 4, 7, 9, 25, 50, 51, 62, 63 -> 2;
      default -> -1;
    };
    if (pos < 0 || pos >= fields.length) {
      return -1;
    }
    try {
      return Integer.parseInt(fields[pos].trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void dispatch(Session s, RequestFields r, int msgId) {
    switch (msgId) {
      case 1 -> reqMktData(s, r);
      case 2 -> {
        r.skip(1);
        s.mktData.remove(r.intValue());
      }
      case 3 -> placeOrder(s, r);
      case 4 -> cancelOrder(s, r);
      case 5 -> reqOpenOrders(s, false);
      case 6 -> reqAccountUpdates(s, r);
      case 7 -> reqExecutions(s, r);
      case 8 -> s.send(ServerMessages.nextValidId(nextOrderId(s.clientId)));
      case 9 -> reqContractDetails(s, r);
      case 15 -> log.debug("reqAutoOpenOrders ignored clientId={}", s.clientId);
      case 16 -> reqOpenOrders(s, true);
      case 17 -> s.send(ServerMessages.managedAccounts(config.account()));
      case 20 -> reqHistoricalData(s, r);
      case 25 -> log.debug("cancelHistoricalData ignored (requests complete at once)");
      case 49 -> s.send(ServerMessages.currentTime(config.clock().now().getEpochSecond()));
      case 58 -> globalCancel();
      case 59 -> {
        r.skip(1);
        int type = r.intValue();
        s.marketDataType = type >= 1 && type <= 4 ? type : 1;
      }
      case 61 -> reqPositions(s);
      case 62 -> reqAccountSummary(s, r);
      case 63 -> {
        r.skip(1);
        s.accountSummaryReqs.remove(r.intValue());
      }
      case 64 -> s.positionsSubscribed = false;
      case 71 -> log.debug("repeated startApi ignored clientId={}", s.clientId);
      case 99 -> s.send(ServerMessages.completedOrdersEnd());
      default -> {
        log.warn("unsupported request msgId={} clientId={}", msgId, s.clientId);
        s.send(error(s.serverVersion, -1, 321, "Error validating request.-'" + msgId
            + "' : cause - The simulated gateway does not support message id " + msgId));
      }
    }
  }

  private void startApi(Session s, RequestFields r) {
    r.skip(1); // version
    int clientId = r.intValue();
    if (sessions.containsKey(clientId)) {
      log.info("client id in use clientId={} connection={}", clientId, s.connection());
      s.send(error(s.serverVersion, -1, 326, "Unable to connect as the client id is already in"
          + " use. Retry with a unique client id."));
      s.closeAfterQueued();
      return;
    }
    s.clientId = clientId;
    s.started = true;
    sessions.put(clientId, s);
    log.info("api started clientId={} connection={}", clientId, s.connection());
    s.send(ServerMessages.managedAccounts(config.account()));
    s.send(ServerMessages.nextValidId(nextOrderId(clientId)));
    s.send(error(s.serverVersion, -1, 2104, "Market data farm connection is OK:usfarm"));
    s.send(error(s.serverVersion, -1, 2106, "HMDS data farm connection is OK:ushmds"));
    s.send(error(s.serverVersion, -1, 2158, "Sec-def data farm connection is OK:secdefnj"));
    if (config.downloadOpenOrdersOnConnect()) {
      for (WorkingOrder o : ordersByKey.values()) {
        if (o.clientId == clientId && o.working()) {
          s.send(ServerMessages.openOrder(s.serverVersion, o.snapshot(config.account()),
              o.instrument));
          s.send(ServerMessages.orderStatus(o.snapshot(config.account()), 0));
        }
      }
    }
  }

  private int nextOrderId(int clientId) {
    int floor = idFloor.getOrDefault(clientId, config.firstOrderId());
    return Math.max(floor, maxOrderIdByClient.getOrDefault(clientId, 0) + 1);
  }

  private synchronized void rollBackOrderIds(int nextId) {
    log.info("fault: order ids rolled back nextId={}", nextId);
    maxOrderIdByClient.replaceAll((client, max) -> nextId - 1);
    idFloor.clear();
    ordersByKey.values().forEach(o -> idFloor.put(o.clientId, nextId));
  }

  /** The requested contract: the 12-field block. */
  private record ContractRef(int conId, String symbol, String secType, String exchange,
      String primaryExchange, String currency) {}

  private static ContractRef readContract(RequestFields r) {
    int conId = r.intValue();
    String symbol = r.str();
    String secType = r.str();
    r.skip(4); // lastTradeDate, strike, right, multiplier
    String exchange = r.str();
    String primary = r.str();
    String currency = r.str();
    r.skip(2); // localSymbol, tradingClass
    return new ContractRef(conId, symbol, secType, exchange, primary, currency);
  }

  private SimInstrument resolve(ContractRef c) {
    if (c.conId() > 0) {
      return byConId.get(c.conId());
    }
    SimInstrument i = bySymbol.get(c.symbol().toUpperCase(Locale.ROOT));
    if (i == null) {
      return null;
    }
    boolean typeOk = c.secType().isEmpty() || c.secType().equalsIgnoreCase("STK");
    boolean ccyOk = c.currency().isEmpty() || c.currency().equalsIgnoreCase(i.currency());
    String ex = c.exchange();
    boolean exOk = ex.isEmpty() || ex.equalsIgnoreCase("SMART")
        || ex.equalsIgnoreCase(i.exchange()) || ex.equalsIgnoreCase(i.primaryExchange());
    return typeOk && ccyOk && exOk ? i : null;
  }

  private void reqContractDetails(Session s, RequestFields r) {
    r.skip(1);
    int reqId = r.intValue();
    SimInstrument i = resolve(readContract(r));
    if (i == null) {
      s.send(error(s.serverVersion, reqId, 200, NO_SECURITY));
      return;
    }
    s.send(ServerMessages.contractData(reqId, i));
    s.send(ServerMessages.contractDataEnd(reqId));
  }

  // ------------------------------------------------------------------ market data

  private static final int[] LIVE = {1, 2, 4, 0, 3, 5, 8, 9};
  private static final int[] DELAYED = {66, 67, 68, 69, 70, 71, 74, 75};

  private void reqMktData(Session s, RequestFields r) {
    r.skip(1);
    int tickerId = r.intValue();
    ContractRef c = readContract(r);
    if (c.secType().equalsIgnoreCase("BAG")) {
      r.skip(r.intValue() * 4);
    }
    if (r.bool()) {
      r.skip(3);
    }
    r.str(); // genericTickList
    boolean snapshot = r.bool();
    SimInstrument i = resolve(c);
    if (i == null) {
      s.send(error(s.serverVersion, tickerId, 200, NO_SECURITY));
      return;
    }
    int type = s.marketDataType;
    int[] ids = type >= 3 ? DELAYED : LIVE;
    s.send(ServerMessages.marketDataType(tickerId, type));
    s.send(ServerMessages.tickReqParams(tickerId, i.minTick(), "9c0001", 3));
    Book b = books.get(i.symbol());
    s.send(ServerMessages.tickPrice(tickerId, ids[0], b.quote.bid(), b.bidSize, 1));
    s.send(ServerMessages.tickPrice(tickerId, ids[1], b.quote.ask(), b.askSize, 1));
    if (b.last > 0) {
      s.send(ServerMessages.tickPrice(tickerId, ids[2], b.last, b.lastSize, 0));
    }
    s.send(ServerMessages.tickSize(tickerId, ids[6], b.volume));
    s.send(ServerMessages.tickPrice(tickerId, ids[7], b.close, 0, 0));
    if (snapshot) {
      s.send(ServerMessages.tickSnapshotEnd(tickerId));
    } else if (type == 1 || type == 3) {
      s.mktData.put(tickerId, new Session.MktSub(tickerId, i, type));
    }
  }

  private void publishQuote(SimInstrument i, SimQuote before, Book b) {
    if (connectivityLost) {
      return;
    }
    for (Session s : sessions.values()) {
      for (Session.MktSub sub : s.mktData.values()) {
        if (sub.instrument() != i) {
          continue;
        }
        int[] ids = sub.dataType() >= 3 ? DELAYED : LIVE;
        if (before.bid() != b.quote.bid()) {
          s.send(ServerMessages.tickPrice(sub.tickerId(), ids[0], b.quote.bid(), b.bidSize, 1));
        } else if (before.bidSize() != b.bidSize) {
          s.send(ServerMessages.tickSize(sub.tickerId(), ids[3], b.bidSize));
        }
        if (before.ask() != b.quote.ask()) {
          s.send(ServerMessages.tickPrice(sub.tickerId(), ids[1], b.quote.ask(), b.askSize, 1));
        } else if (before.askSize() != b.askSize) {
          s.send(ServerMessages.tickSize(sub.tickerId(), ids[4], b.askSize));
        }
      }
    }
  }

  private void publishTrade(SimInstrument i, Book b) {
    if (connectivityLost) {
      return;
    }
    for (Session s : sessions.values()) {
      for (Session.MktSub sub : s.mktData.values()) {
        if (sub.instrument() == i) {
          int[] ids = sub.dataType() >= 3 ? DELAYED : LIVE;
          s.send(ServerMessages.tickPrice(sub.tickerId(), ids[2], b.last, b.lastSize, 0));
          s.send(ServerMessages.tickSize(sub.tickerId(), ids[6], b.volume));
        }
      }
    }
  }

  /** One market step: every instrument gets its next quote, then resting orders are matched. */
  synchronized void step() {
    for (SimInstrument i : bySymbol.values()) {
      Book b = books.get(i.symbol());
      applyQuote(i, b, config.market().next(i, b.quote));
    }
  }

  /** Cancels every working DAY order (IOC never rests; GTC stays), as at the session close. */
  synchronized void endOfDay() {
    for (WorkingOrder o : new ArrayList<>(ordersByKey.values())) {
      if (o.working() && o.tif.equals("DAY")) {
        cancel(o, "Order Canceled - reason:DAY order expired at the close");
      }
    }
  }

  synchronized void setQuote(String symbol, SimQuote q) {
    SimInstrument i = instrument(symbol);
    applyQuote(i, books.get(i.symbol()), q);
  }

  synchronized SimQuote quote(String symbol) {
    return books.get(instrument(symbol).symbol()).displayed();
  }

  private SimInstrument instrument(String symbol) {
    SimInstrument i = bySymbol.get(symbol.toUpperCase(Locale.ROOT));
    if (i == null) {
      throw new IllegalArgumentException("symbol is not an instrument of this gateway, was "
          + symbol + "; known: " + bySymbol.keySet());
    }
    return i;
  }

  private void applyQuote(SimInstrument i, Book b, SimQuote q) {
    SimQuote before = b.displayed();
    b.quote = q;
    b.bidSize = q.bidSize();
    b.askSize = q.askSize();
    publishQuote(i, before, b);
    match(i);
  }

  // ------------------------------------------------------------------ orders

  private void placeOrder(Session s, RequestFields r) {
    int orderId = r.intValue();
    if (faults.takeDropAt(FaultPoint.BEFORE_ACK)) {
      log.info("fault: order lost and connection dropped clientId={} orderId={}", s.clientId,
          orderId);
      s.closeNow();
      return;
    }
    ContractRef c = readContract(r);
    r.skip(2); // secIdType, secId
    String action = r.str().toUpperCase(Locale.ROOT);
    double qty = r.doubleValue();
    String type = r.str().toUpperCase(Locale.ROOT).trim();
    double lmt = r.doubleOrUnset();
    double aux = r.doubleOrUnset();
    String tif = r.str().toUpperCase(Locale.ROOT);
    r.skip(1); // ocaGroup
    String account = r.str();
    r.skip(2); // openClose, origin
    String orderRef = r.str();
    String acct = config.account();

    WorkingOrder existing = ordersByKey.get(key(s.clientId, orderId));
    if (existing != null && !existing.working()) {
      s.send(error(s.serverVersion, orderId, 103, "Duplicate order id"));
      return;
    }
    if (existing == null && orderId < nextOrderId(s.clientId)) {
      s.send(error(s.serverVersion, orderId, 103, "Duplicate order id"));
      return;
    }
    SimInstrument i = resolve(c);
    if (i == null) {
      s.send(error(s.serverVersion, orderId, 200, NO_SECURITY));
      return;
    }
    if (existing == null) {
      maxOrderIdByClient.merge(s.clientId, orderId, Math::max);
    }
    Faults.Rejection rejection = faults.takeRejection();
    if (tif.isEmpty()) {
      tif = "DAY";
    }
    if (action.equals("SSHORT")) {
      action = "SELL";
    }
    String reason = null;
    int code = 201;
    if (rejection != null) {
      code = rejection.code();
      reason = rejection.text();
    } else if (!action.equals("BUY") && !action.equals("SELL")) {
      reason = "Order rejected - reason:Invalid action " + action;
    } else if (!(qty > 0)) {
      reason = "Order rejected - reason:The order quantity must be positive";
    } else if (!List.of("MKT", "LMT", "STP", "STP LMT").contains(type)) {
      reason = "Order rejected - reason:Unsupported order type " + type;
    } else if (!List.of("DAY", "GTC", "IOC").contains(tif)) {
      reason = "Order rejected - reason:Unsupported time in force " + tif;
    } else if (!account.isEmpty() && !account.equals(acct)) {
      reason = "Order rejected - reason:Unknown account " + account;
    } else if ((type.equals("LMT") || type.equals("STP LMT")) && !(lmt > 0)) {
      reason = "Order rejected - reason:A limit price is required";
    } else if (type.startsWith("STP") && !(aux > 0)) {
      reason = "Order rejected - reason:A stop price is required";
    } else if (!onTick(lmt, i) || !onTick(aux, i)) {
      code = 110;
      reason = "The price does not conform to the minimum price variation for this contract.";
    }
    if (existing != null && reason == null && qty < existing.filled) {
      reason = "Order rejected - reason:Quantity below the filled quantity";
    }
    if (reason != null) {
      log.info("order rejected clientId={} orderId={} code={} reason={}", s.clientId, orderId,
          code, reason);
      s.send(error(s.serverVersion, orderId, code, reason));
      if (existing == null) {
        WorkingOrder o = new WorkingOrder(orderId, s.clientId, nextPermId++, i);
        fillIn(o, action.isEmpty() ? "BUY" : action, qty > 0 ? qty : 0,
            type.isEmpty() ? "MKT" : type, lmt, aux, tif, orderRef);
        o.status = "Cancelled";
        ordersByKey.put(key(s.clientId, orderId), o);
        s.send(ServerMessages.orderStatus(o.snapshot(acct), 0));
      }
      return;
    }
    WorkingOrder o = existing;
    if (o == null) {
      o = new WorkingOrder(orderId, s.clientId, nextPermId++, i);
      ordersByKey.put(key(s.clientId, orderId), o);
    }
    fillIn(o, action, qty, type, lmt, aux, tif, orderRef);
    if (o.filled >= o.quantity - 1e-9 && o.filled > 0) {
      o.status = "Filled"; // a modify down to the filled quantity completes the order
    } else {
      o.status = o.isStop() && !o.triggered ? "PreSubmitted" : "Submitted";
    }
    if (o.working() && !o.inResting) {
      o.inResting = true;
      resting.add(o);
    }
    log.info("order accepted clientId={} orderId={} permId={} action={} qty={} type={} lmt={} "
        + "aux={} tif={} orderRef={} modify={}", s.clientId, orderId, o.permId, action, qty,
        type, lmt, aux, tif, orderRef, existing != null);
    SimOrder snap = o.snapshot(acct);
    if (faults.takeStatusBeforeOpenOrder()) {
      s.send(ServerMessages.orderStatus(snap, 0));
      s.send(ServerMessages.openOrder(s.serverVersion, snap, i));
    } else {
      s.send(ServerMessages.openOrder(s.serverVersion, snap, i));
      s.send(ServerMessages.orderStatus(snap, 0));
    }
    if (faults.takeDropAt(FaultPoint.BETWEEN_ACK_AND_FILL)) {
      log.info("fault: dropping connection between ack and fill clientId={}", s.clientId);
      s.closeAfterQueued();
    }
    tryFill(o, true);
    if (o.working() && o.tif.equals("IOC")) {
      cancel(o, "Order Canceled - reason:IOC order not filled immediately");
    }
  }

  private static void fillIn(WorkingOrder o, String action, double qty, String type, double lmt,
      double aux, String tif, String orderRef) {
    o.action = action;
    o.quantity = qty;
    o.orderType = type;
    o.limitPrice = type.equals("LMT") || type.equals("STP LMT") ? lmt : Double.NaN;
    o.auxPrice = type.startsWith("STP") ? aux : Double.NaN;
    o.tif = tif;
    o.orderRef = orderRef;
  }

  private static boolean onTick(double price, SimInstrument i) {
    if (Double.isNaN(price) || price == 0) {
      return true;
    }
    double ticks = price / i.minTick();
    return Math.abs(ticks - Math.rint(ticks)) < 1e-6;
  }

  private void cancelOrder(Session s, RequestFields r) {
    r.skip(1);
    int orderId = r.intValue();
    WorkingOrder o = ordersByKey.get(key(s.clientId, orderId));
    if (o == null) {
      s.send(error(s.serverVersion, orderId, 10147,
          "OrderId " + orderId + " that needs to be cancelled is not found."));
      return;
    }
    if (!o.working()) {
      s.send(error(s.serverVersion, orderId, 10148, "OrderId " + orderId
          + " that needs to be cancelled cannot be cancelled, state: " + o.status + "."));
      return;
    }
    cancel(o, "Order Canceled - reason:");
  }

  private void globalCancel() {
    for (WorkingOrder o : new ArrayList<>(ordersByKey.values())) {
      if (o.working()) {
        cancel(o, "Order Canceled - reason:");
      }
    }
  }

  private void cancel(WorkingOrder o, String text) {
    o.status = "Cancelled";
    log.info("order cancelled clientId={} orderId={} filled={}", o.clientId, o.orderId,
        o.filled);
    Session s = sessions.get(o.clientId);
    if (s == null) {
      return;
    }
    s.send(ServerMessages.orderStatus(o.snapshot(config.account()), 0));
    if (faults.takeDropAt(FaultPoint.BETWEEN_CANCEL_STATUS_AND_202)) {
      s.closeAfterQueued();
    }
    s.send(error(s.serverVersion, o.orderId, 202, text));
  }

  /** Matches every working order on {@code i} in time priority. */
  private void match(SimInstrument i) {
    if (resting.isEmpty()) {
      return;
    }
    for (WorkingOrder o : resting.toArray(new WorkingOrder[0])) {
      if (o.instrument == i && o.working()) {
        tryFill(o, false);
      }
    }
    resting.removeIf(o -> {
      if (o.working()) {
        return false;
      }
      o.inResting = false;
      return true;
    });
  }

  /**
   * Fills what the displayed quote allows. {@code onArrival}: the order is new, so a fill takes
   * liquidity (lastLiquidity 2); a resting limit order hit by a later quote adds it (1).
   */
  private void tryFill(WorkingOrder o, boolean onArrival) {
    Book b = books.get(o.instrument.symbol());
    boolean buy = o.action.equals("BUY");
    if (o.isStop() && !o.triggered) {
      boolean hit = buy ? b.quote.ask() >= o.auxPrice : b.quote.bid() <= o.auxPrice;
      if (!hit) {
        return;
      }
      o.triggered = true;
      o.status = "Submitted";
      log.info("stop triggered clientId={} orderId={} stop={}", o.clientId, o.orderId,
          o.auxPrice);
      Session s = sessions.get(o.clientId);
      if (s != null) {
        s.send(ServerMessages.orderStatus(o.snapshot(config.account()), 0));
      }
    }
    boolean limit = o.orderType.equals("LMT") || o.orderType.equals("STP LMT");
    double price = buy ? b.quote.ask() : b.quote.bid();
    double available = buy ? b.askSize : b.bidSize;
    if (limit && (buy ? price > o.limitPrice + 1e-9 : price < o.limitPrice - 1e-9)) {
      return;
    }
    double qty = Math.min(Math.min(o.quantity - o.filled, available), faults.maxFillSize());
    if (qty <= 0) {
      return;
    }
    if (buy) {
      b.askSize -= qty;
    } else {
      b.bidSize -= qty;
    }
    book(o, qty, price, limit && !onArrival ? 1 : 2);
    b.last = price;
    b.lastSize = qty;
    b.volume += qty;
    SimQuote before = new SimQuote(b.quote.bid(), b.quote.ask(),
        buy ? b.bidSize : b.bidSize + qty, buy ? b.askSize + qty : b.askSize);
    publishQuote(o.instrument, before, b);
    publishTrade(o.instrument, b);
  }

  private void book(WorkingOrder o, double qty, double price, int liquidity) {
    String acct = config.account();
    boolean buy = o.action.equals("BUY");
    double prevFilled = o.filled;
    o.filled += qty;
    o.avgFillPrice = round8((o.avgFillPrice * prevFilled + price * qty) / o.filled);
    double total = Math.max(config.minCommission(), config.commissionPerShare() * o.filled);
    total = Math.min(total, config.maxCommissionRate() * o.avgFillPrice * o.filled);
    double commission = round8(Math.max(0, total - o.commissionSoFar));
    o.commissionSoFar += commission;
    o.fillCount++;
    if (o.filled >= o.quantity - 1e-9) {
      o.status = "Filled";
    }
    PositionState p = positions.computeIfAbsent(o.instrument.symbol(), k -> new PositionState());
    double realized = round8(p.apply(buy, qty, price, commission));
    cash = round8(cash + (buy ? -(qty * price) - commission : qty * price - commission));
    execSeq++;
    String execId = String.format(Locale.ROOT, "%08x.%08x.01.01", execPrefix, execSeq);
    Instant now = config.clock().now();
    SimFill f = new SimFill(execId, o.orderId, o.clientId, o.permId, acct,
        o.instrument.symbol(), o.instrument.conId(), buy ? "BOT" : "SLD", qty, price, o.filled,
        o.avgFillPrice, commission, realized, now, o.orderRef);
    fills.add(f);
    fillExchangeHint.put(execId, liquidity);
    log.info("order filled clientId={} orderId={} execId={} side={} qty={} price={} cumQty={} "
        + "commission={}", o.clientId, o.orderId, execId, f.side(), qty, price, o.filled,
        commission);

    Session s = sessions.get(o.clientId);
    if (s != null) {
      MessageBuilder exec = execDetails(s, -1, f);
      s.send(exec);
      if (faults.takeDuplicateExecDetails()) {
        s.send(exec);
      }
      MessageBuilder status = ServerMessages.orderStatus(o.snapshot(acct), price);
      s.send(status);
      if (faults.takeDuplicateOrderStatus()) {
        s.send(status);
      }
      if (faults.takeDropAt(FaultPoint.BETWEEN_FILL_AND_COMMISSION)) {
        log.info("fault: dropping connection between fill and commission clientId={}",
            s.clientId);
        s.closeAfterQueued();
      }
      s.send(ServerMessages.commissionReport(execId, commission, o.instrument.currency(),
          realized));
      if (faults.takeCorrection()) {
        String corrected = execId.substring(0, execId.length() - 2) + "02";
        SimFill c = new SimFill(corrected, f.orderId(), f.clientId(), f.permId(), f.account(),
            f.symbol(), f.conId(), f.side(), f.shares(), f.price(), f.cumQty(), f.avgPrice(),
            0, Double.NaN, f.time(), f.orderRef());
        s.send(execDetails(s, -1, c));
        s.send(ServerMessages.commissionReport(corrected, 0, o.instrument.currency(),
            Double.NaN));
      }
    }
    for (Session ps : sessions.values()) {
      if (ps.positionsSubscribed) {
        ps.send(ServerMessages.position(acct, o.instrument, p.qty, round8(p.avgCost)));
      }
      if (ps.accountUpdatesSubscribed) {
        sendPortfolio(ps, o.instrument, p);
        sendAccountValues(ps);
      }
      sendAccountSummaryUpdates(ps);
    }
  }

  private MessageBuilder execDetails(Session s, int reqId, SimFill f) {
    SimInstrument i = byConId.get(f.conId());
    int liquidity = fillExchangeHint.getOrDefault(f.execId(), 2);
    return ServerMessages.execDetails(s.serverVersion, reqId, f, i, i.primaryExchange(),
        liquidity, IB_TIME.format(f.time().atZone(ZoneOffset.UTC)) + " UTC");
  }

  private void reqOpenOrders(Session s, boolean all) {
    for (WorkingOrder o : ordersByKey.values()) {
      if (o.working() && (all || o.clientId == s.clientId)) {
        SimOrder snap = o.snapshot(config.account());
        s.send(ServerMessages.openOrder(s.serverVersion, snap, o.instrument));
        s.send(ServerMessages.orderStatus(snap, 0));
      }
    }
    s.send(ServerMessages.openOrderEnd());
  }

  private void reqExecutions(Session s, RequestFields r) {
    r.skip(1);
    int reqId = r.intValue();
    int clientFilter = r.intValue();
    String acctFilter = r.str();
    Instant since = parseFilterTime(r.str());
    String symbolFilter = r.str();
    String secTypeFilter = r.str();
    r.str(); // exchange
    String sideFilter = r.str().toUpperCase(Locale.ROOT);
    for (SimFill f : fills) {
      boolean ok = (clientFilter == 0 || f.clientId() == clientFilter)
          && (acctFilter.isEmpty() || acctFilter.equals(f.account()))
          && (since == null || !f.time().isBefore(since))
          && (symbolFilter.isEmpty() || symbolFilter.equalsIgnoreCase(f.symbol()))
          && (secTypeFilter.isEmpty() || secTypeFilter.equalsIgnoreCase("STK"))
          && (sideFilter.isEmpty() || sideFilter.equals(f.side().equals("BOT") ? "BUY" : "SELL")
              || sideFilter.equals(f.side()));
      if (ok) {
        s.send(execDetails(s, reqId, f));
        s.send(ServerMessages.commissionReport(f.execId(), f.commission(),
            byConId.get(f.conId()).currency(), f.realizedPnl()));
      }
    }
    s.send(ServerMessages.execDetailsEnd(reqId));
  }

  private static Instant parseFilterTime(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return null;
    }
    try {
      if (t.length() == 17 && t.charAt(8) == '-') {
        return LocalDateTime.parse(t, DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss",
            Locale.ROOT)).toInstant(ZoneOffset.UTC);
      }
      String[] parts = t.split("\\s+");
      LocalDateTime ldt = LocalDateTime.parse(parts[0] + " " + parts[1], IB_TIME);
      ZoneId zone = parts.length > 2 ? ZoneId.of(parts[2]) : ZoneOffset.UTC;
      return ldt.atZone(zone).toInstant();
    } catch (DateTimeException | ArrayIndexOutOfBoundsException e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ positions and account

  private void reqPositions(Session s) {
    s.positionsSubscribed = true;
    for (Map.Entry<String, PositionState> e : positions.entrySet()) {
      if (e.getValue().qty != 0) {
        s.send(ServerMessages.position(config.account(), instrument(e.getKey()),
            e.getValue().qty, round8(e.getValue().avgCost)));
      }
    }
    s.send(ServerMessages.positionEnd());
  }

  /** Tag -> value (as IB formats it) for the account, in a stable order. */
  private Map<String, String> accountValues() {
    double signedValue = 0;
    double gross = 0;
    for (Map.Entry<String, PositionState> e : positions.entrySet()) {
      double v = e.getValue().qty * mark(e.getKey());
      signedValue += v;
      gross += Math.abs(v);
    }
    double netLiq = cash + signedValue;
    double init = 0.25 * gross;
    double available = netLiq - init;
    Map<String, String> m = new LinkedHashMap<>();
    m.put("AccountType", "INDIVIDUAL");
    m.put("NetLiquidation", money(netLiq));
    m.put("TotalCashValue", money(cash));
    m.put("SettledCash", money(cash));
    m.put("GrossPositionValue", money(gross));
    m.put("EquityWithLoanValue", money(netLiq));
    m.put("InitMarginReq", money(init));
    m.put("MaintMarginReq", money(init));
    m.put("AvailableFunds", money(available));
    m.put("ExcessLiquidity", money(available));
    m.put("BuyingPower", money(Math.max(0, available) * 4));
    return m;
  }

  private double mark(String symbol) {
    Book b = books.get(symbol);
    return b == null ? 0 : round8(b.quote.mid());
  }

  private static String money(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private void reqAccountSummary(Session s, RequestFields r) {
    r.skip(1);
    int reqId = r.intValue();
    r.str(); // group
    String tags = r.str();
    Map<String, String> values = accountValues();
    List<String> wanted = new ArrayList<>();
    for (String t : tags.split(",")) {
      String tag = t.trim();
      if (tag.startsWith("$LEDGER")) {
        wanted.addAll(List.of("TotalCashValue", "NetLiquidation"));
      } else if (!tag.isEmpty()) {
        wanted.add(tag);
      }
    }
    for (String tag : wanted) {
      String v = values.get(tag);
      if (v != null) {
        s.send(ServerMessages.accountSummary(reqId, config.account(), tag, v,
            tag.equals("AccountType") ? "" : "USD"));
      }
    }
    s.send(ServerMessages.accountSummaryEnd(reqId));
    s.accountSummaryReqs.put(reqId, List.copyOf(wanted));
  }

  /** After a fill: the current values for every account summary subscription (no End). */
  private void sendAccountSummaryUpdates(Session s) {
    if (s.accountSummaryReqs.isEmpty()) {
      return;
    }
    Map<String, String> values = accountValues();
    s.accountSummaryReqs.forEach((reqId, tags) -> {
      for (String tag : tags) {
        String v = values.get(tag);
        if (v != null) {
          s.send(ServerMessages.accountSummary(reqId, config.account(), tag, v,
              tag.equals("AccountType") ? "" : "USD"));
        }
      }
    });
  }

  private void reqAccountUpdates(Session s, RequestFields r) {
    r.skip(1);
    boolean subscribe = r.bool();
    s.accountUpdatesSubscribed = subscribe;
    if (!subscribe) {
      return;
    }
    sendAccountValues(s);
    positions.forEach((symbol, p) -> {
      if (p.qty != 0) {
        sendPortfolio(s, instrument(symbol), p);
      }
    });
    s.send(ServerMessages.accountUpdateTime(DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
        .format(config.clock().now().atZone(ZoneOffset.UTC))));
    s.send(ServerMessages.accountDownloadEnd(config.account()));
  }

  private void sendAccountValues(Session s) {
    s.send(ServerMessages.accountValue("AccountCode", config.account(), "", config.account()));
    accountValues().forEach((k, v) -> s.send(ServerMessages.accountValue(k, v,
        k.equals("AccountType") ? "" : "USD", config.account())));
  }

  private void sendPortfolio(Session s, SimInstrument i, PositionState p) {
    double mark = mark(i.symbol());
    s.send(ServerMessages.portfolioValue(i, p.qty, mark, round8(p.qty * mark),
        round8(p.avgCost), round8(p.qty * (mark - p.avgCost)), round8(p.realized),
        config.account()));
  }

  // ------------------------------------------------------------------ historical data

  private void reqHistoricalData(Session s, RequestFields r) {
    int reqId = r.intValue();
    ContractRef c = readContract(r);
    r.skip(1); // includeExpired
    String end = r.str();
    String barSize = r.str().trim();
    String duration = r.str().trim();
    r.skip(1); // useRTH
    String whatToShow = r.str().toUpperCase(Locale.ROOT);
    int formatDate = r.intValue();
    SimInstrument i = resolve(c);
    if (i == null) {
      s.send(error(s.serverVersion, reqId, 200, NO_SECURITY));
      return;
    }
    long barSeconds = HistoricalBars.barSeconds(barSize);
    long durationSeconds = HistoricalBars.durationSeconds(duration);
    if (barSeconds <= 0 || durationSeconds <= 0) {
      s.send(error(s.serverVersion, reqId, 162, "Historical Market Data Service error message:"
          + "invalid bar size or duration barSize='" + barSize + "' duration='" + duration
          + "'"));
      return;
    }
    Instant endTime = end.isBlank() ? config.clock().now() : parseFilterTime(end);
    if (endTime == null) {
      s.send(error(s.serverVersion, reqId, 10314, "End Date/Time: The date, time, or time-zone"
          + " entered is invalid. The correct format is yyyymmdd hh:mm:ss xx/xxxx"));
      return;
    }
    s.send(HistoricalBars.message(reqId, i, books.get(i.symbol()).quote.mid(), endTime,
        barSeconds, durationSeconds, whatToShow, formatDate, config.seed()));
  }

  // ------------------------------------------------------------------ control snapshots

  synchronized List<SimOrder> orders() {
    return ordersByKey.values().stream().map(o -> o.snapshot(config.account())).toList();
  }

  synchronized List<SimFill> fills() {
    return List.copyOf(fills);
  }

  synchronized List<SimPosition> positions() {
    List<SimPosition> out = new ArrayList<>();
    positions.forEach((symbol, p) -> out.add(new SimPosition(config.account(), symbol,
        instrument(symbol).conId(), p.qty, round8(p.avgCost), round8(p.realized))));
    return out;
  }

  synchronized double cash() {
    return cash;
  }

  /** Streaming market data subscriptions of connected clients (ticker ids), per client id. */
  synchronized Map<Integer, List<Integer>> marketDataSubscriptions() {
    Map<Integer, List<Integer>> out = new LinkedHashMap<>();
    sessions.forEach((clientId, s) -> out.put(clientId, List.copyOf(s.mktData.keySet())));
    return out;
  }

  /**
   * Cancels a working order as a TWS user (or IB) would: orderStatus Cancelled and 202 go to
   * its client if connected. Returns false if there is no such working order.
   */
  synchronized boolean cancelFromServer(int clientId, int orderId) {
    WorkingOrder o = ordersByKey.get(key(clientId, orderId));
    if (o == null || !o.working()) {
      return false;
    }
    cancel(o, "Order Canceled - reason:cancelled at the gateway");
    return true;
  }

  synchronized Map<String, String> accountSummary() {
    return Map.copyOf(accountValues());
  }

  /** Rounds away binary noise (8 decimals); NaN stays NaN. */
  private static double round8(double v) {
    return Double.isNaN(v) ? v : Math.round(v * 1e8) / 1e8;
  }

  private static double zeroIfNaN(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

}
