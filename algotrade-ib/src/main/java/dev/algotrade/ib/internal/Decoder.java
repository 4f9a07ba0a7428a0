package dev.algotrade.ib.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one payload (the bytes after the length prefix) at server version 178 and calls the
 * matching {@link IbHandler} method. Layouts: ib-protocol.md §4. Every message is decoded fully
 * before its handler is called, so a malformed message never reaches a handler half-read.
 *
 * <ul>
 *   <li>Unknown message ids are skipped and counted ({@link #unknownCount()}).
 *   <li>Known ids this client does not use (depth, news, option computations, ...) are skipped
 *       and counted separately ({@link #ignoredCount()}).
 *   <li>A payload that does not parse is logged at WARN with its bytes and counted
 *       ({@link #malformedCount()}); decoding of later payloads carries on.
 * </ul>
 *
 * <p>The decoder does not synthesise a tickSize after a tickPrice the way IB's own clients do;
 * the size travels as the tickPrice {@code size} argument instead.
 *
 * <p>Confined to one thread (the reader): it reuses one {@link FieldCursor}. The counters may be
 * read from any thread.
 */
public final class Decoder {

  private static final Logger log = LoggerFactory.getLogger(Decoder.class);
  private static final int MAX_LOGGED_BYTES = 512;

  private final FieldCursor c = new FieldCursor();
  private long decoded;
  private final AtomicLong unknown = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();

  /**
   * Decodes {@code buf[offset .. offset+length)} and dispatches to {@code h}.
   *
   * @return true if a handler was called; false if the message was skipped or malformed
   */
  public boolean decode(byte[] buf, int offset, int length, IbHandler h) {
    FieldCursor c = this.c.reset(buf, offset, length);
    int id = -1;
    try {
      id = c.nextInt();
      // the two hot messages stay in this small method so the JIT inlines them
      if (id == 1) { // tickPrice: 1 v tickerId tickType price size attrMask
        c.skip();
        int tickerId = c.nextInt();
        int tickType = c.nextInt();
        double price = c.nextDouble();
        double size = c.nextDecimal();
        int attr = c.nextInt();
        h.tickPrice(tickerId, tickType, price, size, attr);
        decoded++;
        return true;
      }
      if (id == 2) { // tickSize: 2 v tickerId tickType size
        c.skip();
        int tickerId = c.nextInt();
        int tickType = c.nextInt();
        double size = c.nextDecimal();
        h.tickSize(tickerId, tickType, size);
        decoded++;
        return true;
      }
      boolean handled = dispatch(id, c, h);
      if (handled) {
        decoded++;
      }
      return handled;
    } catch (MalformedMessageException | IndexOutOfBoundsException e) {
      long n = malformed.incrementAndGet();
      if (n > 100 && n % 1000 != 0) {
        return false; // a storm of bad frames: log the first 100, then every 1000th
      }
      log.warn("malformed IB message skipped msgId={} error={} count={} bytes={}", id, e.getMessage(), n,
          render(buf, offset, length));
      return false;
    }
  }

  private boolean dispatch(int id, FieldCursor c, IbHandler h) {
    switch (id) {
      case 1: { // tickPrice: 1 v tickerId tickType price size attrMask
        c.skip();
        int tickerId = c.nextInt();
        int tickType = c.nextInt();
        double price = c.nextDouble();
        double size = c.nextDecimal();
        int attr = c.nextInt();
        h.tickPrice(tickerId, tickType, price, size, attr);
        return true;
      }
      case 2: { // tickSize: 2 v tickerId tickType size
        c.skip();
        int tickerId = c.nextInt();
        int tickType = c.nextInt();
        double size = c.nextDecimal();
        h.tickSize(tickerId, tickType, size);
        return true;
      }
      case 3:
        h.orderStatus(orderStatus(c));
        return true;
      case 4: { // errMsg: 4 v id code text advancedJson
        c.skip();
        int reqId = c.nextInt();
        int code = c.nextInt();
        String text = c.nextEscapedString();
        String json = c.hasMore() ? c.nextString() : "";
        h.error(reqId, code, text, json);
        return true;
      }
      case 5:
        h.openOrder(openOrder(c));
        return true;
      case 6: { // accountValue: 6 v key value currency [accountName if v >= 2]
        int v = c.nextInt();
        String key = c.nextString();
        String value = c.nextString();
        String currency = c.nextString();
        String account = v >= 2 ? c.nextString() : "";
        h.accountValue(key, value, currency, account);
        return true;
      }
      case 9: { // nextValidId: 9 v orderId
        c.skip();
        h.nextValidId(c.nextInt());
        return true;
      }
      case 10:
        h.contractData(contractData(c));
        return true;
      case 11:
        h.execDetails(execDetails(c));
        return true;
      case 15: { // managedAccounts: 15 v list
        c.skip();
        h.managedAccounts(c.nextString());
        return true;
      }
      case 17:
        h.historicalData(historicalData(c));
        return true;
      case 45: { // tickGeneric: 45 v tickerId tickType value
        c.skip();
        int tickerId = c.nextInt();
        int tickType = c.nextInt();
        h.tickGeneric(tickerId, tickType, c.nextDouble());
        return true;
      }
      case 46: { // tickString: 46 v tickerId tickType value
        c.skip();
        int tickerId = c.nextInt();
        int tickType = c.nextInt();
        h.tickString(tickerId, tickType, c.nextString());
        return true;
      }
      case 49: { // currentTime: 49 v epochSeconds
        c.skip();
        h.currentTime(c.nextLong());
        return true;
      }
      case 52: { // contractDataEnd: 52 v reqId
        c.skip();
        h.contractDataEnd(c.nextInt());
        return true;
      }
      case 53: // openOrderEnd: 53 v
        h.openOrderEnd();
        return true;
      case 54: { // accountDownloadEnd: 54 v accountName
        c.skip();
        h.accountDownloadEnd(c.nextString());
        return true;
      }
      case 55: { // execDetailsEnd: 55 v reqId
        c.skip();
        h.execDetailsEnd(c.nextInt());
        return true;
      }
      case 57: { // tickSnapshotEnd: 57 v tickerId
        c.skip();
        h.tickSnapshotEnd(c.nextInt());
        return true;
      }
      case 58: { // marketDataType: 58 v tickerId type
        c.skip();
        int tickerId = c.nextInt();
        h.marketDataType(tickerId, c.nextInt());
        return true;
      }
      case 59: { // commissionReport: 59 v execId commission currency realizedPNL yield yieldRedemptionDate
        c.skip();
        String execId = c.nextString();
        double commission = c.nextDoubleOrUnset();
        String currency = c.nextString();
        double pnl = c.nextDoubleOrUnset();
        double yld = c.nextDoubleOrUnset();
        String date = c.hasMore() ? c.nextString() : "";
        h.commissionReport(new Inbound.CommissionReport(execId, commission, currency, pnl, yld, date));
        return true;
      }
      case 61:
        h.position(position(c));
        return true;
      case 62: // positionEnd: 62 v
        h.positionEnd();
        return true;
      case 63: { // accountSummary: 63 v reqId account tag value currency
        c.skip();
        int reqId = c.nextInt();
        String account = c.nextString();
        String tag = c.nextString();
        String value = c.nextString();
        String currency = c.nextString();
        h.accountSummary(new Inbound.AccountSummary(reqId, account, tag, value, currency));
        return true;
      }
      case 64: { // accountSummaryEnd: 64 v reqId
        c.skip();
        h.accountSummaryEnd(c.nextInt());
        return true;
      }
      case 81: { // tickReqParams: 81 tickerId minTick bboExchange snapshotPermissions (no version)
        int tickerId = c.nextInt();
        double minTick = c.nextDouble();
        String bbo = c.nextString();
        h.tickReqParams(tickerId, minTick, bbo, c.nextInt());
        return true;
      }
      case 90: { // historicalDataUpdate: 90 reqId barCount date open close high low wap volume
        int reqId = c.nextInt();
        int barCount = c.nextInt();
        String date = c.nextString();
        double open = c.nextDouble();
        double close = c.nextDouble();
        double high = c.nextDouble();
        double low = c.nextDouble();
        double wap = c.nextDecimal();
        double volume = c.nextDecimal();
        h.historicalDataUpdate(reqId, barCount,
            new Inbound.HistoricalBar(date, open, high, low, close, volume, wap, barCount));
        return true;
      }
      case 7: case 8: case 12: case 13: case 14: case 18: case 19: case 21: case 47: case 50:
      case 51: case 56: case 100: case 101: case 102:
        ignored.incrementAndGet();
        log.debug("IB message not used by this client skipped msgId={}", id);
        return false;
      default:
        long n = unknown.incrementAndGet();
        log.debug("unknown IB message id skipped msgId={} count={}", id, n);
        return false;
    }
  }

  private static Inbound.OrderStatus orderStatus(FieldCursor c) {
    // 3 orderId status filled remaining avgFillPrice permId parentId lastFillPrice clientId whyHeld mktCapPrice
    int orderId = c.nextInt();
    String status = c.nextString();
    double filled = c.nextDecimal();
    double remaining = c.nextDecimal();
    double avg = c.nextDouble();
    long permId = c.nextLong();
    int parentId = c.nextInt();
    double lastFill = c.nextDouble();
    int clientId = c.nextInt();
    String whyHeld = c.nextString();
    double mktCap = c.hasMore() ? c.nextDouble() : 0.0;
    return new Inbound.OrderStatus(orderId, status, filled, remaining, avg, permId, parentId, lastFill,
        clientId, whyHeld, mktCap);
  }

  private static Inbound.OpenOrder openOrder(FieldCursor c) {
    int orderId = c.nextInt(); // 2
    int conId = c.nextInt(); // 3
    String symbol = c.nextString();
    String secType = c.nextString();
    String lastTrade = c.nextString();
    double strike = c.nextDouble();
    String right = c.nextString();
    String multiplier = c.nextString();
    String exchange = c.nextString(); // 10
    String currency = c.nextString();
    String localSymbol = c.nextString();
    String tradingClass = c.nextString(); // 13
    IbContract contract = new IbContract(conId, symbol, secType, lastTrade, strike, right, multiplier,
        exchange, "", currency, localSymbol, tradingClass);
    String action = c.nextString(); // 14
    double qty = c.nextDecimal(); // 15
    String orderType = c.nextString(); // 16
    double lmt = c.nextDoubleOrUnset(); // 17
    double aux = c.nextDoubleOrUnset(); // 18
    String tif = c.nextString(); // 19
    c.skip(); // 20 ocaGroup
    String account = c.nextString(); // 21
    c.skip(2); // 22 openClose, 23 origin
    String orderRef = c.nextString(); // 24
    int clientId = c.nextInt(); // 25
    long permId = c.nextLong(); // 26
    String status = "";
    boolean complete = false;
    try {
      status = walkToStatus(c);
      complete = true;
    } catch (MalformedMessageException | IndexOutOfBoundsException e) {
      log.debug("openOrder tail not walked orderId={} error={}", orderId, e.getMessage());
    }
    return new Inbound.OpenOrder(orderId, contract, action, qty, orderType, lmt, aux, tif, account,
        orderRef, clientId, permId, status, complete);
  }

  /**
   * From position 27 to the orderState status at 86 across the variable sections V1..V8 of
   * ib-protocol.md §4.5; the rest of the frame is discarded.
   */
  private static String walkToStatus(FieldCursor c) {
    c.skip(62 - 27); // 27 outsideRth .. 61 volatilityType
    boolean deltaNeutral = !c.peekEmpty();
    c.skip(); // 62 deltaNeutralOrderType
    c.skip(); // 63 deltaNeutralAuxPrice
    if (deltaNeutral) {
      c.skip(8); // V1: conId, settlingFirm, clearingAccount, clearingIntent, openClose, shortSale, shortSaleSlot, designatedLocation
    }
    c.skip(6); // 64 continuousUpdate, 65 referencePriceType, 66 trailStopPrice, 67 trailingPercent, 68 basisPoints, 69 basisPointsType
    c.skip(); // 70 comboLegsDescrip
    int legs = c.nextInt(); // 71
    c.skip(legs * 8); // V2
    int orderLegs = c.nextInt(); // 72
    c.skip(orderLegs); // V3
    int smartParams = c.nextInt(); // 73
    c.skip(smartParams * 2); // V4
    c.skip(2); // 74 scaleInitLevelSize, 75 scaleSubsLevelSize
    double scaleIncrement = c.nextDoubleOrUnset(); // 76
    if (scaleIncrement > 0) {
      c.skip(7); // V5
    }
    boolean hedge = !c.peekEmpty();
    c.skip(); // 77 hedgeType
    if (hedge) {
      c.skip(); // V6 hedgeParam
    }
    c.skip(4); // 78 optOutSmartRouting, 79 clearingAccount, 80 clearingIntent, 81 notHeld
    if (c.nextBool()) { // 82
      c.skip(3); // V7
    }
    boolean algo = !c.peekEmpty();
    c.skip(); // 83 algoStrategy
    if (algo) {
      int p = c.nextInt();
      c.skip(p * 2); // V8
    }
    c.skip(2); // 84 solicited, 85 whatIf
    return c.nextString(); // 86
  }

  private static Inbound.ExecDetails execDetails(FieldCursor c) {
    int reqId = c.nextInt(); // 2
    int orderId = c.nextInt(); // 3
    int conId = c.nextInt(); // 4
    String symbol = c.nextString();
    String secType = c.nextString();
    String lastTrade = c.nextString();
    double strike = c.nextDouble();
    String right = c.nextString();
    String multiplier = c.nextString(); // 10
    String exchange = c.nextString();
    String currency = c.nextString();
    String localSymbol = c.nextString();
    String tradingClass = c.nextString(); // 14
    IbContract contract = new IbContract(conId, symbol, secType, lastTrade, strike, right, multiplier,
        exchange, "", currency, localSymbol, tradingClass);
    String execId = c.nextString(); // 15
    String time = c.nextString();
    String account = c.nextString();
    String fillExchange = c.nextString();
    String side = c.nextString(); // 19
    double shares = c.nextDecimal();
    double price = c.nextDouble();
    long permId = c.nextLong();
    int clientId = c.nextInt();
    int liquidation = c.nextInt(); // 24
    double cumQty = c.nextDecimal();
    double avgPrice = c.nextDouble();
    String orderRef = c.nextString(); // 27
    c.skip(3); // 28 evRule, 29 evMultiplier, 30 modelCode
    int lastLiquidity = c.nextInt(); // 31
    boolean pending = c.hasMore() && c.nextBool(); // 32
    if (orderId == Integer.MAX_VALUE) {
      orderId = 0; // manual TWS orders may report MAX; treated as 0 (ib-protocol.md §4.8)
    }
    return new Inbound.ExecDetails(reqId, orderId, contract, execId, time, account, fillExchange, side,
        shares, price, permId, clientId, liquidation, cumQty, avgPrice, orderRef, lastLiquidity, pending);
  }

  private static Inbound.ContractData contractData(FieldCursor c) {
    int reqId = c.nextInt(); // 2
    String symbol = c.nextString();
    String secType = c.nextString();
    String lastTrade = c.nextString();
    double strike = c.nextDouble();
    String right = c.nextString();
    String exchange = c.nextString(); // 8
    String currency = c.nextString();
    String localSymbol = c.nextString();
    String marketName = c.nextString(); // 11
    String tradingClass = c.nextString();
    int conId = c.nextInt(); // 13
    double minTick = c.nextDouble();
    String multiplier = c.nextString(); // 15
    String orderTypes = c.nextString();
    String validExchanges = c.nextString();
    c.skip(2); // 18 priceMagnifier, 19 underConId
    String longName = c.nextEscapedString(); // 20
    String primaryExchange = c.nextString(); // 21
    c.skip(4); // 22 contractMonth .. 25 subcategory
    String timeZoneId = c.nextString(); // 26
    c.skip(4); // 27 tradingHours, 28 liquidHours, 29 evRule, 30 evMultiplier
    int secIds = c.nextInt(); // 31
    c.skip(secIds * 2);
    c.skip(6); // aggGroup, underSymbol, underSecType, marketRuleIds, realExpirationDate, stockType
    double minSize = c.nextDecimal();
    double sizeIncrement = c.nextDecimal();
    IbContract contract = new IbContract(conId, symbol, secType, lastTrade, strike, right, multiplier,
        exchange, primaryExchange, currency, localSymbol, tradingClass);
    return new Inbound.ContractData(reqId, contract, marketName, minTick, orderTypes, validExchanges,
        longName, timeZoneId, minSize, sizeIncrement);
  }

  private static Inbound.HistoricalData historicalData(FieldCursor c) {
    int reqId = c.nextInt();
    String start = c.nextString();
    String end = c.nextString();
    int n = c.nextInt();
    if (n < 0 || n > 10_000_000) {
      throw new MalformedMessageException("historicalData bar count out of range: " + n);
    }
    List<Inbound.HistoricalBar> bars = new ArrayList<>(Math.min(n, 4096));
    for (int i = 0; i < n; i++) {
      String date = c.nextString();
      double open = c.nextDouble();
      double high = c.nextDouble();
      double low = c.nextDouble();
      double close = c.nextDouble();
      double volume = c.nextDecimal();
      double wap = c.nextDecimal();
      int count = c.nextInt();
      bars.add(new Inbound.HistoricalBar(date, open, high, low, close, volume, wap, count));
    }
    return new Inbound.HistoricalData(reqId, start, end, bars);
  }

  private static Inbound.Position position(FieldCursor c) {
    int v = c.nextInt();
    String account = c.nextString();
    int conId = c.nextInt();
    String symbol = c.nextString();
    String secType = c.nextString();
    String lastTrade = c.nextString();
    double strike = c.nextDouble();
    String right = c.nextString();
    String multiplier = c.nextString();
    String exchange = c.nextString();
    String currency = c.nextString();
    String localSymbol = c.nextString();
    String tradingClass = v >= 2 ? c.nextString() : "";
    double position = c.nextDecimal();
    double avgCost = v >= 3 ? c.nextDouble() : 0.0;
    IbContract contract = new IbContract(conId, symbol, secType, lastTrade, strike, right, multiplier,
        exchange, "", currency, localSymbol, tradingClass);
    return new Inbound.Position(account, contract, position, avgCost);
  }

  /** Payload as text for logs: NUL shown as {@code |}, other non-printables as {@code \xNN}. */
  public static String render(byte[] buf, int offset, int length) {
    StringBuilder sb = new StringBuilder(Math.min(length, MAX_LOGGED_BYTES) + 16);
    int n = Math.min(length, MAX_LOGGED_BYTES);
    for (int i = 0; i < n; i++) {
      int b = buf[offset + i] & 0xff;
      if (b == 0) {
        sb.append('|');
      } else if (b >= 32 && b < 127 && b != '\\') {
        sb.append((char) b);
      } else {
        sb.append(String.format("\\x%02x", b));
      }
    }
    if (length > n) {
      sb.append("...(").append(length).append(" bytes)");
    }
    return sb.toString();
  }

  /** Messages decoded and handed to a handler. Approximate when read from another thread. */
  public long decodedCount() {
    return decoded;
  }

  public long unknownCount() {
    return unknown.get();
  }

  public long ignoredCount() {
    return ignored.get();
  }

  public long malformedCount() {
    return malformed.get();
  }
}
