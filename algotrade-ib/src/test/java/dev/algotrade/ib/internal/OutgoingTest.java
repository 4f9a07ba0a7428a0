package dev.algotrade.ib.internal;

import static dev.algotrade.ib.Wire.payloadOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact outgoing frames. Every expected payload is written by hand from ib-protocol.md
 * (§1.2, §1.4, §3) in the notes' own notation (each field followed by {@code |}), never produced
 * by our encoder.
 */
class OutgoingTest {

  private static final IbContract AAPL = IbContract.of("AAPL", "STK", "SMART", "USD");

  @Test
  void handshakeIsApiNulLengthAndRange() {
    byte[] expected = {'A', 'P', 'I', 0, 0, 0, 0, 9, 'v', '1', '5', '7', '.', '.', '1', '7', '8'};
    assertThat(Outgoing.handshake()).containsExactly(expected);
  }

  @Test
  void startApi() {
    byte[] f = Outgoing.startApi(7);
    // length prefix 00 00 00 08 for the 8 bytes "71\0" "2\0" "7\0" "\0"
    assertThat(f).startsWith(new byte[] {0, 0, 0, 8});
    assertThat(payloadOf(f)).isEqualTo("71|2|7||");
  }

  @Test
  void reqMktDataMatchesTheNotesExample() {
    // ib-protocol.md §3.1: 1|11|5|0|AAPL|STK||0.0|||SMART|NASDAQ|USD|||0||0|0|
    byte[] f = Outgoing.reqMktData(5, AAPL.withPrimaryExchange("NASDAQ"), "", false);
    assertThat(payloadOf(f)).isEqualTo("1|11|5|0|AAPL|STK||0.0|||SMART|NASDAQ|USD|||0||0|0||");
  }

  @Test
  void reqMktDataSnapshotWithConIdAndGenericTicks() {
    byte[] f = Outgoing.reqMktData(8, AAPL.withConId(265598), "233", true);
    assertThat(payloadOf(f)).isEqualTo("1|11|8|265598|AAPL|STK||0.0|||SMART||USD|||0|233|1|0||");
  }

  @Test
  void cancelMktData() {
    assertThat(payloadOf(Outgoing.cancelMktData(5))).isEqualTo("2|2|5|");
  }

  private static Outgoing.OrderFields order(String type, double lmt, double aux) {
    return new Outgoing.OrderFields("BUY", 100, type, lmt, aux, "DAY", "DU123456", "c-1", false);
  }

  /** Fields 23..114 for a plain order (ib-protocol.md §3.3), identical for the four types. */
  private static final String TAIL_23_TO_114 =
      "|DU123456||0|c-1|1|0|0|0|0|0|0|0|" // 23 ocaGroup .. 35 hidden
          + "|0|||||||0||-1|0|||0|||0|0||0|" // 36 sharesAllocation .. 56 auctionStrategy
          + "||||" + "|0|" // 57-61 startingPrice .. stockRangeUpper, 62 overridePercentageConstraints
          + "||||0|" // 63 volatility, 64 volatilityType, 65, 66 deltaNeutral*, 67 continuousUpdate
          + "|||||||||" // 68 referencePriceType .. 76 activeStopTime
          + "|0|||0|0|||0||0|0|0|" // 77 hedgeType .. 89 randomizePrice
          + "0||||||" + "|0|" // 90 conditions, 91 adjustedOrderType, 92-96, 97 adjustableTrailingUnit
          + "||||" // 98 extOperator, 99-100 softDollarTier, 101 cashQty
          + "||||" // 102-105 mifid2
          + "0|0|0|" // 106 dontUseAutoPriceForHedge, 107 isOmsContainer, 108 discretionaryUpToLimitPrice
          + "|||0|||"; // 109 usePriceMgmtAlgo, 110 duration, 111 postToAts, 112 autoCancelParent, 113, 114

