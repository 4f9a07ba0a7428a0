package dev.algotrade.ib.internal;

import static dev.algotrade.ib.Wire.p;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decodes inbound payloads written by hand from ib-protocol.md §4 (server version 178, notes
 * notation: each field followed by {@code |}).
 */
class DecoderTest {

  static final String M = "1.7976931348623157E308";

  /** openOrder for a plain LMT order: 127 fields, status at 86 (ib-protocol.md §4.5). */
  static final String OPEN_ORDER = ""
      + "5|101|265598|AAPL|STK||0.0|||SMART|" // 1-10
      + "USD|AAPL|NMS|BUY|100|LMT|150.25|0.0|DAY||" // 11-20
      + "DU123456|O|0|c-1|7|1376541291|0|0|0.0||" // 21-30
      + "|||||||||0|" // 31-40
      + "|-1|0|||||||0|" // 41-50
      + "0|0||3|0|0||0|0||" // 51-60
      + "0|||0|0||||||" // 61-70
      + "0|0|0|||||0|||" // 71-80
      + "0|0||0|0|Submitted|||||" // 81-90
      + "|||||" + M + "|" + M + "|" + M + "|||" // 91-100
      + "0|0|0|None|" + M + "|" + M + "|" + M + "|" + M + "|" + M + "|" + M + "|" // 101-110
      + "0||||" + M + "|0|0|0|0|2147483647|" // 111-120
      + "2147483647|0||||||"; // 121-127

  /** contractData with one secId pair: 42 fields (ib-protocol.md §4.7). */
  static final String CONTRACT_DATA = ""
      + "10|100|AAPL|STK||0.0||SMART|USD|AAPL|" // 1-10
      + "NMS|NMS|265598|0.01||ACTIVETIM,AD,LMT,MKT|SMART,NASDAQ|1|0|APPLE INC|" // 11-20
      + "NASDAQ||Technology|Computers|Computers|US/Eastern|20240102:0400-20240102:2000|20240102:0930-20240102:1600|||" // 21-30
      + "1|ISIN|US0378331005|1|||26,26||COMMON|0.0001|" // 31-40
      + "0.0001|100|"; // 41-42

  /** execDetails: 32 fields (ib-protocol.md §4.8). */
  static final String EXEC_DETAILS = ""
      + "11|-1|101|265598|AAPL|STK||0.0|||" // 1-10
      + "SMART|USD|AAPL|NMS|0000e0d5.6571bd4c.01.01|20240102 09:31:05 US/Eastern|DU123456|ISLAND|BOT|40|" // 11-20
      + "150.25|1376541291|7|0|40|150.25|c-1||||" // 21-30
      + "1|0|"; // 31-32

  private final Decoder decoder = new Decoder();
  private final Recorder rec = new Recorder();

  private boolean decode(String notes) {
    byte[] b = p(notes);
    return decoder.decode(b, 0, b.length, rec);
  }

  @Test
  void fieldCounts() {
    assertThat(OPEN_ORDER.chars().filter(c -> c == '|').count()).isEqualTo(127);
    assertThat(CONTRACT_DATA.chars().filter(c -> c == '|').count()).isEqualTo(42);
    assertThat(EXEC_DETAILS.chars().filter(c -> c == '|').count()).isEqualTo(32);
  }

  @Test
  void tickPriceTickSizeAndFriends() {
    assertThat(decode("1|6|5|1|150.25|100|1|")).isTrue();
    decode("1|6|5|2|-1||0|");
    decode("2|6|5|0|300|");
    decode("2|6|5|8||");
    decode("45|6|5|49|0.0|");
    decode("46|6|5|45|1704205865|");
    decode("57|1|5|");
    decode("58|1|5|3|");
    decode("81|5|0.01|9c0001|3|");
    assertThat(rec.calls).containsExactly(
        "tickPrice 5 1 150.25 100.0 1",
        "tickPrice 5 2 -1.0 NaN 0",
        "tickSize 5 0 300.0",
        "tickSize 5 8 NaN",
        "tickGeneric 5 49 0.0",
        "tickString 5 45 1704205865",
        "tickSnapshotEnd 5",
        "marketDataType 5 3",
        "tickReqParams 5 0.01 9c0001 3");
  }

