package dev.algotrade.ib.testkit;

import static dev.algotrade.ib.testkit.SimulatedGatewayWireTest.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.testkit.Await;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault of {@link Faults}, seen from a raw client over a real socket. */
class SimulatedGatewayFaultTest {

  SimulatedGateway gw;

  @BeforeEach
  void start() {
    gw = SimulatedGateway.builder()
        .instrument("AAPL", 265598, 0.01, 190.01)
        .market(ScriptedMarket.builder().quote("AAPL", 190.00, 190.02, 300, 200).build())
        .clock(new SimulatedClock(Instant.parse("2026-03-02T15:30:00Z")))
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  private static List<String> buy(int id, String qty) {
    return placeOrder(id, "AAPL", "BUY", qty, "MKT", "", "", "DAY", "");
  }

  @Test
  void duplicateExecDetailsRepeatsTheSameExecution() throws IOException {
    gw.faults().duplicateNextExecDetails();
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(buy(1, "100"));
      c.readUntil("5");
      c.readUntil("3");
      List<String> first = c.read();
      List<String> second = c.read();
      assertThat(first.get(0)).isEqualTo("11");
      assertThat(second).isEqualTo(first);
      assertThat(c.read().subList(0, 3)).containsExactly("3", "1", "Filled");
      assertThat(c.read().get(0)).isEqualTo("59");
    }
    assertThat(gw.fills()).hasSize(1);
  }