  @Test
  void placeOrderLimitIs114Fields() {
    String expected = "3|12|" // 1 id, 2 orderId
        + "0|AAPL|STK||0.0|||SMART||USD|||" // 3-14 contract block
        + "||" // 15 secIdType, 16 secId
        + "BUY|100|LMT|150.25||DAY|" // 17 action .. 22 tif
        + TAIL_23_TO_114;
    String actual = payloadOf(Outgoing.placeOrder(12, AAPL, order("LMT", 150.25, Double.NaN)));
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.chars().filter(c -> c == '|').count()).isEqualTo(114);
  }

  @Test
  void placeOrderMarketStopAndStopLimit() {
    String head = "3|12|0|AAPL|STK||0.0|||SMART||USD|||||BUY|100|";
    assertThat(payloadOf(Outgoing.placeOrder(12, AAPL, order("MKT", Double.NaN, Double.NaN))))
        .isEqualTo(head + "MKT|||DAY|" + TAIL_23_TO_114);
    assertThat(payloadOf(Outgoing.placeOrder(12, AAPL, order("STP", Double.NaN, 140.5))))
        .isEqualTo(head + "STP||140.5|DAY|" + TAIL_23_TO_114);
    assertThat(payloadOf(Outgoing.placeOrder(12, AAPL, order("STP LMT", 139.0, 140.5))))
        .isEqualTo(head + "STP LMT|139.0|140.5|DAY|" + TAIL_23_TO_114);
  }

  @Test
  void placeOrderSellGtcFractionalQuantity() {
    Outgoing.OrderFields o = new Outgoing.OrderFields("SELL", 0.5, "LMT", 2500.75, Double.NaN, "GTC", "", "x", false);
    String actual = payloadOf(Outgoing.placeOrder(3, IbContract.of("ES", "FUT", "CME", "USD"), o));
    assertThat(actual).startsWith("3|3|0|ES|FUT||0.0|||CME||USD|||||SELL|0.5|LMT|2500.75||GTC||||0|x|1|");
  }

  @Test
  void cancelOrder() {
    // ib-protocol.md §3.4, verified form 4|1|11| plus the empty manualOrderCancelTime
    assertThat(payloadOf(Outgoing.cancelOrder(11))).isEqualTo("4|1|11||");
  }

  @Test
  void simpleRequests() {
    assertThat(payloadOf(Outgoing.reqOpenOrders())).isEqualTo("5|1|");
    assertThat(payloadOf(Outgoing.reqAllOpenOrders())).isEqualTo("16|1|");
    assertThat(payloadOf(Outgoing.reqIds())).isEqualTo("8|1|1|");
    assertThat(payloadOf(Outgoing.reqCurrentTime())).isEqualTo("49|1|");
    assertThat(payloadOf(Outgoing.reqGlobalCancel())).isEqualTo("58|1|");
    assertThat(payloadOf(Outgoing.reqMarketDataType(3))).isEqualTo("59|1|3|");
    assertThat(payloadOf(Outgoing.reqPositions())).isEqualTo("61|1|");
    assertThat(payloadOf(Outgoing.cancelPositions())).isEqualTo("64|1|");
    assertThat(payloadOf(Outgoing.cancelHistoricalData(9))).isEqualTo("25|1|9|");
    assertThat(payloadOf(Outgoing.cancelAccountSummary(4))).isEqualTo("63|1|4|");
  }

  @Test
  void reqExecutions() {
    assertThat(payloadOf(Outgoing.reqExecutions(4, "DU123456", "20240102-05:00:00")))
        .isEqualTo("7|3|4|0|DU123456|20240102-05:00:00|||||");
    assertThat(payloadOf(Outgoing.reqExecutions(4, "", ""))).isEqualTo("7|3|4|0|||||||");
  }

  @Test
  void reqContractDetailsIs19Fields() {
    String actual = payloadOf(Outgoing.reqContractDetails(3, AAPL));
    assertThat(actual).isEqualTo("9|8|3|0|AAPL|STK||0.0|||SMART||USD|||0||||");
    assertThat(actual.chars().filter(c -> c == '|').count()).isEqualTo(19);
  }

  @Test
  void reqHistoricalDataIs23FieldsWithBarSizeBeforeDuration() {
    String actual = payloadOf(Outgoing.reqHistoricalData(6, AAPL, "20240105-21:00:00", "1 min", "1 D", true,
        "TRADES", 2, false));
    assertThat(actual).isEqualTo("20|6|0|AAPL|STK||0.0|||SMART||USD|||0|20240105-21:00:00|1 min|1 D|1|TRADES|2|0||");
    assertThat(actual.chars().filter(c -> c == '|').count()).isEqualTo(23);
  }

  @Test
  void reqAccountSummary() {
    assertThat(payloadOf(Outgoing.reqAccountSummary(4, "All", "NetLiquidation,AvailableFunds")))
        .isEqualTo("62|1|4|All|NetLiquidation,AvailableFunds|");
  }

  @Test
  void doublesAreSentWithoutExponentAndNonAsciiIsRefused() {
    assertThat(FieldWriter.plain(1.0E-4)).isEqualTo("0.00010");
    assertThat(FieldWriter.plain(1.0E7)).isEqualTo("10000000");
    assertThat(FieldWriter.decimal(100.0)).isEqualTo("100");
    assertThatThrownBy(() -> new FieldWriter().add("caf\u00e9")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("printable ASCII");
    assertThat(new String(Outgoing.handshake(), StandardCharsets.US_ASCII)).endsWith("v157..178");
  }
}
