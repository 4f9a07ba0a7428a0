package dev.algotrade.ib.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.testkit.Await;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Byte-level conversations with the gateway over a real socket: requests written by hand from
 * the protocol notes (ib-protocol.md §1, §3), replies checked field by field against §4.
 */
class SimulatedGatewayWireTest {

  static final String UNSET = "1.7976931348623157E308";
  static final Instant T0 = Instant.parse("2026-03-02T15:30:00Z");
  static final String T0_TEXT = "20260302 15:30:00 UTC";

  SimulatedClock clock;
  SimulatedGateway gw;

  @BeforeEach
  void start() {
    clock = new SimulatedClock(T0);
    gw = SimulatedGateway.builder()
        .port(0)
        .account("DU123456")
        .startingCash(1_000_000)
        .commissionPerShare(0.005)
        .minCommission(1.0)
        .instrument("AAPL", 265598, 0.01, 190.01)
        .instrument("MSFT", 272093, 0.01, 420.0)
        .market(ScriptedMarket.builder().quote("AAPL", 190.00, 190.02, 300, 200).build())
        .clock(clock)
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  /** placeOrder at 178 as tabulated in ib-protocol.md §3.3: exactly 114 fields. */
  static List<String> placeOrder(int orderId, String symbol, String action, String qty,
      String type, String lmt, String aux, String tif, String orderRef) {
    List<String> f = new ArrayList<>();
    f.addAll(List.of("3", Integer.toString(orderId)));
    f.addAll(List.of("0", symbol, "STK", "", "0.0", "", "", "SMART", "", "USD", "", "")); // 3-14
    f.addAll(List.of("", "")); // 15-16 secIdType, secId
    f.addAll(List.of(action, qty, type, lmt, aux, tif)); // 17-22
    f.addAll(List.of("", "", "", "0", orderRef, "1", "0", "0", "0", "0", "0", "0", "0")); // 23-35
    f.addAll(List.of("", "0", "", "", "", "", "", "", "0", "", "-1", "0", "", "")); // 36-49
    f.addAll(List.of("0", "", "", "0", "0", "", "0", "", "", "", "", "", "0")); // 50-62
    f.addAll(List.of("", "", "", "", "0", "", "", "", "", "", "", "", "", "", "")); // 63-77
    f.addAll(List.of("0", "", "", "0", "0", "", "", "0", "", "0", "0", "0", "0")); // 78-90
    f.addAll(List.of("", "", "", "", "", "", "0", "", "", "", "", "", "", "", "")); // 91-105
    f.addAll(List.of("0", "0", "0", "", "", "", "0", "", "")); // 106-114
    assertThat(f).hasSize(114);
    return f;
  }

  @Test
  void handshakeNegotiatesMinOfClientMaxAnd178AndSendsTime() throws IOException {
    try (RawClient c = RawClient.connect(gw.port())) {
      c.writeBytes(new byte[] {'A', 'P', 'I', 0, 0, 0, 0, 9,
          'v', '1', '5', '7', '.', '.', '1', '7', '8'});
      c.expect("178|" + T0_TEXT + "|");
    }
    try (RawClient c = RawClient.connect(gw.port())) {
      c.hello("v100..193 +PACEAPI");
      c.expect("178|" + T0_TEXT + "|");
    }
    try (RawClient c = RawClient.connect(gw.port())) {
      c.hello("v177");
      c.expect("177|" + T0_TEXT + "|");
    }
  }

  @Test
  void handshakeOutsideTheSupportedRangeIsClosed() throws IOException {
    try (RawClient c = RawClient.connect(gw.port())) {
      c.hello("v179..200");
      assertThat(c.closedByPeer()).isTrue();
    }
    try (RawClient c = RawClient.connect(gw.port())) {
      c.hello("v100..150");
      assertThat(c.closedByPeer()).isTrue();
    }
    try (RawClient c = RawClient.connect(gw.port())) {
      c.writeBytes("GET / HTTP/1.1\r\n\r\n".getBytes());
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void startApiIsAnsweredWithAccountsNextIdAndFarmNotices() throws IOException {
    try (RawClient c = RawClient.connect(gw.port())) {
      c.hello("v157..178");
      c.read();
      c.writeBytes(new byte[] {0, 0, 0, 8, '7', '1', 0, '2', 0, '7', 0, 0});
      c.expect("15|1|DU123456|");
      c.expect("9|1|1|");
      c.expect("4|2|-1|2104|Market data farm connection is OK:usfarm||");
      c.expect("4|2|-1|2106|HMDS data farm connection is OK:ushmds||");
      c.expect("4|2|-1|2158|Sec-def data farm connection is OK:secdefnj||");
      Await.until("client 7 registered", () -> gw.connectedClientIds().contains(7));
    }
  }

  @Test
  void secondConnectionWithAClientIdInUseGets326AndIsClosed() throws IOException {
    try (RawClient first = RawClient.started(gw.port(), 7);
        RawClient second = RawClient.connect(gw.port())) {
      second.hello("v157..178");
      second.read();
      second.send("71|2|7||");
      second.expect("4|2|-1|326|Unable to connect as the client id is already in use. Retry"
          + " with a unique client id.||");
      assertThat(second.closedByPeer()).isTrue();
      first.send("49|1|");
      first.expect("49|1|" + T0.getEpochSecond() + "|");
    }
  }

  @Test
  void contractDetailsResolveBySymbolAndByConId() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.send("9|8|3|0|AAPL|STK||0.0|||SMART||USD|||0|||");
      List<String> cd = c.read();
      assertThat(cd).hasSize(40);
      assertThat(cd.subList(0, 14)).containsExactly("10", "3", "AAPL", "STK", "", "0", "",
          "SMART", "USD", "AAPL", "NMS", "NMS", "265598", "0.01");
      assertThat(cd.get(19)).isEqualTo("AAPL INC"); // longName
      assertThat(cd.get(20)).isEqualTo("NASDAQ"); // primaryExchange
      assertThat(cd.get(25)).isEqualTo("US/Eastern"); // timeZoneId
      assertThat(cd.get(30)).isEqualTo("0"); // secIdList count
      assertThat(cd.subList(37, 40)).containsExactly("1", "1", "100"); // min/increment sizes
      c.expect("52|1|3|");

      c.send("9|8|4|272093||||0.0||||||||0|||");
      assertThat(c.read().subList(0, 3)).containsExactly("10", "4", "MSFT");
      c.expect("52|1|4|");

      c.send("9|8|5|0|ZZZZ|STK||0.0|||SMART||USD|||0|||");
      c.expect("4|2|5|200|No security definition has been found for the request||");
    }
  }

  @Test
  void marketDataStreamsBidAskAndUpdates() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.send("1|11|5|0|AAPL|STK||0.0|||SMART|NASDAQ|USD|||0||0|0||");
      c.expect("58|1|5|1|");
      c.expect("81|5|0.01|9c0001|3|");
      c.expect("1|6|5|1|190|300|1|");
      c.expect("1|6|5|2|190.02|200|1|");
      c.expect("2|6|5|8|0|");
      c.expect("1|6|5|9|190.01|0|0|");
      gw.setQuote("AAPL", 190.01, 190.02, 300, 500);
      c.expect("1|6|5|1|190.01|300|1|");
      c.expect("2|6|5|3|500|");
      c.send("2|2|5|");
      c.send("49|1|"); // a barrier: the cancel is processed before this
      c.expect("49|1|" + T0.getEpochSecond() + "|");
      gw.setQuote("AAPL", 190.03, 190.04, 300, 500);
      c.expectSilence(200);
    }
  }

  @Test
  void snapshotAndDelayedMarketData() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.send("1|11|6|265598||||0.0||||||||0||1|0||");
      c.expect("58|1|6|1|");
      c.expect("81|6|0.01|9c0001|3|");
      c.expect("1|6|6|1|190|300|1|");
      c.expect("1|6|6|2|190.02|200|1|");
      c.expect("2|6|6|8|0|");
      c.expect("1|6|6|9|190.01|0|0|");
      c.expect("57|1|6|");

      c.send("59|1|3|");
      c.send("1|11|7|0|AAPL|STK||0.0|||SMART||USD|||0||0|0||");
      c.expect("58|1|7|3|");
      c.expect("81|7|0.01|9c0001|3|");
      c.expect("1|6|7|66|190|300|1|");
      c.expect("1|6|7|67|190.02|200|1|");
      c.expect("2|6|7|74|0|");
      c.expect("1|6|7|75|190.01|0|0|");
      gw.setQuote("AAPL", 189.99, 190.02, 300, 200);
      c.expect("1|6|7|66|189.99|300|1|");

      c.send("1|11|8|0|NOPE|STK||0.0|||SMART||USD|||0||0|0||");
      c.expect("4|2|8|200|No security definition has been found for the request||");
    }
  }

  @Test
  void marketOrderIsAcknowledgedFilledAndCharged() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(1, "AAPL", "BUY", "100", "MKT", "", "", "DAY", "my-ref-1"));
      List<String> open = c.read();
      assertThat(open).hasSize(127);
      assertThat(open.subList(0, 27)).containsExactly("5", "1", "265598", "AAPL", "STK", "", "0",
          "", "", "SMART", "USD", "AAPL", "NMS", "BUY", "100", "MKT", UNSET, UNSET, "DAY", "",
          "DU123456", "", "0", "my-ref-1", "7", "1000001", "0");
      assertThat(open.get(85)).isEqualTo("Submitted");
      assertThat(open.get(95)).isEqualTo(UNSET); // commission unset in orderState
      c.expect("3|1|Submitted|0|100|0|1000001|0|0|7||0|");

      List<String> exec = c.read();
      assertThat(exec).hasSize(32);
      String execId = exec.get(14);
      assertThat(execId).matches("[0-9a-f]{8}\\.[0-9a-f]{8}\\.01\\.01");
      assertThat(exec).containsExactly("11", "-1", "1", "265598", "AAPL", "STK", "", "0", "", "",
          "SMART", "USD", "AAPL", "NMS", execId, T0_TEXT, "DU123456", "NASDAQ", "BOT", "100",
          "190.02", "1000001", "7", "0", "100", "190.02", "my-ref-1", "", "", "", "2", "0");
      c.expect("3|1|Filled|100|0|190.02|1000001|0|190.02|7||0|");
      c.expect("59|1|" + execId + "|1|USD|" + UNSET + "|" + UNSET + "|0|");
    }
    assertThat(gw.fills()).singleElement().satisfies(f -> {
      assertThat(f.shares()).isEqualTo(100);
      assertThat(f.commission()).isEqualTo(1.0);
    });
    assertThat(gw.orders()).singleElement()
        .satisfies(o -> assertThat(o.status()).isEqualTo("Filled"));
    assertThat(gw.cash()).isEqualTo(1_000_000 - 19_002 - 1.0);
  }

  @Test
  void limitOrderRestsUntilCancelled() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(3, "AAPL", "BUY", "100", "LMT", "189.5", "", "GTC", "r3"));
      List<String> open = c.read();
      assertThat(open.subList(13, 19)).containsExactly("BUY", "100", "LMT", "189.5", UNSET,
          "GTC");
      c.expect("3|3|Submitted|0|100|0|1000001|0|0|7||0|");
      gw.setQuote("AAPL", 189.40, 189.60, 300, 200);
      c.send("5|1|");
      assertThat(c.read().get(1)).isEqualTo("3");
      c.expect("3|3|Submitted|0|100|0|1000001|0|0|7||0|");
      c.expect("53|1|");

      c.send("4|1|3||");
      c.expect("3|3|Cancelled|0|100|0|1000001|0|0|7||0|");
      c.expect("4|2|3|202|Order Canceled - reason:||");
      c.send("4|1|3||");
      c.expect("4|2|3|10148|OrderId 3 that needs to be cancelled cannot be cancelled, state:"
          + " Cancelled.||");
      c.send("4|1|99||");
      c.expect("4|2|99|10147|OrderId 99 that needs to be cancelled is not found.||");
    }
    assertThat(gw.fills()).isEmpty();
  }

  @Test
  void limitOrderFillsWhenTheMarketCrosses() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(4, "AAPL", "SELL", "100", "LMT", "190.5", "", "DAY", ""));
      c.readUntil("3");
      gw.setQuote("AAPL", 190.60, 190.62, 300, 200);
      List<String> exec = c.readUntil("11");
      assertThat(exec.subList(18, 21)).containsExactly("SLD", "100", "190.6");
      assertThat(exec.get(30)).isEqualTo("1"); // lastLiquidity
      c.expect("3|4|Filled|100|0|190.6|1000001|0|190.6|7||0|");
      c.readUntil("59");
    }
    assertThat(gw.positions()).singleElement()
        .satisfies(p -> assertThat(p.quantity()).isEqualTo(-100));
  }

  @Test
  void stopOrderIsHeldThenTriggers() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(5, "AAPL", "BUY", "100", "STP", "", "190.5", "DAY", ""));
      assertThat(c.read().get(85)).isEqualTo("PreSubmitted");
      c.expect("3|5|PreSubmitted|0|100|0|1000001|0|0|7||0|");
      gw.setQuote("AAPL", 190.48, 190.50, 300, 200);
      c.expect("3|5|Submitted|0|100|0|1000001|0|0|7||0|");
      assertThat(c.read().subList(18, 21)).containsExactly("BOT", "100", "190.5");
      c.expect("3|5|Filled|100|0|190.5|1000001|0|190.5|7||0|");
    }
  }

  @Test
  void marketOrderFillsAtMostTheDisplayedSizeAndWaitsForTheNextQuote() throws IOException {
    gw.setQuote("AAPL", 190.00, 190.02, 300, 30);
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(1, "AAPL", "BUY", "50", "MKT", "", "", "DAY", ""));
      c.readUntil("5");
      c.expect("3|1|Submitted|0|50|0|1000001|0|0|7||0|");
      List<String> exec1 = c.read();
      assertThat(exec1.subList(18, 21)).containsExactly("BOT", "30", "190.02");
      c.expect("3|1|Submitted|30|20|190.02|1000001|0|190.02|7||0|");
      c.expect("59|1|" + exec1.get(14) + "|1|USD|" + UNSET + "|" + UNSET + "|0|");
      c.expectSilence(100);
      gw.setQuote("AAPL", 190.00, 190.04, 300, 100);
      List<String> exec2 = c.read();
      assertThat(exec2.get(14)).isNotEqualTo(exec1.get(14));
      assertThat(exec2.subList(18, 21)).containsExactly("BOT", "20", "190.04");
      assertThat(exec2.subList(24, 26)).containsExactly("50", "190.028");
      c.expect("3|1|Filled|50|0|190.028|1000001|0|190.04|7||0|");
      c.expect("59|1|" + exec2.get(14) + "|0|USD|" + UNSET + "|" + UNSET + "|0|");
    }
    assertThat(gw.fills()).hasSize(2);
  }

  @Test
  void iocRemainderIsCancelled() throws IOException {
    gw.setQuote("AAPL", 190.00, 190.02, 300, 40);
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(1, "AAPL", "BUY", "100", "MKT", "", "", "IOC", ""));
      c.readUntil("11");
      c.expect("3|1|Submitted|40|60|190.02|1000001|0|190.02|7||0|");
      c.readUntil("59");
      c.expect("3|1|Cancelled|40|60|190.02|1000001|0|0|7||0|");
      c.expect("4|2|1|202|Order Canceled - reason:IOC order not filled immediately||");
    }
  }

  @Test
  void rejectFaultSends201AndCancelledStatus() throws IOException {
    gw.faults().rejectNextOrder(201, "Order rejected - reason:Insufficient margin");
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(1, "AAPL", "BUY", "100", "MKT", "", "", "DAY", ""));
      c.expect("4|2|1|201|Order rejected - reason:Insufficient margin||");
      c.expect("3|1|Cancelled|0|100|0|1000001|0|0|7||0|");
      // the fault is one-shot
      c.sendFields(placeOrder(2, "AAPL", "BUY", "1", "MKT", "", "", "DAY", ""));
      assertThat(c.read().get(0)).isEqualTo("5");
    }
    assertThat(gw.fills()).singleElement().satisfies(f -> assertThat(f.orderId()).isEqualTo(2));
  }

  @Test
  void invalidOrdersAreRefused() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(1, "AAPL", "BUY", "100", "LMT", "190.005", "", "DAY", ""));
      c.expect("4|2|1|110|The price does not conform to the minimum price variation for this"
          + " contract.||");
      c.readUntil("3");
      c.sendFields(placeOrder(1, "AAPL", "BUY", "100", "MKT", "", "", "DAY", ""));
      c.expect("4|2|1|103|Duplicate order id||");
      c.sendFields(placeOrder(2, "NOPE", "BUY", "100", "MKT", "", "", "DAY", ""));
      c.expect("4|2|2|200|No security definition has been found for the request||");
      c.sendFields(placeOrder(3, "AAPL", "BUY", "100", "TRAIL", "", "", "DAY", ""));
      c.expect("4|2|3|201|Order rejected - reason:Unsupported order type TRAIL||");
      c.readUntil("3");
      c.send("8|1|1|");
      c.expect("9|1|4|");
    }
  }

  @Test
  void positionsAndAccountSummaryReflectFills() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.send("62|1|9|All|NetLiquidation,GrossPositionValue,AvailableFunds,TotalCashValue|");
      c.expect("63|1|9|DU123456|NetLiquidation|1000000.00|USD|");
      c.expect("63|1|9|DU123456|GrossPositionValue|0.00|USD|");
      c.expect("63|1|9|DU123456|AvailableFunds|1000000.00|USD|");
      c.expect("63|1|9|DU123456|TotalCashValue|1000000.00|USD|");
      c.expect("64|1|9|");
      c.send("61|1|");
      c.expect("62|1|");

      c.sendFields(placeOrder(1, "AAPL", "BUY", "100", "MKT", "", "", "DAY", ""));
      c.readUntil("59");
      // the position and account summary subscriptions deliver the change
      c.expect("61|3|DU123456|265598|AAPL|STK||0|||NASDAQ|USD|AAPL|NMS|100|190.03|");
      c.expect("63|1|9|DU123456|NetLiquidation|999998.00|USD|");
      c.expect("63|1|9|DU123456|GrossPositionValue|19001.00|USD|");
      c.expect("63|1|9|DU123456|AvailableFunds|995247.75|USD|");
      c.expect("63|1|9|DU123456|TotalCashValue|980997.00|USD|");
      c.send("63|1|9|");
      c.send("61|1|");
      c.expect("61|3|DU123456|265598|AAPL|STK||0|||NASDAQ|USD|AAPL|NMS|100|190.03|");
      c.expect("62|1|");
      // mark = mid 190.01; cash = 1e6 - 19002 - 1
      c.send("62|1|10|All|NetLiquidation,GrossPositionValue,AvailableFunds,TotalCashValue|");
      c.expect("63|1|10|DU123456|NetLiquidation|999998.00|USD|");
      c.expect("63|1|10|DU123456|GrossPositionValue|19001.00|USD|");
      c.expect("63|1|10|DU123456|AvailableFunds|995247.75|USD|");
      c.expect("63|1|10|DU123456|TotalCashValue|980997.00|USD|");
      c.expect("64|1|10|");
    }
  }

  @Test
  void executionsAreReplayedWithCommissionReports() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(1, "AAPL", "BUY", "100", "MKT", "", "", "DAY", "ref-x"));
      List<String> live = c.readUntil("11");
      c.readUntil("59");
      c.send("7|3|11|0|||||||");
      List<String> replay = c.read();
      List<String> expected = new ArrayList<>(live);
      expected.set(1, "11");
      assertThat(replay).isEqualTo(expected);
      c.expect("59|1|" + live.get(14) + "|1|USD|" + UNSET + "|" + UNSET + "|0|");
      c.expect("55|1|11|");
      c.send("7|3|12|0|||MSFT||||");
      c.expect("55|1|12|");
    }
  }

  @Test
  void currentTimeIdsAndUnknownRequests() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 2)) {
      c.send("49|1|");
      c.expect("49|1|1772465400|");
      c.send("8|1|1|");
      c.expect("9|1|1|");
      c.send("12345|1|");
      List<String> err = c.read();
      assertThat(err.subList(0, 4)).containsExactly("4", "2", "-1", "321");
      c.send("17|1|");
      c.expect("15|1|DU123456|");
      c.send("49|1|");
      c.expect("49|1|1772465400|");
    }
  }

  @Test
  void oversizedFrameClosesOnlyThatConnection() throws IOException {
    try (RawClient bad = RawClient.started(gw.port(), 3)) {
      bad.writeBytes(new byte[] {0x7f, 0, 0, 0});
      assertThat(bad.closedByPeer()).isTrue();
    }
    try (RawClient c = RawClient.started(gw.port(), 3)) {
      c.send("49|1|");
      c.expect("49|1|1772465400|");
    }
  }

  @Test
  void historicalBarsAreReturnedInOneMessage() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.send("20|4|0|AAPL|STK||0.0|||SMART||USD|||0|20260302 15:30:00 UTC|1 min|1800 S|1"
          + "|MIDPOINT|1|0||");
      List<String> h = c.read();
      assertThat(h.subList(0, 5)).containsExactly("17", "4", "20260302 15:00:00 UTC",
          "20260302 15:30:00 UTC", "30");
      assertThat(h).hasSize(5 + 30 * 8);
      assertThat(h.get(5)).isEqualTo("20260302 15:00:00 UTC");
      assertThat(h.get(5 + 29 * 8)).isEqualTo("20260302 15:29:00 UTC");
      for (int k = 0; k < 30; k++) {
        double open = Double.parseDouble(h.get(6 + k * 8));
        double high = Double.parseDouble(h.get(7 + k * 8));
        double low = Double.parseDouble(h.get(8 + k * 8));
        double close = Double.parseDouble(h.get(9 + k * 8));
        assertThat(high).isGreaterThanOrEqualTo(Math.max(open, close));
        assertThat(low).isLessThanOrEqualTo(Math.min(open, close));
      }
      c.send("20|5|0|AAPL|STK||0.0|||SMART||USD|||0||1 fortnight|1 D|1|TRADES|1|0||");
      assertThat(c.read().subList(0, 4)).containsExactly("4", "2", "5", "162");
    }
  }

  @Test
  void openOrdersAreDownloadedOnReconnectAndGlobalCancelCancelsThem() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(10, "AAPL", "BUY", "100", "LMT", "180", "", "GTC", "keep"));
      c.readUntil("3");
    }
    Await.until("client 7 gone", () -> gw.connectedClientIds().isEmpty());
    try (RawClient c = RawClient.connect(gw.port())) {
      c.hello("v157..178");
      c.read();
      c.send("71|2|7||");
      c.expect("15|1|DU123456|");
      c.expect("9|1|11|");
      c.read();
      c.read();
      c.read();
      List<String> open = c.read();
      assertThat(open.get(0)).isEqualTo("5");
      assertThat(open.get(23)).isEqualTo("keep");
      c.expect("3|10|Submitted|0|100|0|1000001|0|0|7||0|");
      c.send("58|1|");
      c.expect("3|10|Cancelled|0|100|0|1000001|0|0|7||0|");
      c.expect("4|2|10|202|Order Canceled - reason:||");
    }
  }

  @Test
  void roundTripReportsRealizedPnlAndAFlatPosition() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.send("61|1|");
      c.expect("62|1|");
      c.sendFields(placeOrder(1, "AAPL", "BUY", "100", "MKT", "", "", "DAY", ""));
      c.readUntil("59");
      c.readUntil("61");
      gw.setQuote("AAPL", 191.00, 191.02, 300, 200);
      c.sendFields(placeOrder(2, "AAPL", "SELL", "100", "MKT", "", "", "DAY", ""));
      List<String> exec = c.readUntil("11");
      assertThat(exec.subList(18, 21)).containsExactly("SLD", "100", "191");
      c.expect("3|2|Filled|100|0|191|1000002|0|191|7||0|");
      // bought at 190.02 + 1.00 commission, sold at 191 - 1.00: 100 * 0.98 - 1 - 1 = 96
      c.expect("59|1|" + exec.get(14) + "|1|USD|96|" + UNSET + "|0|");
      c.expect("61|3|DU123456|265598|AAPL|STK||0|||NASDAQ|USD|AAPL|NMS|0|0|");
    }
    assertThat(gw.positions()).singleElement().satisfies(p -> {
      assertThat(p.quantity()).isZero();
      assertThat(p.realizedPnl()).isEqualTo(96.0);
    });
    assertThat(gw.cash()).isEqualTo(1_000_000 - 19_002 - 1 + 19_100 - 1);
  }

  @Test
  void workingOrderIsModifiedByResendingItsId() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(1, "AAPL", "BUY", "100", "LMT", "180", "", "GTC", "m"));
      c.readUntil("3");
      c.sendFields(placeOrder(1, "AAPL", "BUY", "50", "LMT", "190.05", "", "GTC", "m"));
      List<String> open = c.read();
      assertThat(open.subList(13, 18)).containsExactly("BUY", "50", "LMT", "190.05", UNSET);
      c.expect("3|1|Submitted|0|50|0|1000001|0|0|7||0|");
      assertThat(c.read().subList(18, 21)).containsExactly("BOT", "50", "190.02");
    }
  }

  @Test
  void accountUpdatesDownloadValuesPortfolioAndEnd() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(1, "AAPL", "BUY", "100", "MKT", "", "", "DAY", ""));
      c.readUntil("59");
      c.send("6|2|1|DU123456|");
      c.expect("6|2|AccountCode|DU123456||DU123456|");
      c.expect("6|2|AccountType|INDIVIDUAL||DU123456|");
      c.expect("6|2|NetLiquidation|999998.00|USD|DU123456|");
      List<String> f = c.readUntil("7");
      assertThat(f).containsExactly("7", "8", "265598", "AAPL", "STK", "", "0", "", "",
          "NASDAQ", "USD", "AAPL", "NMS", "100", "190.01", "19001", "190.03", "-2", "0",
          "DU123456");
      c.expect("8|1|15:30|");
      c.expect("54|1|DU123456|");
      c.send("99|0|");
      c.expect("102|");
    }
  }

  @Test
  void eachClientSeesOnlyItsOwnOrderEventsButAllOpenOrdersListsEveryone() throws IOException {
    try (RawClient a = RawClient.started(gw.port(), 1);
        RawClient b = RawClient.started(gw.port(), 2)) {
      a.sendFields(placeOrder(1, "AAPL", "BUY", "10", "LMT", "180", "", "GTC", "from-a"));
      a.readUntil("3");
      b.send("5|1|");
      b.expect("53|1|"); // reqOpenOrders: this client's orders only
      b.send("16|1|");
      List<String> open = b.read(); // reqAllOpenOrders: everyone's
      assertThat(open.get(1)).isEqualTo("1");
      assertThat(open.get(24)).isEqualTo("1"); // clientId
      b.readUntil("53");
      b.send("4|1|1||");
      b.expect("4|2|1|10147|OrderId 1 that needs to be cancelled is not found.||");
      b.send("8|1|1|");
      b.expect("9|1|1|"); // order ids are per client id
    }
  }

  @Test
  void modifyingDownToTheFilledQuantityCompletesTheOrder() throws IOException {
    gw.setQuote("AAPL", 190.00, 190.02, 300, 30);
    try (RawClient c = RawClient.started(gw.port(), 7)) {
      c.sendFields(placeOrder(1, "AAPL", "BUY", "100", "LMT", "190.02", "", "DAY", ""));
      c.readUntil("59"); // 30 filled, 70 resting
      c.sendFields(placeOrder(1, "AAPL", "BUY", "30", "LMT", "190.02", "", "DAY", ""));
      assertThat(c.read().get(85)).isEqualTo("Filled");
      c.expect("3|1|Filled|30|0|190.02|1000001|0|0|7||0|");
      c.sendFields(placeOrder(2, "AAPL", "BUY", "abc", "MKT", "", "", "DAY", ""));
      c.expect("4|2|2|201|Order rejected - reason:The order quantity must be positive||");
      c.expect("3|2|Cancelled|0|0|0|1000002|0|0|7||0|");
    }
  }

  @Test
  void randomWalkTicksOnItsOwnThread() throws IOException {
    try (SimulatedGateway auto = SimulatedGateway.builder().instrument("AAPL", 1, 0.01, 50)
        .market(RandomWalkMarket.seeded(7, 0.01)).quoteInterval(java.time.Duration.ofMillis(5))
        .build().start();
        RawClient c = RawClient.started(auto.port(), 1)) {
      c.send("1|11|1|1||||0.0||||||||0||0|0||");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        List<String> f = c.read();
        if (f.get(0).equals("1") || f.get(0).equals("2")) {
          ids.add(f.get(3));
        }
      }
      assertThat(ids).contains("1", "2");
      assertThat(Arrays.asList("0", "1", "2", "3", "8", "9")).containsAll(ids);
    }
  }
}