  @Test
  void orderStatusTwelveFields() {
    decode("3|101|Submitted|40|60|150.25|1376541291|0|150.25|7||0.0|");
    Inbound.OrderStatus s = rec.orderStatus;
    assertThat(s).isEqualTo(new Inbound.OrderStatus(101, "Submitted", 40, 60, 150.25, 1376541291L, 0, 150.25, 7,
        "", 0.0));
  }

  @Test
  void permIdIsReadAs64Bit() {
    decode("3|101|Filled|100|0|150.25|9876543210123|0|150.25|7||0.0|");
    assertThat(rec.orderStatus.permId()).isEqualTo(9876543210123L);
  }

  @Test
  void errMsgWithEscapedTextAndAdvancedJson() {
    decode("4|2|-1|2104|Market data farm connection is OK:usfarm||");
    decode("4|2|101|201|Order rejected - reason: caf\\u00e9 closed|{\"x\":1}|");
    assertThat(rec.calls).containsExactly(
        "error -1 2104 Market data farm connection is OK:usfarm ",
        "error 101 201 Order rejected - reason: caf\u00e9 closed {\"x\":1}");
  }

  @Test
  void openOrderIdentityAndStatusFromThe127FieldLayout() {
    decode(OPEN_ORDER);
    Inbound.OpenOrder o = rec.openOrder;
    assertThat(o.orderId()).isEqualTo(101);
    assertThat(o.contract().conId()).isEqualTo(265598);
    assertThat(o.contract().symbol()).isEqualTo("AAPL");
    assertThat(o.contract().secType()).isEqualTo("STK");
    assertThat(o.contract().exchange()).isEqualTo("SMART");
    assertThat(o.contract().currency()).isEqualTo("USD");
    assertThat(o.action()).isEqualTo("BUY");
    assertThat(o.totalQuantity()).isEqualTo(100.0);
    assertThat(o.orderType()).isEqualTo("LMT");
    assertThat(o.lmtPrice()).isEqualTo(150.25);
    assertThat(o.tif()).isEqualTo("DAY");
    assertThat(o.account()).isEqualTo("DU123456");
    assertThat(o.orderRef()).isEqualTo("c-1");
    assertThat(o.clientId()).isEqualTo(7);
    assertThat(o.permId()).isEqualTo(1376541291L);
    assertThat(o.status()).isEqualTo("Submitted");
    assertThat(o.complete()).isTrue();
  }

  @Test
  void openOrderWalksVariableSections() {
    // one combo leg (V2: 8 fields), one smart-combo param (V4: 2 fields), an algo with one
    // param (V8: count + 2), hedgeType set (V6: +1); status still found.
    String s = ""
        + "5|102|0|SPY|BAG||0.0|||SMART|" // 1-10
        + "USD|||SELL|1|LMT|1.5||GTC||" // 11-20
        + "DU123456||0|c-2|7|55|0|0|0.0||" // 21-30
        + "|||||||||0|" // 31-40
        + "|-1|0|||||||0|" // 41-50
        + "0|0||3|0|0||0|0||" // 51-60
        + "0|||0|0||||||" // 61-70 (comboLegsDescrip at 70 empty)
        + "1|1|1|BUY|SMART|0|0||-1|" // 71 count 1 + 8 leg fields
        + "0|" // 72 orderComboLegs count
        + "1|NonGuaranteed|1|" // 73 count 1 + 2 fields
        + "|||" // 74-76
        + "D|0.5|" // 77 hedgeType + hedgeParam
        + "0|||0|0|" // 78-82
        + "Adaptive|1|adaptivePriority|Normal|" // 83 algoStrategy + count + pair
        + "0|0|PreSubmitted|"; // 84-86
    decode(s);
    assertThat(rec.openOrder.status()).isEqualTo("PreSubmitted");
    assertThat(rec.openOrder.complete()).isTrue();
    assertThat(rec.openOrder.orderRef()).isEqualTo("c-2");
  }

