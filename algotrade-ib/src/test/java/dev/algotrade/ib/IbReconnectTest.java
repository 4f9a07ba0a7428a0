package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.ib.internal.IbHandler;
import dev.algotrade.ib.testkit.SimulatedGateway;
import dev.algotrade.testkit.Await;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconnecting against the simulated gateway over a real loopback socket. Gateway and client
 * share one {@link SimulatedClock}: backoff, keepalive and the gateway's restart only move when
 * the test advances it, and every step awaits the event it causes.
 */
class IbReconnectTest {

  /** One listener event: a state change or a restore, with the simulated time it happened. */
  record Event(String kind, ConnectionState state, String detail, Instant at) {
    @Override
    public String toString() {
      return kind.equals("STATE") ? state + " " + detail : kind;
    }
  }

  private final SimulatedClock clock = SimulatedClock.atDefaultStart();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<Integer> nextValidIds = new CopyOnWriteArrayList<>();
  private SimulatedGateway gw;
  private final List<IbClient> clients = new ArrayList<>();

  @BeforeEach
  void startGateway() {
    gw = SimulatedGateway.builder().instrument("AAPL", 265598, 0.01, 190.0).clock(clock).build().start();
  }

  @AfterEach
  void tearDown() {
    clients.forEach(IbClient::close);
    gw.close();
  }

  private IbConfig.Builder config() {
    return IbConfig.builder().host("127.0.0.1").port(gw.port()).clientId(7).connectTimeout(Duration.ofSeconds(5))
        .reconnect(ReconnectPolicy.ofDefaults().withJitter(0));
  }

  private IbClient client(Consumer<IbConfig.Builder> tweak) {
    IbConfig.Builder b = config();
    tweak.accept(b);
    IbClient c = IbClient.create(b.build(), clock);
    clients.add(c);
    c.addConnectionListener(new IbClient.ConnectionListener() {
      @Override
      public void onConnectionState(ConnectionState state, String detail) {
        events.add(new Event("STATE", state, detail, clock.now()));
      }

      @Override
      public void onRestored(boolean dataLost) {
        events.add(new Event("RESTORED " + dataLost, null, "", clock.now()));
      }
    });
    c.addHandler(new IbHandler() {
      @Override
      public void nextValidId(int orderId) {
        nextValidIds.add(orderId);
      }
    });
    return c;
  }

  private IbClient connected(Consumer<IbConfig.Builder> tweak) throws Exception {
    IbClient c = client(tweak);
    c.start().get(10, TimeUnit.SECONDS);
    // the gateway's last start-up messages are three farm notices: once they are in, the line
    // is quiet, so inbound silence measured from here is the test's to control
    Await.until("start-up farm notices", () -> c.farmStatus().size() == 3);
    return c;
  }

  private long count(ConnectionState state) {
    return events.stream().filter(e -> e.state() == state).count();
  }

  private Event last(ConnectionState state) {
    Event found = null;
    for (Event e : events) {
      if (e.state() == state) {
        found = e;
      }
    }
    return found;
  }

  private void awaitCount(ConnectionState state, long n) {
    Await.until(n + " x " + state + " in " + events, () -> count(state) >= n);
  }

  /**
   * Moves the clock to the pending attempt's due time and waits for the attempt's outcome: the
   * next CONNECTED or DISCONNECTED event. Returns that state.
   */
  private ConnectionState nextAttempt(IbClient c) {
    long connected = count(ConnectionState.CONNECTED);
    long disconnected = count(ConnectionState.DISCONNECTED);
    Instant due = Await.value("a pending attempt", Duration.ofSeconds(10), () -> c.nextAttemptAt().orElse(null));
    clock.advanceTo(due);
    Await.until("the attempt's outcome " + events, () -> count(ConnectionState.CONNECTED) > connected
        || count(ConnectionState.DISCONNECTED) > disconnected);
    return count(ConnectionState.CONNECTED) > connected ? ConnectionState.CONNECTED : ConnectionState.DISCONNECTED;
  }

  /** Attempts until one connects (a socket just closed may still hold the client id: 326). */
  private int reconnect(IbClient c, int maxAttempts) {
    for (int i = 1; i <= maxAttempts; i++) {
      if (nextAttempt(c) == ConnectionState.CONNECTED) {
        Await.until("onRestored after CONNECTED", () -> events.get(events.size() - 1).kind().startsWith("RESTORED"));
        return i;
      }
    }
    throw new AssertionError("not reconnected after " + maxAttempts + " attempts: " + events);
  }

