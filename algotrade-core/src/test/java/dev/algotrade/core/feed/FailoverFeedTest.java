package dev.algotrade.core.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.api.market.Quote;
import dev.algotrade.core.time.SimulatedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FailoverFeedTest {
  private static final Instrument AAPL = Instrument.stock("AAPL");
  private static final InstrumentId ID = AAPL.id();
  private static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  /** A feed the test pushes by hand. */
  static final class HandFeed implements MarketDataFeed {
    final String name;
    final List<Instrument> subscribed = new ArrayList<>();
    MarketDataListener listener;
    boolean stopped;

    HandFeed(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void subscribe(Instrument instrument) {
      subscribed.add(instrument);
    }

    @Override
    public void start(MarketDataListener l) {
      listener = l;
    }

    @Override
    public void stop() {
      stopped = true;
    }

    void quote(Instant t, double mid) {
      listener.onMarketData(new Quote(ID, t, mid - 0.01, mid + 0.01, 100, 100));
    }

    void status(FeedState s) {
      listener.onFeedStatus(FeedStatus.of(name, s, "test", T0));
    }
  }

  /** Records what reaches the engine. */
  static final class Sink implements MarketDataListener {
    final List<MarketData> data = new CopyOnWriteArrayList<>();
    final List<FeedStatus> statuses = new CopyOnWriteArrayList<>();

    @Override
    public void onMarketData(MarketData d) {
      data.add(d);
    }

    @Override
    public void onFeedStatus(FeedStatus s) {
      statuses.add(s);
    }

    List<Double> mids() {
      List<Double> out = new ArrayList<>();
      for (MarketData d : data) {
        out.add(((Quote) d).mid());
      }
      return out;
    }
  }

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final HandFeed stream = new HandFeed("stream");
  private final HandFeed poll = new HandFeed("poll");
  private final Sink sink = new Sink();
  private FailoverFeed feed;

  @BeforeEach
  void setUp() {
    feed = FailoverFeed.builder().name("aapl-feed").primary(stream).fallback(poll)
        .staleAfter(Duration.ofSeconds(5)).checkEvery(Duration.ZERO).clock(clock).build();
    feed.subscribe(AAPL);
    feed.start(sink);
  }

  @Test
  void subscribesBothAndTakesOnlyTheStreamWhileItIsHealthy() {
    assertThat(stream.subscribed).containsExactly(AAPL);
    assertThat(poll.subscribed).containsExactly(AAPL);
    stream.quote(T0, 100);
    poll.quote(T0.plusMillis(500), 999);
    stream.quote(T0.plusSeconds(1), 101);
    assertThat(sink.mids()).containsExactly(100.0, 101.0);
    assertThat(feed.isOnFallback()).isFalse();
  }

  @Test
  void silenceBeyondStaleAfterSwitchesToPollingAndTheSwitchIsAnEvent() {
    stream.quote(T0, 100);
    clock.advance(Duration.ofMillis(4999));
    feed.checkNow();
    assertThat(feed.isOnFallback()).as("not yet stale").isFalse();
    clock.advance(Duration.ofMillis(1));
    feed.checkNow();
    assertThat(feed.isOnFallback()).isTrue();
    assertThat(sink.statuses).last().satisfies(s -> {
      assertThat(s.feed()).isEqualTo("aapl-feed");
      assertThat(s.state()).isEqualTo(FeedState.STALE);
      assertThat(s.detail()).contains("switched to fallback poll").contains("5000 ms");
    });
    poll.quote(T0.plusSeconds(6), 102);
    assertThat(sink.mids()).containsExactly(100.0, 102.0);
  }

  @Test
  void aDisconnectSwitchesAtOnceAndTheStreamsReturnSwitchesBack() {
    stream.quote(T0, 100);
    stream.status(FeedState.DISCONNECTED);
    assertThat(feed.isOnFallback()).isTrue();
    // the primary's own status, then the switch: both under this feed's name
    assertThat(sink.statuses).extracting(FeedStatus::feed).containsExactly("aapl-feed", "aapl-feed");
    assertThat(sink.statuses.get(0).detail()).startsWith("stream");
    assertThat(sink.statuses.get(1).detail()).contains("switched to fallback poll");
    poll.quote(T0.plusSeconds(2), 101);
    stream.status(FeedState.CONNECTED);
    stream.quote(T0.plusSeconds(3), 102);
    assertThat(feed.isOnFallback()).isFalse();
    assertThat(sink.statuses).last().satisfies(s -> {
      assertThat(s.state()).isEqualTo(FeedState.CONNECTED);
      assertThat(s.detail()).contains("recovered");
    });
    poll.quote(T0.plusSeconds(4), 999); // ignored again
    assertThat(sink.mids()).containsExactly(100.0, 101.0, 102.0);
    assertThat(feed.switches()).isEqualTo(2);
  }

  @Test
  void nothingOlderThanWhatWasDeliveredAndNoDuplicatesGetThrough() {
    stream.quote(T0.plusSeconds(10), 100);
    stream.status(FeedState.STALE);
    poll.quote(T0.plusSeconds(9), 98);       // older than delivered: dropped
    poll.quote(T0.plusSeconds(10), 100);     // the very same quote: dropped
    poll.quote(T0.plusSeconds(10), 100.5);   // same time, a new price: delivered
    poll.quote(T0.plusSeconds(11), 101);
    stream.quote(T0.plusSeconds(11), 101);   // stream back with a quote equal to the last: switch, no duplicate
    stream.quote(T0.plusSeconds(12), 102);
    assertThat(sink.mids()).containsExactly(100.0, 100.5, 101.0, 102.0);
    assertThat(feed.droppedOutOfOrder()).isEqualTo(1);
    assertThat(feed.droppedDuplicates()).isEqualTo(2);
    for (int i = 1; i < sink.data.size(); i++) {
      assertThat(sink.data.get(i).time()).isAfterOrEqualTo(sink.data.get(i - 1).time());
    }
  }

  @Test
  void stopStopsBothAndNothingArrivesAfterwards() {
    feed.stop();
    assertThat(stream.stopped).isTrue();
    assertThat(poll.stopped).isTrue();
    stream.quote(T0, 100);
    assertThat(sink.data).isEmpty();
    feed.stop(); // idempotent
  }

  @Test
  void builderNamesWhatIsWrong() {
    assertThatThrownBy(() -> FailoverFeed.builder().primary(stream).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("fallback=missing");
    assertThatThrownBy(() -> FailoverFeed.builder().primary(stream).fallback(stream).build())
        .hasMessageContaining("must be two feeds");
    assertThatThrownBy(() -> FailoverFeed.builder().staleAfter(Duration.ZERO))
        .hasMessageContaining("staleAfter must be > 0, was PT0S");
  }
}