  @Test
  void openOrderWithTruncatedTailKeepsIdentity() {
    decode("5|103|0|AAPL|STK||0.0|||SMART|USD|||BUY|10|MKT|||DAY||DU123456||0|c-3|7|99|0|");
    assertThat(rec.openOrder.orderRef()).isEqualTo("c-3");
    assertThat(rec.openOrder.complete()).isFalse();
    assertThat(rec.openOrder.status()).isEmpty();
    assertThat(decoder.malformedCount()).isZero();
  }

  @Test
  void nextValidIdManagedAccountsCurrentTime() {
    decode("9|1|100|");
    decode("15|1|DU123456,DU654321,|");
    decode("49|1|1704205865|");
    assertThat(rec.calls).containsExactly("nextValidId 100", "managedAccounts DU123456,DU654321,",
        "currentTime 1704205865");
  }

  @Test
  void contractDataAndEnd() {
    decode(CONTRACT_DATA);
    decode("52|1|100|");
    Inbound.ContractData d = rec.contractData;
    assertThat(d.reqId()).isEqualTo(100);
    assertThat(d.contract().conId()).isEqualTo(265598);
    assertThat(d.contract().symbol()).isEqualTo("AAPL");
    assertThat(d.contract().primaryExchange()).isEqualTo("NASDAQ");
    assertThat(d.contract().tradingClass()).isEqualTo("NMS");
    assertThat(d.minTick()).isEqualTo(0.01);
    assertThat(d.longName()).isEqualTo("APPLE INC");
    assertThat(d.timeZoneId()).isEqualTo("US/Eastern");
    assertThat(d.minSize()).isEqualTo(0.0001);
    assertThat(d.sizeIncrement()).isEqualTo(0.0001);
    assertThat(rec.calls).contains("contractDataEnd 100");
  }

  @Test
  void execDetailsEndAndCommissionReport() {
    decode(EXEC_DETAILS);
    decode("55|1|4|");
    decode("59|1|0000e0d5.6571bd4c.01.01|1.0|USD|" + M + "|" + M + "|0|");
    Inbound.ExecDetails e = rec.execDetails;
    assertThat(e.reqId()).isEqualTo(-1);
    assertThat(e.orderId()).isEqualTo(101);
    assertThat(e.execId()).isEqualTo("0000e0d5.6571bd4c.01.01");
    assertThat(e.time()).isEqualTo("20240102 09:31:05 US/Eastern");
    assertThat(e.side()).isEqualTo("BOT");
    assertThat(e.shares()).isEqualTo(40.0);
    assertThat(e.price()).isEqualTo(150.25);
    assertThat(e.permId()).isEqualTo(1376541291L);
    assertThat(e.clientId()).isEqualTo(7);
    assertThat(e.cumQty()).isEqualTo(40.0);
    assertThat(e.orderRef()).isEqualTo("c-1");
    assertThat(e.lastLiquidity()).isEqualTo(1);
    assertThat(e.pendingPriceRevision()).isFalse();
    assertThat(rec.calls).contains("execDetailsEnd 4");
    Inbound.CommissionReport c = rec.commission;
    assertThat(c.execId()).isEqualTo("0000e0d5.6571bd4c.01.01");
    assertThat(c.commission()).isEqualTo(1.0);
    assertThat(c.currency()).isEqualTo("USD");
    assertThat(c.realizedPnl()).isNaN();
    assertThat(c.yield()).isNaN();
  }

