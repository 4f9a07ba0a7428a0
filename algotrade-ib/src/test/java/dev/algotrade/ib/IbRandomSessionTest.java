package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.broker.BrokerStatus;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.core.time.SystemClock;
import dev.algotrade.ib.testkit.FaultPoint;
import dev.algotrade.ib.testkit.SimFill;
import dev.algotrade.ib.testkit.SimOrder;
import dev.algotrade.ib.testkit.SimPosition;
import dev.algotrade.ib.testkit.SimulatedGateway;
import dev.algotrade.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A seeded random trading session through {@link IbBroker} against the simulated gateway while
 * the connection drops at random moments (socket closed now, at a named point of an order's life,
 * or after a random number of messages). At the end our view must equal the gateway's own
 * records: every execution reported exactly once (by execId), the position, and each order's
 * state (working, filled, cancelled, rejected or never at IB) and filled quantity.
 *
 * <p>Defaults keep it to a few seconds; {@code -Dib.random.orders=20000 -Dib.random.seed=7}
 * runs a bigger or different session. The pacer runs on a fake ticker so thousands of orders are
 * not held to IB's 50 messages a second.
 */
class IbRandomSessionTest {

  private static final String SYMBOL = "AAPL";
  private static final InstrumentId AAPL = InstrumentId.of(SYMBOL);
  private static final int CLIENT_ID = 11;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final long seed = Long.getLong("ib.random.seed", 20261124L);
  private final int orderCount = Integer.getInteger("ib.random.orders", 2000);
  private final RecordingBrokerListener events = new RecordingBrokerListener();
  private SimulatedGateway gateway;
  private IbClient client;
  private IbBroker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void randomOrdersAndDropsEndEqualToTheGatewaysBooks() {
    Random random = new Random(seed);
    gateway = SimulatedGateway.builder().port(0).instrument(SYMBOL, 265598, 0.01, 100.00).seed(seed).build().start();
    double mid = 100.00;
    gateway.setQuote(SYMBOL, mid - 0.01, mid + 0.01, 300, 300);
    IbConfig config = IbConfig.builder().host("127.0.0.1").port(gateway.port()).clientId(CLIENT_ID)
        .connectTimeout(Duration.ofSeconds(5)).commissionTimeout(Duration.ofSeconds(1))
        .reconnect(ReconnectPolicy.ofDefaults().withDelays(Duration.ofMillis(20), Duration.ofMillis(200))).build();
    AtomicLong fakeNanos = new AtomicLong();
    client = IbClient.create(config, SystemClock.instance(), () -> fakeNanos.addAndGet(1_000_000_000L), n -> { });
    broker = IbBroker.owning(client);
    broker.connect(events);
    awaitConnected();

    Map<ClientOrderId, OrderRequest> submitted = new LinkedHashMap<>();
    List<ClientOrderId> ids = new ArrayList<>();
    int cancels = 0;
    int dropsArmed = 0;
    long started = System.nanoTime();
    FaultPoint[] points = FaultPoint.values();
    for (int i = 0; i < orderCount; i++) {
      if (random.nextInt(100) == 0) {
        dropsArmed++;
        switch (random.nextInt(3)) {
          case 0 -> gateway.faults().dropConnectionNow();
          case 1 -> gateway.faults().dropConnectionAt(points[random.nextInt(points.length)]);
          default -> gateway.faults().dropAfterMessages(1 + random.nextInt(30));
        }
      }
      if (random.nextInt(5) == 0) {
        mid = Math.max(50, mid + 0.01 * (random.nextInt(11) - 5));
        double spread = 0.01 * (1 + random.nextInt(3));
        gateway.setQuote(SYMBOL, round(mid - spread), round(mid + spread), 50 + random.nextInt(500),
            50 + random.nextInt(500));
      }
      if (!ids.isEmpty() && random.nextInt(6) == 0) {
        cancels++;
        broker.cancel(ids.get(random.nextInt(ids.size())));
      }
      ClientOrderId id = ClientOrderId.of("rs-" + i);
      Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
      double qty = 1 + random.nextInt(200);
      OrderRequest request;
      if (random.nextInt(3) == 0) {
        request = OrderRequest.market(AAPL, side, qty);
      } else {
        double offset = 0.01 * (random.nextInt(9) - 4); // some cross the touch, some rest
        request = OrderRequest.limit(AAPL, side, qty, round(side == Side.BUY ? mid + offset : mid - offset));
      }
      submitted.put(id, request);
      ids.add(id);
      broker.submit(id, request);
      throttle(submitted.keySet());
      if (lastState() != ConnectionState.CONNECTED && random.nextInt(4) != 0) {
        awaitConnected(); // mostly wait out an outage; sometimes keep submitting into it
      }
    }
    gateway.faults().reset();
    // a drop armed before the reset may have closed the socket a moment ago without either side's
    // threads having noticed: wait until the gateway's open session is the client's latest
    // connection and the broker has finished restoring it; no fault can end it after the reset
    Await.until("the last session open at both ends and restored", TIMEOUT, () -> settled());
    Await.until("our books equal the gateway's", TIMEOUT, () -> mismatches(submitted).isEmpty());

    List<String> problems = mismatches(submitted);
    assertThat(problems).as("orders whose state differs from the gateway's").isEmpty();
    List<String> execIds = events.of(OrderFilled.class).stream().map(f -> f.fill().executionId())
        .collect(Collectors.toList());
    Set<String> gatewayExecIds = gateway.fills().stream().filter(f -> f.clientId() == CLIENT_ID)
        .map(SimFill::execId).collect(Collectors.toSet());
    assertThat(execIds).as("no execution reported twice").doesNotHaveDuplicates();
    assertThat(Set.copyOf(execIds)).as("no execution lost or invented").isEqualTo(gatewayExecIds);
    double ours = events.of(OrderFilled.class).stream()
        .mapToDouble(f -> f.fill().side() == Side.BUY ? f.fill().quantity() : -f.fill().quantity()).sum();
    double theirs = gateway.positions().stream().filter(p -> p.symbol().equals(SYMBOL))
        .mapToDouble(SimPosition::quantity).sum();
    assertThat(ours).as("position from our fills").isEqualTo(theirs);
    int reconnects = client.sessions() - 1;
    assertThat(reconnects).as("the session really lost its connection").isGreaterThan(0);
    assertThat(broker.restores() + broker.abandonedRestores())
        .as("every new session restored, or lost again while restoring").isEqualTo(reconnects);
    assertThat(broker.incompleteRestores()).as("restores that timed out").isZero();

    long notConnected = rejections("NOT_CONNECTED");
    long lost = rejections("LOST");
    long reachedGateway = gateway.orders().stream().filter(o -> o.clientId() == CLIENT_ID).count();
    System.out.printf("IbRandomSessionTest seed=%d orders=%d reachedGateway=%d cancelsAsked=%d fills=%d "
            + "dropsArmed=%d reconnects=%d restores=%d abandonedRestores=%d rejectedNotConnected=%d lost=%d "
            + "duplicateExecutionsDropped=%d seconds=%.1f%n", seed, submitted.size(), reachedGateway, cancels,
        execIds.size(), dropsArmed, reconnects, broker.restores(), broker.abandonedRestores(), notConnected, lost,
        broker.duplicateExecutions(), (System.nanoTime() - started) / 1e9);
  }

