package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.Quote;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.testkit.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IbPollingFeedTest {

  @Test
  void pollsSnapshots() throws Exception {
    SimulatedClock clock = SimulatedClock.atDefaultStart();
    try (FakeTws tws = new FakeTws();
        IbClient client = IbClient.create(IbConfig.builder().port(tws.port()).clientId(5).build(), clock)) {
      IbPollingFeed feed = IbPollingFeed.on(client, Duration.ofHours(1)); // rounds driven by hand
      RecordingFeedListener events = new RecordingFeedListener();
      feed.subscribe(Instrument.stock("AAPL"));
      feed.start(events);
      tws.handshake("DU123456", 100);
      client.ready().get(5, TimeUnit.SECONDS);
      // pollAll polls only while the client isReady()
      Await.until("client ready", client::isReady);
      feed.pollAll();
      assertThat(tws.read()).isEqualTo("9|8|100|0|AAPL|STK||0.0|||SMART||USD|||0||||");
      tws.send("4|2|100|200|No security definition has been found for the request||");
      Await.until("stale status", () -> !events.statuses.isEmpty());
      assertThat(events.statuses.get(0).detail()).contains("IB error 200");
      feed.pollAll();
      assertThat(tws.read()).isEqualTo("9|8|101|0|AAPL|STK||0.0|||SMART||USD|||0||||");
      tws.send("10|101|AAPL|STK||0.0||SMART|USD|AAPL|NMS|NMS|265598|0.01||LMT|SMART|1|0|APPLE INC|NASDAQ||||||||||"
          + "0|1|||26||COMMON|1|1|100|");
      tws.send("52|1|101|");
      assertThat(tws.read()).isEqualTo("1|11|102|265598|AAPL|STK||0.0|||SMART||USD|||0||1|0||");
      tws.send("1|6|102|1|150.25|300|1|");
      tws.send("1|6|102|2|150.27|200|1|");
      tws.send("57|1|102|");
      Await.until("quote", () -> !events.of(Quote.class).isEmpty());
      assertThat(events.of(Quote.class).get(0).mid()).isEqualTo((150.25 + 150.27) / 2);
      feed.stop();
    }
    assertThatThrownBy(() -> IbPollingFeed.on(null, Duration.ofMillis(10))).hasMessageContaining("interval");
  }
}