  @Test
  void historicalDataAndUpdate() {
    decode("17|6|20240102 09:30:00|20240102 09:32:00|2|"
        + "1704205800|150.0|150.5|149.9|150.25|1200|150.2|35|"
        + "1704205860|150.25|150.75|150.1|150.7|800|150.4|20|");
    assertThat(rec.historical.reqId()).isEqualTo(6);
    assertThat(rec.historical.bars()).containsExactly(
        new Inbound.HistoricalBar("1704205800", 150.0, 150.5, 149.9, 150.25, 1200, 150.2, 35),
        new Inbound.HistoricalBar("1704205860", 150.25, 150.75, 150.1, 150.7, 800, 150.4, 20));
    // 90: reqId barCount date open close high low wap volume (open, close, high, low order)
    decode("90|6|3|1704205920|150.7|150.9|151.0|150.6|150.8|300|");
    assertThat(rec.calls).contains("historicalDataUpdate 6 3 HistoricalBar[date=1704205920, open=150.7, "
        + "high=151.0, low=150.6, close=150.9, volume=300.0, wap=150.8, count=3]");
  }

  @Test
  void positionsAccountSummaryAndEnds() {
    decode("61|3|DU123456|265598|AAPL|STK||0.0|||NASDAQ|USD|AAPL|NMS|100|150.1|");
    decode("62|1|");
    decode("63|1|9|DU123456|NetLiquidation|100000.50|USD|");
    decode("64|1|9|");
    decode("53|1|");
    decode("6|2|NetLiquidation|100000.50|USD|DU123456|");
    decode("54|1|DU123456|");
    assertThat(rec.position.account()).isEqualTo("DU123456");
    assertThat(rec.position.contract().symbol()).isEqualTo("AAPL");
    assertThat(rec.position.position()).isEqualTo(100.0);
    assertThat(rec.position.avgCost()).isEqualTo(150.1);
    assertThat(rec.summary).isEqualTo(new Inbound.AccountSummary(9, "DU123456", "NetLiquidation", "100000.50", "USD"));
    assertThat(rec.calls).contains("positionEnd", "accountSummaryEnd 9", "openOrderEnd",
        "accountValue NetLiquidation 100000.50 USD DU123456", "accountDownloadEnd DU123456");
  }

  @Test
  void unsetDecimalsReadAsNaN() {
    decode("2|6|5|0|2147483647|");
    decode("2|6|5|3|9223372036854775807|");
    decode("2|6|5|5|" + M + "|");
    assertThat(rec.calls).containsExactly("tickSize 5 0 NaN", "tickSize 5 3 NaN", "tickSize 5 5 NaN");
  }

  @Test
  void unknownIdsAreSkippedAndCounted() {
    assertThat(decode("999|1|whatever|")).isFalse();
    assertThat(decode("12|1|5|0|0|1|150.0|100|")).isFalse(); // market depth: known, not used
    assertThat(decoder.unknownCount()).isEqualTo(1);
    assertThat(decoder.ignoredCount()).isEqualTo(1);
    assertThat(rec.calls).isEmpty();
  }

  @Test
  void malformedMessagesAreCountedAndDecodingGoesOn() {
    assertThat(decode("1|6|5|1|abc|100|0|")).isFalse(); // bad price
    assertThat(decode("1|6|5|")).isFalse(); // missing fields
    byte[] noNul = "2\u00006\u00005\u00000\u0000100".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(decoder.decode(noNul, 0, noNul.length, rec)).isFalse(); // last field not terminated
    assertThat(decode("1|6|5|1|150.25|100|0|")).isTrue();
    assertThat(decoder.malformedCount()).isEqualTo(3);
    assertThat(rec.calls).containsExactly("tickPrice 5 1 150.25 100.0 0");
  }