  private List<String> kinds() {
    List<String> out = new ArrayList<>();
    for (Event e : events) {
      out.add(e.state() == null ? e.kind() : e.state().name());
    }
    return out;
  }

  @Test
  void droppedSocketReconnectsAfterTheBackoffAndRestores() throws Exception {
    IbClient c = connected(b -> { });
    assertThat(c.sessions()).isEqualTo(1);
    Instant dropAt = clock.now();
    gw.faults().dropConnectionNow();
    awaitCount(ConnectionState.DISCONNECTED, 1);
    Event down = last(ConnectionState.DISCONNECTED);
    assertThat(down.detail()).startsWith("connection to IB lost").endsWith("; next attempt in PT1S (attempt 1)");
    assertThat(c.state()).isEqualTo(ConnectionState.DISCONNECTED);
    assertThat(c.isReady()).isFalse();
    assertThat(c.nextAttemptAt()).contains(dropAt.plusSeconds(1));
    assertThat(c.send(new byte[] {0, 0, 0, 0})).as("nothing is queued for a socket that does not exist").isFalse();

    assertThat(reconnect(c, 1)).isEqualTo(1);
    assertThat(kinds()).containsExactly("CONNECTING", "CONNECTED", "DISCONNECTED", "CONNECTING", "CONNECTED",
        "RESTORED true");
    assertThat(last(ConnectionState.CONNECTING).at()).isEqualTo(dropAt.plusSeconds(1));
    assertThat(last(ConnectionState.CONNECTED).detail()).contains("reconnected").contains("after PT1S")
        .contains("(session 2)");
    assertThat(c.sessions()).isEqualTo(2);
    assertThat(c.isReady()).isTrue();
    assertThat(c.nextAttemptAt()).isEmpty();
    assertThat(gw.connectedClientIds()).containsExactly(7);
    // the new session carries requests: ask for the time and see the answer
    List<Long> times = new CopyOnWriteArrayList<>();
    c.addHandler(new IbHandler() {
      @Override
      public void currentTime(long epochSeconds) {
        times.add(epochSeconds);
      }
    });
    assertThat(c.send(dev.algotrade.ib.internal.Outgoing.reqCurrentTime())).isTrue();
    Await.until("currentTime on the new session", () -> !times.isEmpty());
    assertThat(times.get(0)).isEqualTo(clock.now().getEpochSecond());
  }

  @Test
  void refusedAttemptsAreSpacedByTheBackoffUpToItsCap() throws Exception {
    IbClient c = connected(b -> b.reconnect(ReconnectPolicy.ofDefaults().withJitter(0)
        .withDelays(Duration.ofSeconds(1), Duration.ofSeconds(5))));
    int connectionsBefore = gw.connectionCount();
    gw.faults().refuseConnections(true);
    Instant dropAt = clock.now();
    gw.faults().dropConnectionNow();
    awaitCount(ConnectionState.DISCONNECTED, 1);
    for (int i = 0; i < 5; i++) {
      assertThat(nextAttempt(c)).isEqualTo(ConnectionState.DISCONNECTED);
    }
    gw.faults().refuseConnections(false);
    assertThat(nextAttempt(c)).isEqualTo(ConnectionState.CONNECTED);

    List<Instant> attempts = events.stream().filter(e -> e.state() == ConnectionState.CONNECTING).skip(1)
        .map(Event::at).toList();
    // delays 1, 2, 4, then capped at 5: attempts at +1, +3, +7, +12, +17, +22 s after the drop
    assertThat(attempts).containsExactly(dropAt.plusSeconds(1), dropAt.plusSeconds(3), dropAt.plusSeconds(7),
        dropAt.plusSeconds(12), dropAt.plusSeconds(17), dropAt.plusSeconds(22));
    assertThat(events.stream().filter(e -> e.state() == ConnectionState.DISCONNECTED).map(Event::detail).toList())
        .extracting(d -> d.substring(d.indexOf("; next attempt")))
        .containsExactly("; next attempt in PT1S (attempt 1)", "; next attempt in PT2S (attempt 2)",
            "; next attempt in PT4S (attempt 3)", "; next attempt in PT5S (attempt 4)",
            "; next attempt in PT5S (attempt 5)", "; next attempt in PT5S (attempt 6)");
    assertThat(gw.connectionCount() - connectionsBefore).as("sockets the gateway saw").isEqualTo(6);
    assertThat(c.connectAttempts()).isEqualTo(7);
    assertThat(last(ConnectionState.CONNECTED).detail()).contains("after PT22S");
  }

