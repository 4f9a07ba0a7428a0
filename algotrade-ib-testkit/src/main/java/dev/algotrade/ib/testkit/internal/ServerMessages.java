package dev.algotrade.ib.testkit.internal;

import dev.algotrade.ib.testkit.SimFill;
import dev.algotrade.ib.testkit.SimInstrument;
import dev.algotrade.ib.testkit.SimOrder;

/**
 * Encoders for the messages the gateway sends, in the server-version-178 layouts of
 * {@code ib-protocol.md} §4 (two small gates below 178 are honoured). Each method returns a
 * finished {@link MessageBuilder}. Stateless; thread-safe.
 */
public final class ServerMessages {

  public static final int TICK_PRICE = 1;
  public static final int TICK_SIZE = 2;
  public static final int ORDER_STATUS = 3;
  public static final int ERR_MSG = 4;
  public static final int OPEN_ORDER = 5;
  public static final int ACCT_VALUE = 6;
  public static final int PORTFOLIO_VALUE = 7;
  public static final int ACCT_UPDATE_TIME = 8;
  public static final int NEXT_VALID_ID = 9;
  public static final int CONTRACT_DATA = 10;
  public static final int EXECUTION_DATA = 11;
  public static final int MANAGED_ACCTS = 15;
  public static final int HISTORICAL_DATA = 17;
  public static final int CURRENT_TIME = 49;
  public static final int CONTRACT_DATA_END = 52;
  public static final int OPEN_ORDER_END = 53;
  public static final int ACCT_DOWNLOAD_END = 54;
  public static final int EXECUTION_DATA_END = 55;
  public static final int TICK_SNAPSHOT_END = 57;
  public static final int MARKET_DATA_TYPE = 58;
  public static final int COMMISSION_REPORT = 59;
  public static final int POSITION_DATA = 61;
  public static final int POSITION_END = 62;
  public static final int ACCOUNT_SUMMARY = 63;
  public static final int ACCOUNT_SUMMARY_END = 64;
  public static final int TICK_REQ_PARAMS = 81;
  public static final int COMPLETED_ORDERS_END = 102;

  private ServerMessages() {}