  @Test
  void numbersParseExactly() {
    FieldCursor c = new FieldCursor();
    byte[] b = p("0.1|-2.5|123456789.123456|1.0E-4|Infinity||0.30000000000000004|");
    c.reset(b, 0, b.length);
    assertThat(c.nextDouble()).isEqualTo(0.1);
    assertThat(c.nextDouble()).isEqualTo(-2.5);
    assertThat(c.nextDouble()).isEqualTo(123456789.123456);
    assertThat(c.nextDouble()).isEqualTo(1.0E-4);
    assertThat(c.nextDouble()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(c.nextDouble()).isEqualTo(0.0);
    assertThat(c.nextDouble()).isEqualTo(0.30000000000000004);
    assertThat(c.hasMore()).isFalse();
  }

  /** Records handler calls. */
  static final class Recorder implements IbHandler {
    final List<String> calls = new ArrayList<>();
    Inbound.OrderStatus orderStatus;
    Inbound.OpenOrder openOrder;
    Inbound.ContractData contractData;
    Inbound.ExecDetails execDetails;
    Inbound.CommissionReport commission;
    Inbound.HistoricalData historical;
    Inbound.Position position;
    Inbound.AccountSummary summary;

    @Override
    public void tickPrice(int tickerId, int tickType, double price, double size, int attrMask) {
      calls.add("tickPrice " + tickerId + " " + tickType + " " + price + " " + size + " " + attrMask);
    }

    @Override
    public void tickSize(int tickerId, int tickType, double size) {
      calls.add("tickSize " + tickerId + " " + tickType + " " + size);
    }

    @Override
    public void tickGeneric(int tickerId, int tickType, double value) {
      calls.add("tickGeneric " + tickerId + " " + tickType + " " + value);
    }

    @Override
    public void tickString(int tickerId, int tickType, String value) {
      calls.add("tickString " + tickerId + " " + tickType + " " + value);
    }

    @Override
    public void tickSnapshotEnd(int tickerId) {
      calls.add("tickSnapshotEnd " + tickerId);
    }

    @Override
    public void marketDataType(int tickerId, int type) {
      calls.add("marketDataType " + tickerId + " " + type);
    }

    @Override
    public void tickReqParams(int tickerId, double minTick, String bboExchange, int snapshotPermissions) {
      calls.add("tickReqParams " + tickerId + " " + minTick + " " + bboExchange + " " + snapshotPermissions);
    }

    @Override
    public void orderStatus(Inbound.OrderStatus msg) {
      orderStatus = msg;
    }

    @Override
    public boolean error(int id, int code, String text, String json) {
      calls.add("error " + id + " " + code + " " + text + " " + json);
      return true;
    }

    @Override
    public void openOrder(Inbound.OpenOrder msg) {
      openOrder = msg;
    }

    @Override
    public void openOrderEnd() {
      calls.add("openOrderEnd");
    }

    @Override
    public void nextValidId(int orderId) {
      calls.add("nextValidId " + orderId);
    }

    @Override
    public void managedAccounts(String accountsList) {
      calls.add("managedAccounts " + accountsList);
    }

    @Override
    public void currentTime(long epochSeconds) {
      calls.add("currentTime " + epochSeconds);
    }

    @Override
    public void contractData(Inbound.ContractData msg) {
      contractData = msg;
    }

    @Override
    public void contractDataEnd(int reqId) {
      calls.add("contractDataEnd " + reqId);
    }

    @Override
    public void execDetails(Inbound.ExecDetails msg) {
      execDetails = msg;
    }

    @Override
    public void execDetailsEnd(int reqId) {
      calls.add("execDetailsEnd " + reqId);
    }

    @Override
    public void commissionReport(Inbound.CommissionReport msg) {
      commission = msg;
    }

    @Override
    public void historicalData(Inbound.HistoricalData msg) {
      historical = msg;
    }

    @Override
    public void historicalDataUpdate(int reqId, int barCount, Inbound.HistoricalBar bar) {
      calls.add("historicalDataUpdate " + reqId + " " + barCount + " " + bar);
    }

    @Override
    public void position(Inbound.Position msg) {
      position = msg;
    }

    @Override
    public void positionEnd() {
      calls.add("positionEnd");
    }

    @Override
    public void accountSummary(Inbound.AccountSummary msg) {
      summary = msg;
    }

    @Override
    public void accountSummaryEnd(int reqId) {
      calls.add("accountSummaryEnd " + reqId);
    }

    @Override
    public void accountValue(String key, String value, String currency, String accountName) {
      calls.add("accountValue " + key + " " + value + " " + currency + " " + accountName);
    }

    @Override
    public void accountDownloadEnd(String accountName) {
      calls.add("accountDownloadEnd " + accountName);
    }
  }
}
