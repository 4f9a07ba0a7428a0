package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.ClientOrderId;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.Side;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A burst of 500 orders through the real broker, client and writer thread, with the pacer on a
 * fake ticker whose sleeper advances fake time. The fake TWS reads all 500 placeOrders; the
 * fake time that passed proves they were paced at the configured rate. No wall-clock timing.
 */
class PacedBurstTest {

  @Test
  void burstOf500OrdersIsPacedBelowTheLimit() throws Exception {
    AtomicLong fakeNanos = new AtomicLong();
    List<Long> sleeps = new ArrayList<>();
    try (FakeTws tws = new FakeTws()) {
      IbConfig config = IbConfig.builder().port(tws.port()).clientId(7).maxMessagesPerSecond(45).build();
      IbClient client = IbClient.create(config, SimulatedClock.atDefaultStart(), fakeNanos::get, nanos -> {
        synchronized (sleeps) {
          sleeps.add(nanos);
        }
        fakeNanos.addAndGet(nanos);
      });
      RecordingBrokerListener events = new RecordingBrokerListener();
      try (IbBroker broker = IbBroker.owning(client)) {
        broker.connect(events);
        tws.handshake("DU123456", 1000);
        Await.until("connected", () -> client.state() == ConnectionState.CONNECTED);
        tws.read(); // reqOpenOrders
        tws.read(); // reqExecutions
        long start = fakeNanos.get();
        for (int i = 0; i < 500; i++) {
          broker.submit(ClientOrderId.of("b-" + i), OrderRequest.market(InstrumentId.of("AAPL"), Side.BUY, 1));
        }
        for (int i = 0; i < 500; i++) {
          assertThat(tws.read()).startsWith("3|" + (1001 + i) + "|");
        }
        // startApi + 2 start-up requests + 500 orders = 503 messages at 45 per second: the
        // 46th and every 45th after it waited, so at least (503 - 1) / 45 = 11 whole seconds passed
        long elapsed = fakeNanos.get() - start;
        assertThat(elapsed).isGreaterThanOrEqualTo(11 * TimeUnit.SECONDS.toNanos(1) - TimeUnit.SECONDS.toNanos(1));
        assertThat(client.pacerWaits()).isGreaterThanOrEqualTo(11);
        assertThat(events.events).isEmpty();
        assertThat(Duration.ofNanos(elapsed)).isLessThan(Duration.ofSeconds(13));
      }
    }
  }
}