  /** Handshake reply: negotiated version and connection time (two fields, no message id). */
  public static byte[] handshakeReply(int version, String time) {
    String payload = version + "\0" + time + "\0";
    return Wire.frame(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public static MessageBuilder managedAccounts(String accounts) {
    return new MessageBuilder(MANAGED_ACCTS).add(1).add(accounts);
  }

  public static MessageBuilder nextValidId(int orderId) {
    return new MessageBuilder(NEXT_VALID_ID).add(1).add(orderId);
  }

  /** errMsg v2; the advancedOrderRejectJson field exists from 166. */
  public static MessageBuilder error(int serverVersion, int id, int code, String text) {
    MessageBuilder m = new MessageBuilder(ERR_MSG).add(2).add(id).add(code).add(text);
    if (serverVersion >= 166) {
      m.empty();
    }
    return m;
  }

  public static MessageBuilder currentTime(long epochSeconds) {
    return new MessageBuilder(CURRENT_TIME).add(1).add(epochSeconds);
  }

  /** tickPrice v6: price, size (Decimal) and the attribute mask. */
  public static MessageBuilder tickPrice(
      int tickerId, int tickType, double price, double size, int attrMask) {
    return new MessageBuilder(TICK_PRICE).add(6).add(tickerId).add(tickType).add(price)
        .add(size).add(attrMask);
  }

  public static MessageBuilder tickSize(int tickerId, int tickType, double size) {
    return new MessageBuilder(TICK_SIZE).add(6).add(tickerId).add(tickType).add(size);
  }

  public static MessageBuilder tickSnapshotEnd(int tickerId) {
    return new MessageBuilder(TICK_SNAPSHOT_END).add(1).add(tickerId);
  }

  public static MessageBuilder marketDataType(int tickerId, int type) {
    return new MessageBuilder(MARKET_DATA_TYPE).add(1).add(tickerId).add(type);
  }

  /** tickReqParams has no version field. */
  public static MessageBuilder tickReqParams(int tickerId, double minTick, String bboExchange,
      int snapshotPermissions) {
    return new MessageBuilder(TICK_REQ_PARAMS).add(tickerId).add(minTick).add(bboExchange)
        .add(snapshotPermissions);
  }

  /** contractData at 178: no version field, no secId pairs (40 fields). */
  public static MessageBuilder contractData(int reqId, SimInstrument i) {
    return new MessageBuilder(CONTRACT_DATA)
        .add(reqId)
        .add(i.symbol())
        .add("STK")
        .empty() // lastTradeDateOrContractMonth
        .add(0) // strike
        .empty() // right
        .add(i.exchange())
        .add(i.currency())
        .add(i.symbol()) // localSymbol
        .add("NMS") // marketName
        .add("NMS") // tradingClass
        .add(i.conId())
        .add(i.minTick())
        .empty() // multiplier
        .add("ACTIVETIM,AD,ALERT,ALLOC,AVGCOST,BASKET,DAY,GTC,IOC,LMT,MKT,STP,STPLMT")
        .add("SMART," + i.primaryExchange())
        .add(1) // priceMagnifier
        .add(0) // underConId
        .add(i.longName())
        .add(i.primaryExchange())
        .empty() // contractMonth
        .add("Technology") // industry
        .add("Computers") // category
        .add("Computers") // subcategory
        .add("US/Eastern")
        .add("20260101:0400-20260101:2000")
        .add("20260101:0930-20260101:1600")
        .empty() // evRule
        .add(0) // evMultiplier
        .add(0) // secIdList count
        .add(1) // aggGroup
        .empty() // underSymbol
        .empty() // underSecType
        .add("26,26") // marketRuleIds
        .empty() // realExpirationDate
        .add("COMMON") // stockType
        .add(1) // minSize
        .add(1) // sizeIncrement
        .add(100); // suggestedSizeIncrement
  }

  public static MessageBuilder contractDataEnd(int reqId) {
    return new MessageBuilder(CONTRACT_DATA_END).add(1).add(reqId);
  }

  /** orderStatus at 178: no version field, 12 fields. */
  public static MessageBuilder orderStatus(SimOrder o, double lastFillPrice) {
    return new MessageBuilder(ORDER_STATUS)
        .add(o.orderId())
        .add(o.status())
        .add(o.filled())
        .add(o.remaining())
        .add(o.avgFillPrice())
        .add(o.permId())
        .add(0) // parentId
        .add(lastFillPrice)
        .add(o.clientId())
        .empty() // whyHeld
        .add(0); // mktCapPrice
  }

  /**
   * openOrder at 178 for a plain stock order: no version field, 127 fields with every variable
   * section empty (ib-protocol.md §4.5). Below 177 the faProfile field is present.
   */
  public static MessageBuilder openOrder(int serverVersion, SimOrder o, SimInstrument i) {
    MessageBuilder m = new MessageBuilder(OPEN_ORDER)
        .add(o.orderId())
        .add(i.conId())
        .add(i.symbol())
        .add("STK")
        .empty() // lastTradeDateOrContractMonth
        .add(0) // strike
        .empty() // right
        .empty() // multiplier
        .add(i.exchange())
        .add(i.currency())
        .add(i.symbol()) // localSymbol
        .add("NMS") // tradingClass
        .add(o.action())
        .add(o.quantity())
        .add(o.orderType())
        .priceOrUnset(o.limitPrice())
        .priceOrUnset(o.auxPrice())
        .add(o.tif())
        .empty() // ocaGroup
        .add(o.account())
        .empty() // openClose
        .add(0) // origin
        .add(o.orderRef())
        .add(o.clientId())
        .add(o.permId())
        .add(0) // outsideRth
        .add(0) // hidden
        .add(0) // discretionaryAmt
        .empty() // goodAfterTime
        .empty() // sharesAllocation
        .empty() // faGroup
        .empty() // faMethod
        .empty(); // faPercentage
    if (serverVersion < 177) {
      m.empty(); // faProfile
    }
    m.empty() // modelCode
        .empty() // goodTillDate
        .empty() // rule80A
        .unsetDouble() // percentOffset
        .empty() // settlingFirm
        .add(0) // shortSaleSlot
        .empty() // designatedLocation
        .add(-1) // exemptCode
        .add(0) // auctionStrategy
        .unsetDouble() // startingPrice
        .unsetDouble() // stockRefPrice
        .unsetDouble() // delta
        .unsetDouble() // stockRangeLower
        .unsetDouble() // stockRangeUpper
        .empty() // displaySize
        .add(0) // blockOrder
        .add(0) // sweepToFill
        .add(0) // allOrNone
        .empty() // minQty
        .add(0) // ocaType
        .add(0) // eTradeOnly
        .add(0) // firmQuoteOnly
        .empty() // nbboPriceCap
        .add(0) // parentId
        .add(0) // triggerMethod
        .unsetDouble() // volatility
        .add(0) // volatilityType
        .empty() // deltaNeutralOrderType (empty: no V1 section)
        .unsetDouble() // deltaNeutralAuxPrice
        .add(0) // continuousUpdate
        .add(0) // referencePriceType
        .unsetDouble() // trailStopPrice
        .unsetDouble() // trailingPercent
        .unsetDouble() // basisPoints
        .empty() // basisPointsType
        .empty() // comboLegsDescrip
        .add(0) // comboLegs count
        .add(0) // orderComboLegs count
        .add(0) // smartComboRoutingParams count
        .empty() // scaleInitLevelSize
        .empty() // scaleSubsLevelSize
        .empty() // scalePriceIncrement (empty: no V5 section)
        .empty() // hedgeType
        .add(0) // optOutSmartRouting
        .empty() // clearingAccount
        .empty() // clearingIntent
        .add(0) // notHeld
        .add(0) // deltaNeutralContract present
        .empty() // algoStrategy
        .add(0) // solicited
        .add(0) // whatIf
        .add(o.status())
        .empty().empty().empty().empty().empty().empty() // margin before/change
        .empty().empty().empty() // margin after
        .unsetDouble() // commission
        .unsetDouble() // minCommission
        .unsetDouble() // maxCommission
        .empty() // commissionCurrency
        .empty() // warningText
        .add(0) // randomizeSize
        .add(0) // randomizePrice
        .add(0) // conditions count
        .empty() // adjustedOrderType
        .unsetDouble() // triggerPrice
        .unsetDouble() // trailStopPrice
        .unsetDouble() // lmtPriceOffset
        .unsetDouble() // adjustedStopPrice
        .unsetDouble() // adjustedStopLimitPrice
        .unsetDouble() // adjustedTrailingAmount
        .add(0) // adjustableTrailingUnit
        .empty() // softDollarTier name
        .empty() // softDollarTier value
        .empty() // softDollarTier displayName
        .unsetDouble() // cashQty
        .add(0) // dontUseAutoPriceForHedge
        .add(0) // isOmsContainer
        .add(0) // discretionaryUpToLimitPrice
        .add(0) // usePriceMgmtAlgo
        .empty() // duration
        .empty() // postToAts
        .add(0) // autoCancelParent
        .empty() // minTradeQty
        .empty() // minCompeteSize
        .unsetDouble() // competeAgainstBestOffset
        .unsetDouble() // midOffsetAtWhole
        .unsetDouble(); // midOffsetAtHalf
    return m;
  }

  public static MessageBuilder openOrderEnd() {
    return new MessageBuilder(OPEN_ORDER_END).add(1);
  }

  /** execDetails at 178: no version field, 32 fields (31 below 178). */
  public static MessageBuilder execDetails(
      int serverVersion, int reqId, SimFill f, SimInstrument i, String execExchange,
      int lastLiquidity, String time) {
    MessageBuilder m = new MessageBuilder(EXECUTION_DATA)
        .add(reqId)
        .add(f.orderId())
        .add(i.conId())
        .add(i.symbol())
        .add("STK")
        .empty() // lastTradeDateOrContractMonth
        .add(0) // strike
        .empty() // right
        .empty() // multiplier
        .add(i.exchange())
        .add(i.currency())
        .add(i.symbol()) // localSymbol
        .add("NMS") // tradingClass
        .add(f.execId())
        .add(time)
        .add(f.account())
        .add(execExchange)
        .add(f.side())
        .add(f.shares())
        .add(f.price())
        .add(f.permId())
        .add(f.clientId())
        .add(0) // liquidation
        .add(f.cumQty())
        .add(f.avgPrice())
        .add(f.orderRef())
        .empty() // evRule
        .empty() // evMultiplier
        .empty() // modelCode
        .add(lastLiquidity);
    if (serverVersion >= 178) {
      m.add(0); // pendingPriceRevision
    }
    return m;
  }

  public static MessageBuilder execDetailsEnd(int reqId) {
    return new MessageBuilder(EXECUTION_DATA_END).add(1).add(reqId);
  }

  /** commissionReport v1; realizedPNL NaN is written as the unset literal. */
  public static MessageBuilder commissionReport(
      String execId, double commission, String currency, double realizedPnl) {
    MessageBuilder m = new MessageBuilder(COMMISSION_REPORT).add(1).add(execId).add(commission)
        .add(currency);
    if (Double.isNaN(realizedPnl)) {
      m.unsetDouble();
    } else {
      m.add(realizedPnl);
    }
    return m.unsetDouble().add(0); // yield, yieldRedemptionDate
  }

  /** position v3. */
  public static MessageBuilder position(String account, SimInstrument i, double qty,
      double avgCost) {
    return new MessageBuilder(POSITION_DATA).add(3).add(account).add(i.conId()).add(i.symbol())
        .add("STK").empty().add(0).empty().empty().add(i.primaryExchange()).add(i.currency())
        .add(i.symbol()).add("NMS").add(qty).add(avgCost);
  }

  public static MessageBuilder positionEnd() {
    return new MessageBuilder(POSITION_END).add(1);
  }

  public static MessageBuilder accountSummary(int reqId, String account, String tag,
      String value, String currency) {
    return new MessageBuilder(ACCOUNT_SUMMARY).add(1).add(reqId).add(account).add(tag)
        .add(value).add(currency);
  }

  public static MessageBuilder accountSummaryEnd(int reqId) {
    return new MessageBuilder(ACCOUNT_SUMMARY_END).add(1).add(reqId);
  }

  /** accountValue v2. */
  public static MessageBuilder accountValue(String key, String value, String currency,
      String account) {
    return new MessageBuilder(ACCT_VALUE).add(2).add(key).add(value).add(currency).add(account);
  }

  /** portfolioValue v8. */
  public static MessageBuilder portfolioValue(SimInstrument i, double position,
      double marketPrice, double marketValue, double averageCost, double unrealizedPnl,
      double realizedPnl, String account) {
    return new MessageBuilder(PORTFOLIO_VALUE).add(8).add(i.conId()).add(i.symbol()).add("STK")
        .empty().add(0).empty().empty().add(i.primaryExchange()).add(i.currency())
        .add(i.symbol()).add("NMS").add(position).add(marketPrice).add(marketValue)
        .add(averageCost).add(unrealizedPnl).add(realizedPnl).add(account);
  }

  public static MessageBuilder accountUpdateTime(String hhmm) {
    return new MessageBuilder(ACCT_UPDATE_TIME).add(1).add(hhmm);
  }

  public static MessageBuilder accountDownloadEnd(String account) {
    return new MessageBuilder(ACCT_DOWNLOAD_END).add(1).add(account);
  }

  /** completedOrdersEnd carries no fields besides its id. */
  public static MessageBuilder completedOrdersEnd() {
    return new MessageBuilder(COMPLETED_ORDERS_END);
  }
}