  @Test
  void theBackoffStartsAgainAfterASessionThatBecameReady() throws Exception {
    IbClient c = connected(b -> { });
    gw.faults().refuseConnections(true);
    gw.faults().dropConnectionNow();
    awaitCount(ConnectionState.DISCONNECTED, 1);
    assertThat(nextAttempt(c)).isEqualTo(ConnectionState.DISCONNECTED);
    assertThat(last(ConnectionState.DISCONNECTED).detail()).endsWith("next attempt in PT2S (attempt 2)");
    gw.faults().refuseConnections(false);
    reconnect(c, 1);
    gw.faults().dropConnectionNow();
    awaitCount(ConnectionState.DISCONNECTED, 3);
    assertThat(last(ConnectionState.DISCONNECTED).detail()).startsWith("connection to IB lost")
        .endsWith("next attempt in PT1S (attempt 1)");
    reconnect(c, 3);
    assertThat(c.sessions()).isEqualTo(3);
  }

  @Test
  void halfOpenSocketIsDetectedByTheKeepaliveAndReplaced() throws Exception {
    IbClient c = connected(b -> b.keepalive(Duration.ofSeconds(10), Duration.ofSeconds(20)));
    gw.faults().halfOpen(true);
    clock.advance(Duration.ofSeconds(10));
    Await.until("a keepalive ping after 10 s of silence", () -> c.keepalivePings() == 1);
    assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
    clock.advance(Duration.ofSeconds(10));
    awaitCount(ConnectionState.DISCONNECTED, 1);
    assertThat(last(ConnectionState.DISCONNECTED).detail()).startsWith("keepalive timeout: nothing received from IB "
        + "for PT20S").contains("half-open").contains("next attempt in PT1S");
    gw.faults().halfOpen(false);
    reconnect(c, 5);
    assertThat(c.sessions()).isEqualTo(2);
    assertThat(c.keepalivePings()).isEqualTo(1);
  }

  @Test
  void answeredKeepaliveKeepsTheConnection() throws Exception {
    IbClient c = connected(b -> b.keepalive(Duration.ofSeconds(10), Duration.ofSeconds(20)));
    java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
    c.addHandler(new IbHandler() {
      @Override
      public void currentTime(long epochSeconds) {
        answers.incrementAndGet();
      }
    });
    for (int i = 1; i <= 3; i++) {
      clock.advance(Duration.ofSeconds(15));
      int n = i;
      Await.until("ping " + n, () -> c.keepalivePings() == n);
      // the gateway answers with currentTime: the next ping comes only after new silence
      Await.until("the answer to ping " + n, () -> answers.get() == n);
    }
    assertThat(count(ConnectionState.DISCONNECTED)).isZero();
    assertThat(c.sessions()).isEqualTo(1);
  }

  @Test
  void connectivityCodesDegradeAndRestoreWithoutANewSocket() throws Exception {
    IbClient c = connected(b -> { });
    gw.faults().connectivityLost();
    Await.until("DEGRADED", () -> c.state() == ConnectionState.DEGRADED);
    assertThat(c.isReady()).as("the socket is fine; orders can still be sent").isTrue();
    gw.faults().connectivityRestored(false); // 1101
    Await.until("restored, data lost", () -> events.stream().anyMatch(e -> e.kind().equals("RESTORED true")));
    gw.faults().connectivityLost();
    gw.faults().connectivityRestored(true); // 1102
    Await.until("restored, data kept", () -> events.stream().anyMatch(e -> e.kind().equals("RESTORED false")));
    assertThat(kinds()).containsExactly("CONNECTING", "CONNECTED", "DEGRADED", "CONNECTED", "RESTORED true",
        "DEGRADED", "CONNECTED", "RESTORED false");
    assertThat(events.get(2).detail()).startsWith("1100 ");
    assertThat(events.get(3).detail()).startsWith("1101 ");
    assertThat(c.sessions()).isEqualTo(1);
    assertThat(c.connectAttempts()).isEqualTo(1);
  }