  private static double round(double price) {
    return Math.round(price * 100) / 100.0;
  }

  private ConnectionState lastState() {
    List<BrokerStatus> s = events.statuses;
    return s.isEmpty() ? null : s.get(s.size() - 1).state();
  }

  private boolean settled() {
    return gateway.hasOpenSession(CLIENT_ID) && gateway.connectionCount() == client.connectAttempts()
        && client.isReady() && lastState() == ConnectionState.CONNECTED
        && broker.restores() + broker.abandonedRestores() == client.sessions() - 1;
  }

  private void awaitConnected() {
    Await.until("broker connected", TIMEOUT, () -> lastState() == ConnectionState.CONNECTED);
  }

  /** Keeps at most 20 orders unanswered, so drops hit a session with traffic in flight, not a backlog. */
  private void throttle(Set<ClientOrderId> submitted) {
    Await.until("fewer than 20 unanswered orders", TIMEOUT, () -> {
      Set<ClientOrderId> answered = new HashSet<>();
      for (OrderEvent e : events.events) {
        if (e instanceof OrderAccepted || e instanceof OrderRejected || e instanceof OrderCancelled
            || e instanceof OrderFilled) {
          answered.add(e.clientOrderId());
        }
      }
      return submitted.size() - answered.size() < 20;
    });
  }

  private long rejections(String code) {
    return events.of(OrderRejected.class).stream().filter(r -> r.code().equals(code)).count();
  }

  /** Every order whose state on our side differs from the gateway's, described. */
  private List<String> mismatches(Map<ClientOrderId, OrderRequest> submitted) {
    Map<String, SimOrder> atGateway = new HashMap<>();
    for (SimOrder o : gateway.orders()) {
      if (o.clientId() == CLIENT_ID) {
        atGateway.put(o.orderRef(), o);
      }
    }
    Map<ClientOrderId, Double> filled = new HashMap<>();
    Map<ClientOrderId, String> terminal = new HashMap<>();
    for (OrderEvent e : events.events) {
      if (e instanceof OrderFilled f) {
        filled.merge(f.fill().clientOrderId(), f.fill().quantity(), Double::sum);
      } else if (e instanceof OrderCancelled) {
        terminal.putIfAbsent(e.clientOrderId(), "Cancelled");
      } else if (e instanceof OrderRejected r) {
        terminal.putIfAbsent(e.clientOrderId(), "Rejected " + r.code());
      }
    }
    List<String> out = new ArrayList<>();
    submitted.forEach((id, request) -> {
      SimOrder g = atGateway.get(id.value());
      double ours = filled.getOrDefault(id, 0.0);
      String end = terminal.get(id);
      String problem = null;
      if (g == null) {
        if (end == null || !end.startsWith("Rejected") || ours != 0) {
          problem = "never reached the gateway but ours is " + end + " filled " + ours;
        }
      } else if (Math.abs(g.filled() - ours) > 1e-9) {
        problem = "filled " + ours + " vs gateway " + g.filled();
      } else if (g.isWorking()) {
        if (end != null) {
          problem = "working at the gateway but " + end + " here";
        }
      } else if (g.status().equals("Filled")) {
        if (end != null || ours < request.quantity() - 1e-9) {
          problem = "filled at the gateway but " + end + " filled " + ours + " here";
        }
      } else if (end == null || end.startsWith("Rejected") && ours > 0) {
        problem = g.status() + " at the gateway but " + end + " here";
      }
      if (problem != null) {
        out.add(id + ": " + problem);
      }
    });
    return out;
  }
}