  @Test
  void aGatewayStartedLaterHandsOutOtherExecutionIds() throws IOException {
    // a gateway restarted as a new process must not repeat ids a connected client already booked
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(buy(1, "100"));
      c.readUntil("59");
    }
    SimulatedGateway later = SimulatedGateway.builder()
        .instrument("AAPL", 265598, 0.01, 190.01)
        .market(ScriptedMarket.builder().quote("AAPL", 190.00, 190.02, 300, 200).build())
        .clock(new SimulatedClock(Instant.parse("2026-03-02T15:31:00Z")))
        .build()
        .start();
    try (later; RawClient c = RawClient.started(later.port(), 1)) {
      c.sendFields(buy(1, "100"));
      c.readUntil("59");
    }
    assertThat(gw.fills()).hasSize(1);
    assertThat(later.fills()).hasSize(1);
    assertThat(later.fills().get(0).execId()).isNotEqualTo(gw.fills().get(0).execId());
  }

  @Test
  void correctionSendsASecondExecIdWithSuffix02() throws IOException {
    gw.faults().correctNextFill();
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(buy(1, "100"));
      String execId = c.readUntil("11").get(14);
      c.readUntil("59");
      String corrected = c.read().get(14);
      assertThat(corrected).isEqualTo(execId.substring(0, execId.length() - 2) + "02");
      assertThat(c.read().subList(0, 4)).containsExactly("59", "1", corrected, "0");
    }
  }

  @Test
  void statusBeforeOpenOrderSwapsTheAck() throws IOException {
    gw.faults().statusBeforeOpenOrder();
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(buy(1, "100"));
      assertThat(c.read().subList(0, 3)).containsExactly("3", "1", "Submitted");
      assertThat(c.read().get(0)).isEqualTo("5");
      assertThat(c.read().get(0)).isEqualTo("11");
    }
  }

  @Test
  void duplicateOrderStatusRepeatsTheFillStatus() throws IOException {
    gw.faults().duplicateNextOrderStatus();
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(buy(1, "100"));
      c.readUntil("11");
      List<String> s1 = c.read();
      assertThat(c.read()).isEqualTo(s1);
      assertThat(c.read().get(0)).isEqualTo("59");
    }
  }

  @Test
  void maxFillSizeSplitsAnOrderIntoSeveralExecutions() throws IOException {
    gw.faults().maxFillSize(40);
    gw.setQuote("AAPL", 190.00, 190.02, 300, 1000);
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(buy(1, "100"));
      assertThat(c.readUntil("11").get(19)).isEqualTo("40");
      gw.market().step();
      assertThat(c.readUntil("11").get(19)).isEqualTo("40");
      gw.market().step();
      assertThat(c.readUntil("11").get(19)).isEqualTo("20");
      assertThat(c.read().subList(0, 3)).containsExactly("3", "1", "Filled");
    }
  }

  @Test
  void dropBetweenAckAndFillLeavesTheFillOnTheServer() throws IOException {
    gw.faults().dropConnectionAt(FaultPoint.BETWEEN_ACK_AND_FILL);
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(buy(1, "100"));
      assertThat(c.read().get(0)).isEqualTo("5");
      assertThat(c.read().subList(0, 3)).containsExactly("3", "1", "Submitted");
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(gw.fills()).hasSize(1);
    assertThat(gw.orders().get(0).status()).isEqualTo("Filled");
    // after reconnecting, the client learns of the fill through reqExecutions
    Await.until("client 1 released", () -> gw.connectedClientIds().isEmpty());
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.send("7|3|2|0|||||||");
      assertThat(c.read().subList(0, 3)).containsExactly("11", "2", "1");
      c.readUntil("55");
    }
  }

  @Test
  void dropBetweenFillAndCommission() throws IOException {
    gw.faults().dropConnectionAt(FaultPoint.BETWEEN_FILL_AND_COMMISSION);
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(buy(1, "100"));
      c.readUntil("11");
      assertThat(c.read().subList(0, 3)).containsExactly("3", "1", "Filled");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void dropConnectionNowClosesEveryClientButKeepsOrders() throws IOException {
    try (RawClient a = RawClient.started(gw.port(), 1);
        RawClient b = RawClient.started(gw.port(), 2)) {
      a.sendFields(placeOrder(1, "AAPL", "BUY", "100", "LMT", "150", "", "GTC", "x"));
      a.readUntil("3");
      gw.faults().dropConnectionNow();
      assertThat(a.closedByPeer()).isTrue();
      assertThat(b.closedByPeer()).isTrue();
    }
    assertThat(gw.orders()).singleElement().satisfies(o -> assertThat(o.isWorking()).isTrue());
    Await.until("clients released", () -> gw.connectedClientIds().isEmpty());
  }

  @Test
  void dropAfterMessagesClosesMidStream() throws IOException {
    try (RawClient c = RawClient.connect(gw.port())) {
      gw.faults().dropAfterMessages(3); // handshake reply, managedAccounts, nextValidId
      c.hello("v157..178");
      c.read();
      c.send("71|2|1||");
      c.expect("15|1|DU123456|");
      c.expect("9|1|1|");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void connectivityNoticesAndDataLoss() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.send("1|11|5|265598||||0.0||||||||0||0|0||");
      c.readUntil("1"); // bid
      c.read(); // ask
      c.read(); // volume
      c.read(); // close
      gw.faults().connectivityLost();
      c.expect("4|2|-1|1100|Connectivity between IB and Trader Workstation has been lost.||");
      gw.setQuote("AAPL", 190.01, 190.03, 100, 100);
      gw.faults().connectivityRestored(true);
      c.expect("4|2|-1|1102|Connectivity between IB and Trader Workstation has been restored -"
          + " data maintained.||");
      gw.setQuote("AAPL", 190.02, 190.03, 100, 100);
      c.expect("1|6|5|1|190.02|100|1|");
      gw.faults().connectivityRestored(false);
      c.expect("4|2|-1|1101|Connectivity between IB and Trader Workstation has been restored -"
          + " data lost.||");
      gw.setQuote("AAPL", 190.03, 190.04, 100, 100);
      c.expectSilence(150); // subscriptions were dropped with 1101
    }
  }

  @Test
  void halfOpenStopsAnsweringUntilSwitchedOff() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      gw.faults().halfOpen(true);
      c.send("49|1|");
      c.expectSilence(200);
      gw.faults().halfOpen(false);
      c.send("49|1|");
      c.expect("49|1|1772465400|");
    }
  }

  @Test
  void refusedConnectionsAreClosedAtOnce() throws IOException {
    gw.faults().refuseConnections(true);
    try (RawClient c = RawClient.connect(gw.port())) {
      try {
        c.hello("v157..178");
      } catch (IOException e) {
        // the gateway may already have closed; a reset on write is the same outcome
      }
      assertThat(c.closedByPeer()).isTrue();
    }
    gw.faults().refuseConnections(false);
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.send("49|1|");
      c.expect("49|1|1772465400|");
    }
  }

  @Test
  void delayedRepliesStillArriveInOrder() throws IOException {
    gw.faults().delayReplies(Duration.ofMillis(20));
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.send("49|1|");
      c.send("8|1|1|");
      c.expect("49|1|1772465400|");
      c.expect("9|1|1|");
    }
  }

  @Test
  void cancelDropBetweenStatusAnd202() throws IOException {
    gw.faults().dropConnectionAt(FaultPoint.BETWEEN_CANCEL_STATUS_AND_202);
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(placeOrder(1, "AAPL", "BUY", "100", "LMT", "150", "", "GTC", ""));
      c.readUntil("3");
      c.send("4|1|1||");
      assertThat(c.read().subList(0, 3)).containsExactly("3", "1", "Cancelled");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void interceptorCanDropAndRewriteMessages() throws IOException {
    gw.faults().interceptOutgoing((clientId, f) -> {
      if (f.get(0).equals("59")) {
        return List.of(); // no commission reports
      }
      if (f.get(0).equals("49")) {
        return List.of(f, List.of("49", "1", "42")); // a second, odd currentTime
      }
      return List.of(f);
    });
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(buy(1, "100"));
      c.readUntil("11");
      assertThat(c.read().subList(0, 3)).containsExactly("3", "1", "Filled");
      c.send("49|1|");
      c.expect("49|1|1772465400|");
      c.expect("49|1|42|");
      gw.faults().reset();
      c.send("49|1|");
      c.expect("49|1|1772465400|");
    }
  }

  @Test
  void failNextRequestAnswersWithTheErrorForThatRequestId() throws IOException {
    gw.faults().failNextRequest(20, 162, "Historical Market Data Service error message:"
        + "API historical data query cancelled: 4");
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      String hist = "20|4|265598||||0.0||||||||0||1 min|1800 S|1|MIDPOINT|1|0||";
      c.send(hist);
      c.expect("4|2|4|162|Historical Market Data Service error message:API historical data"
          + " query cancelled: 4||");
      c.send(hist);
      assertThat(c.read().subList(0, 2)).containsExactly("17", "4");
    }
  }

  @Test
  void paceLimitRefusesTheExcessRequestsWithError100() throws IOException {
    gw.faults().paceLimit(3); // the simulated clock stands still: one window
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      for (int i = 0; i < 5; i++) {
        c.send("49|1|");
      }
      c.expect("49|1|1772465400|");
      c.expect("49|1|1772465400|");
      c.expect("49|1|1772465400|");
      c.expect("4|2|-1|100|Max rate of messages per second has been exceeded:max=3 rec=4||");
      c.expect("4|2|-1|100|Max rate of messages per second has been exceeded:max=3 rec=5||");
    }
  }

  @Test
  void orderLostBeforeAckNeverReachesTheServer() throws IOException {
    gw.faults().dropConnectionAt(FaultPoint.BEFORE_ACK);
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(buy(1, "100"));
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(gw.orders()).isEmpty();
    assertThat(gw.fills()).isEmpty();
  }

  @Test
  void rolledBackOrderIdsAreHandedOutAgain() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(buy(5, "10"));
      c.readUntil("59");
      gw.faults().rollBackOrderIds(1);
      c.send("8|1|1|");
      c.expect("9|1|1|");
      c.sendFields(buy(5, "10"));
      c.expect("4|2|5|103|Duplicate order id||");
      c.sendFields(buy(1, "10"));
      assertThat(c.read().subList(0, 2)).containsExactly("5", "1");
    }
  }

  @Test
  void endOfDayCancelsDayOrdersOnly() throws IOException {
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.sendFields(placeOrder(1, "AAPL", "BUY", "10", "LMT", "150", "", "DAY", ""));
      c.readUntil("3");
      c.sendFields(placeOrder(2, "AAPL", "BUY", "10", "LMT", "150", "", "GTC", ""));
      c.readUntil("3");
      gw.market().endOfDay();
      assertThat(c.read().subList(0, 3)).containsExactly("3", "1", "Cancelled");
      c.expect("4|2|1|202|Order Canceled - reason:DAY order expired at the close||");
      c.expectSilence(100);
    }
    assertThat(gw.orders()).extracting(SimOrder::status).containsExactly("Cancelled",
        "Submitted");
  }

  @Test
  void restartDropsEveryoneRefusesUntilTheClockPassesAndKeepsTheAccount() throws IOException {
    SimulatedClock clock = new SimulatedClock(Instant.parse("2026-03-03T04:45:00Z"));
    try (SimulatedGateway g = SimulatedGateway.builder().instrument("AAPL", 265598, 0.01, 190.01)
        .market(ScriptedMarket.builder().quote("AAPL", 190.00, 190.02, 300, 200).build())
        .clock(clock).build().start()) {
      try (RawClient a = RawClient.started(g.port(), 1)) {
        a.sendFields(placeOrder(5, "AAPL", "BUY", "100", "LMT", "150", "", "GTC", "keep-me"));
        a.readUntil("3");
        g.faults().restart(Duration.ofMinutes(2));
        assertThat(a.closedByPeer()).isTrue();
      }
      assertThat(g.connectedClientIds()).as("client ids are free at once").isEmpty();
      int before = g.connectionCount();
      try (RawClient refused = RawClient.connect(g.port())) {
        assertThat(refused.closedByPeer()).isTrue();
      }
      assertThat(g.connectionCount()).isEqualTo(before + 1);
      clock.advance(Duration.ofSeconds(119));
      try (RawClient refused = RawClient.connect(g.port())) {
        assertThat(refused.closedByPeer()).as("still restarting").isTrue();
      }
      clock.advance(Duration.ofSeconds(1));
      try (RawClient b = RawClient.connect(g.port())) {
        b.hello("v157..178");
        b.read();
        b.send("71|2|1||");
        b.readUntil("15");
        assertThat(b.read()).as("ids continue after the restart").containsExactly("9", "1", "6");
        List<String> open = b.readUntil("5");
        assertThat(open.get(1)).isEqualTo("5");
      }
    }
  }

  @Test
  void restartWithoutADurationLastsUntilSwitchedOff() throws IOException {
    gw.faults().restart(Duration.ZERO);
    try (RawClient refused = RawClient.connect(gw.port())) {
      assertThat(refused.closedByPeer()).isTrue();
    }
    gw.faults().refuseConnections(false);
    try (RawClient c = RawClient.started(gw.port(), 1)) {
      c.send("49|1|");
      c.expect("49|1|1772465400|");
    }
  }
}