  @Test
  void clientIdInUseIsExplainedAndRetried() throws Exception {
    IbClient holder = IbClient.create(config().reconnect(ReconnectPolicy.disabled()).build(), clock);
    clients.add(holder);
    holder.start().get(10, TimeUnit.SECONDS);
    IbClient c = client(b -> { });
    c.start();
    assertThatThrownBy(() -> c.ready().get(10, TimeUnit.SECONDS)).cause()
        .hasMessageContaining("IB client id 7 already in use (326)")
        .hasMessageContaining("pick another IB_CLIENT_ID");
    awaitCount(ConnectionState.DISCONNECTED, 1);
    assertThat(last(ConnectionState.DISCONNECTED).detail()).contains("already in use (326)")
        .endsWith("next attempt in PT1S (attempt 1)");
    assertThat(nextAttempt(c)).as("still held").isEqualTo(ConnectionState.DISCONNECTED);
    holder.close();
    reconnect(c, 5);
    assertThat(c.isReady()).isTrue();
    assertThat(c.sessions()).as("the first session that became ready").isEqualTo(1);
    assertThat(events).anyMatch(e -> e.kind().equals("RESTORED true"));
  }

  @Test
  void orderIdsKeepRisingWhenTheGatewayRollsThemBack() throws Exception {
    IbClient c = connected(b -> { });
    int last = -1;
    for (int i = 0; i < 5; i++) {
      int id = c.nextId();
      assertThat(id).isGreaterThan(last);
      last = id;
    }
    assertThat(nextValidIds).containsExactly(1);
    gw.faults().rollBackOrderIds(1);
    gw.faults().dropConnectionNow();
    awaitCount(ConnectionState.DISCONNECTED, 1);
    reconnect(c, 5);
    assertThat(nextValidIds).as("the new session's nextValidId went back").containsExactly(1, 1);
    assertThat(c.nextId()).isEqualTo(last + 1);
  }

  @Test
  void nightlyRestartIsRiddenOutAndLoggedAsExpected() throws Exception {
    // the simulated clock starts at 09:30 New York; say TWS restarts daily at 09:29 there
    IbClient c = connected(b -> b.dailyRestart(RestartWindow.daily(LocalTime.of(9, 29), Duration.ofMinutes(15),
        ZoneId.of("America/New_York"))));
    Instant restartAt = clock.now();
    gw.faults().restart(Duration.ofMinutes(2));
    awaitCount(ConnectionState.DISCONNECTED, 1);
    assertThat(last(ConnectionState.DISCONNECTED).detail()).contains("inside the daily restart window");
    int attempts = reconnect(c, 20);
    // refused for 2 minutes: 1+2+4+8+16+32+60 = 123 s, so the 7th attempt is the first after the restart
    assertThat(attempts).isEqualTo(7);
    assertThat(last(ConnectionState.CONNECTED).at()).isEqualTo(restartAt.plusSeconds(123));
    assertThat(c.sessions()).isEqualTo(2);
  }

  @Test
  void closeDuringTheBackoffStopsAtOnce() throws Exception {
    IbClient c = connected(b -> b.reconnect(ReconnectPolicy.ofDefaults().withJitter(0)
        .withDelays(Duration.ofSeconds(60), Duration.ofSeconds(60))));
    Thread reader = c.readerThread();
    gw.faults().dropConnectionNow();
    awaitCount(ConnectionState.DISCONNECTED, 1);
    c.close();
    // the simulated clock never reaches the attempt: only close() can end the wait
    Await.until("reader thread ended", () -> !reader.isAlive());
    assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
    assertThat(kinds()).endsWith("DISCONNECTED", "CLOSED");
    assertThat(c.connectAttempts()).isEqualTo(1);
  }

  @Test
  void withReconnectOffTheFirstLossIsFinal() throws Exception {
    IbClient c = connected(b -> b.reconnect(ReconnectPolicy.disabled()));
    Thread reader = c.readerThread();
    gw.faults().dropConnectionNow();
    awaitCount(ConnectionState.DISCONNECTED, 1);
    assertThat(last(ConnectionState.DISCONNECTED).detail()).endsWith("reconnecting is off (IB_RECONNECT=false)");
    Await.until("reader thread ended", () -> !reader.isAlive());
    assertThat(c.nextAttemptAt()).isEmpty();
    assertThat(c.connectAttempts()).isEqualTo(1);
  }
}
