package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.BrokerException;
import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.ib.internal.IbHandler;
import dev.algotrade.testkit.Await;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connection against a scripted fake TWS on a real loopback socket. */
class IbClientTest {

  private final SimulatedClock clock = SimulatedClock.atDefaultStart();
  private final List<String> states = new CopyOnWriteArrayList<>();
  private FakeTws tws;
  private IbClient client;

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.close();
    }
    if (tws != null) {
      tws.close();
    }
  }

  private IbClient client(int port) {
    IbConfig config = IbConfig.builder().port(port).clientId(7).connectTimeout(Duration.ofSeconds(5)).build();
    client = IbClient.create(config, clock);
    client.addConnectionListener((s, d) -> states.add(s + " " + d));
    return client;
  }

  @Test
  void handshakeStartApiAndReadyOnceBothStartMessagesArrived() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.accept();
    byte[] hs = tws.readHandshake();
    assertThat(hs).containsExactly('A', 'P', 'I', 0, 0, 0, 0, 9, 'v', '1', '5', '7', '.', '.', '1', '7', '8');
    tws.send("178|20260105 09:30:00 EST|");
    assertThat(tws.read()).isEqualTo("71|2|7||");
    tws.send("9|1|100|"); // nextValidId first, then managedAccounts: any order is fine
    assertThat(client.ready()).isNotDone();
    tws.send("15|1|DU123456,|");
    client.ready().get(5, TimeUnit.SECONDS);
    assertThat(client.serverVersion()).isEqualTo(178);
    assertThat(client.connectionTime()).isEqualTo("20260105 09:30:00 EST");
    assertThat(client.account()).isEqualTo("DU123456");
    assertThat(client.accountMode()).isEqualTo(AccountMode.PAPER);
    assertThat(client.nextId()).isEqualTo(100);
    assertThat(client.nextId()).isEqualTo(101);
    Await.until("CONNECTED state", () -> client.state() == ConnectionState.CONNECTED);
  }

  @Test
  void skipsFramesThatAreNotTheTwoFieldReply() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.accept();
    tws.readHandshake();
    tws.send("14|1|1|1|news before the version|X|");
    tws.send("178|20260105 09:30:00 EST|");
    assertThat(tws.read()).isEqualTo("71|2|7||");
  }

  @Test
  void refusesAServerVersionItDoesNotSpeak() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.accept();
    tws.readHandshake();
    tws.send("176|20260105 09:30:00 EST|");
    assertThatThrownBy(() -> client.ready().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(BrokerException.class)
        .hasMessageContaining("IB server version 176 is outside what this client speaks")
        .hasMessageContaining("upgrade TWS");
    Await.until("disconnected", () -> client.state() == ConnectionState.DISCONNECTED);
  }

  @Test
  void connectionRefusedSaysWhatToCheck() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    client(port).start();
    assertThatThrownBy(() -> client.ready().get(5, TimeUnit.SECONDS)).cause()
        .hasMessageContaining("Error: Connection refused to IB")
        .hasMessageContaining("API enabled");
  }

  @Test
  void earlyCloseAfterStartApiHintsAtClientIdInUse() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.accept();
    tws.readHandshake();
    tws.send("178|20260105 09:30:00 EST|");
    tws.read();
    tws.closeClientSocket();
    assertThatThrownBy(() -> client.ready().get(5, TimeUnit.SECONDS)).cause()
        .hasMessageContaining("already in use (error 326)");
  }

  @Test
  void clientIdInUseFailsTheConnectOnce() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.accept();
    tws.readHandshake();
    tws.send("178|20260105 09:30:00 EST|");
    tws.read();
    tws.send("4|2|-1|326|Unable to connect as the client id is already in use. Retry with a unique client id.||");
    assertThatThrownBy(() -> client.ready().get(5, TimeUnit.SECONDS)).cause()
        .hasMessageContaining("IB client id 7 already in use (326)");
    Await.until("disconnect reported", () -> states.stream().anyMatch(s -> s.startsWith("DISCONNECTED")));
    assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
    assertThat(states).filteredOn(s -> s.startsWith("DISCONNECTED")).hasSize(1);
  }

  @Test
  void unknownAndMalformedMessagesAreCountedWithoutKillingTheConnection() throws Exception {
    tws = new FakeTws();
    List<String> ticks = new CopyOnWriteArrayList<>();
    client(tws.port()).addHandler(new IbHandler() {
      @Override
      public void tickPrice(int tickerId, int tickType, double price, double size, int attrMask) {
        ticks.add(tickerId + ":" + price);
      }
    });
    client.start();
    tws.handshake("DU123456", 100);
    client.ready().get(5, TimeUnit.SECONDS);
    tws.send("999|1|from the future|");
    tws.send("1|6|5|1|not-a-price|100|0|");
    tws.send("4|2|-1|2104|Market data farm connection is OK:usfarm||");
    tws.send("1|6|5|1|150.25|100|0|");
    Await.until("tick after bad frames", () -> ticks.contains("5:150.25"));
    assertThat(client.unknownMessages()).isEqualTo(1);
    assertThat(client.malformedMessages()).isEqualTo(1);
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void connectivityLossAndRestoreChangeState() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.handshake("DU123456", 1);
    client.ready().get(5, TimeUnit.SECONDS);
    tws.send("4|2|-1|1100|Connectivity between IB and Trader Workstation has been lost.||");
    Await.until("degraded", () -> client.state() == ConnectionState.DEGRADED);
    tws.send("4|2|-1|1102|Connectivity between IB and Trader Workstation has been restored - data maintained.||");
    Await.until("connected again", () -> client.state() == ConnectionState.CONNECTED);
    assertThat(states).anyMatch(s -> s.startsWith("DEGRADED 1100"));
  }

  @Test
  void socketCloseAfterReadyIsADisconnect() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.handshake("DU123456", 1);
    client.ready().get(5, TimeUnit.SECONDS);
    tws.closeClientSocket();
    // the state field changes before the listeners hear of it: wait for the listener's record
    Await.until("disconnect reported", () -> states.stream().anyMatch(s -> s.startsWith("DISCONNECTED")));
    assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
    assertThat(states).anyMatch(s -> s.startsWith("DISCONNECTED connection to IB lost"));
  }

  @Test
  void liveAccountIsReportedLive() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.handshake("U7654321", 1);
    client.ready().get(5, TimeUnit.SECONDS);
    assertThat(client.accountMode()).isEqualTo(AccountMode.LIVE);
  }

  @Test
  void openOrdersDownloadedBeforeNextValidIdRaiseTheFirstId() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.accept();
    tws.readHandshake();
    tws.send("178|20260105 09:30:00 EST|");
    tws.read();
    tws.send("15|1|DU123456|");
    tws.send("3|700|Submitted|0|1|0.0|1|0|0.0|7||0.0|");
    tws.send("9|1|650|"); // a rolled-back sequence (protocol notes P1)
    client.ready().get(5, TimeUnit.SECONDS);
    assertThat(client.nextId()).isEqualTo(701);
  }

  @Test
  void nextIdBeforeReadyFails() {
    IbClient c = client(4002);
    assertThatThrownBy(c::nextId).isInstanceOf(BrokerException.class).hasMessageContaining("nextValidId");
  }

  @Test
  void idsStayAboveOrderIdsSeenOnTheWire() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.handshake("DU123456", 10);
    client.ready().get(5, TimeUnit.SECONDS);
    tws.send("3|500|Submitted|0|1|0.0|1|0|0.0|7||0.0|");
    tws.send("49|1|1704205865|"); // a marker: once it is handled the orderStatus was too
    Await.until("id above 500", () -> {
      int id = client.nextId();
      return id > 500;
    });
  }

  @Test
  void farmNoticesKeepAStatusPerFarm() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.handshake("DU123456", 1);
    client.ready().get(5, TimeUnit.SECONDS);
    tws.send("4|2|-1|2104|Market data farm connection is OK:usfarm.nj||");
    tws.send("4|2|-1|2107|HMDS data farm connection is inactive but should be available upon demand.ushmds||");
    tws.send("4|2|-1|2103|Market data farm connection is broken:usfarm.nj||");
    tws.send("4|2|-1|2157|Sec-def data farm connection is broken:secdefil||");
    tws.send("49|1|1704205865|"); // a marker: once it is handled the notices were too
    Await.until("farm notices handled", () -> client.farmStatus().size() == 3
        && client.farmStatus().get("secdefil") == IbClient.FarmStatus.BROKEN);
    assertThat(client.farmStatus()).containsEntry("usfarm.nj", IbClient.FarmStatus.BROKEN)
        .containsEntry("ushmds", IbClient.FarmStatus.INACTIVE);
    tws.send("4|2|-1|2104|Market data farm connection is OK:usfarm.nj||");
    Await.until("farm back", () -> client.farmStatus().get("usfarm.nj") == IbClient.FarmStatus.OK);
    assertThatThrownBy(() -> client.farmStatus().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(client.state()).as("a broken farm is not a connection state").isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void notConnectedErrorFromTheWireEndsTheSession() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.handshake("DU123456", 1);
    client.ready().get(5, TimeUnit.SECONDS);
    tws.send("4|2|-1|504|Not connected||");
    Await.until("disconnect reported", () -> states.stream().anyMatch(s -> s.startsWith("DISCONNECTED")));
    assertThat(states).anyMatch(s -> s.startsWith("DISCONNECTED IB error 504: Not connected; next attempt in"));
  }

  @Test
  void aReconnectToAnotherLoginIsRefused() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    tws.handshake("DU123456", 1);
    client.ready().get(5, TimeUnit.SECONDS);
    tws.closeClientSocket();
    Await.until("disconnect reported", () -> client.nextAttemptAt().isPresent());
    clock.advanceTo(client.nextAttemptAt().orElseThrow());
    tws.handshake("U7654321", 50); // TWS came back logged in to a live user
    Await.until("second session refused", () -> states.stream().filter(s -> s.startsWith("DISCONNECTED")).count() == 2);
    assertThat(states.get(states.size() - 1)).contains("IB account DU123456 is not among the managed accounts "
        + "[U7654321] after reconnecting");
    assertThat(client.account()).isEqualTo("DU123456");
    assertThat(client.sessions()).isEqualTo(1);
    assertThat(client.isReady()).isFalse();
  }

  @Test
  void aFailedFirstConnectKeepsTryingAndWhenReadyFollowsTheLaterSession() throws Exception {
    tws = new FakeTws();
    client(tws.port()).start();
    CompletableFutureProbe probe = new CompletableFutureProbe(client.whenReady());
    tws.accept();
    tws.readHandshake();
    tws.send("176|20260105 09:30:00 EST|"); // too old: the first connect fails
    assertThatThrownBy(() -> client.ready().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    Await.until("backoff pending", () -> client.nextAttemptAt().isPresent());
    assertThat(probe.future.isDone()).isFalse();
    clock.advanceTo(client.nextAttemptAt().orElseThrow());
    tws.handshake("DU123456", 10); // upgraded
    probe.future.get(5, TimeUnit.SECONDS);
    Await.until("CONNECTED", () -> client.state() == ConnectionState.CONNECTED);
    assertThat(client.isReady()).isTrue();
    assertThat(client.sessions()).isEqualTo(1);
    assertThat(client.nextId()).isEqualTo(10);
  }

  /** Holds a future taken before the event under test. */
  private record CompletableFutureProbe(java.util.concurrent.CompletableFuture<Void> future) {}
}
