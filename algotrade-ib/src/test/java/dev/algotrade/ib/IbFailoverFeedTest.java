package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.Quote;
import dev.algotrade.core.feed.FailoverFeed;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.core.time.SystemClock;
import dev.algotrade.ib.testkit.SimulatedGateway;
import dev.algotrade.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IB's failover pair against the simulated gateway: the streaming {@link IbFeed} as primary and
 * the snapshot-polling {@link IbPollingFeed} as fallback of a core {@link FailoverFeed}, both on
 * one {@link IbClient}; and the polling feed's switch to delayed data when the account has no
 * live data.
 */
class IbFailoverFeedTest {

  private static final String SYMBOL = "AAPL";
  private static final Instrument AAPL = Instrument.stock(SYMBOL);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private SimulatedGateway gateway;
  private IbClient client;
  private final RecordingFeedListener events = new RecordingFeedListener();

  @BeforeEach
  void start() {
    gateway = SimulatedGateway.builder().port(0).instrument(SYMBOL, 265598, 0.01, 100.00).build().start();
    gateway.setQuote(SYMBOL, 100.00, 100.02, 1000, 1000);
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    gateway.close();
  }

  private IbClient client(IbMarketDataType type) {
    client = IbClient.create(IbConfig.builder().host("127.0.0.1").port(gateway.port()).clientId(3)
        .connectTimeout(Duration.ofSeconds(5)).marketDataType(type)
        .reconnect(ReconnectPolicy.ofDefaults().withDelays(Duration.ofMillis(50), Duration.ofMillis(400))).build(),
        SystemClock.instance());
    return client;
  }

  private static void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition);
  }

  private boolean quoteWithBid(double bid) {
    return events.of(Quote.class).stream().anyMatch(q -> q.bid() == bid);
  }

  @Test
  void streamStallsThenSnapshotsCarryTheDataThenTheStreamTakesOver() {
    IbClient c = client(IbMarketDataType.LIVE);
    SimulatedClock failoverClock = SimulatedClock.atDefaultStart();
    IbFeed stream = IbFeed.on(c);
    IbPollingFeed polling = IbPollingFeed.on(c, Duration.ofSeconds(1));
    FailoverFeed feed = FailoverFeed.builder().name("ib-failover").primary(stream).fallback(polling)
        .staleAfter(Duration.ofSeconds(5)).checkEvery(Duration.ZERO).clock(failoverClock).build();
    feed.subscribe(AAPL);
    feed.start(events);
    await("streamed quote", () -> quoteWithBid(100.00));
    int streamId = stream.tickerIdOf(AAPL.id());

    // the stream goes silent (ticks of its ticker id are lost); snapshots still answer
    gateway.faults().interceptOutgoing((clientId, f) -> isTickOf(f, streamId) ? List.of() : List.of(f));
    gateway.setQuote(SYMBOL, 100.10, 100.12, 800, 800);
    failoverClock.advance(Duration.ofSeconds(6));
    feed.checkNow();
    assertThat(feed.isOnFallback()).isTrue();
    await("quote from a snapshot", () -> quoteWithBid(100.10));
    assertThat(events.statuses).anyMatch(s -> s.state() == FeedState.STALE && s.detail().contains("ib-poll"));

    // the stream comes back: its first tick switches back
    gateway.faults().interceptOutgoing(null);
    gateway.setQuote(SYMBOL, 100.20, 100.22, 800, 800);
    await("back on the stream", () -> !feed.isOnFallback() && quoteWithBid(100.20));
    assertThat(events.statuses).anyMatch(s -> s.state() == FeedState.CONNECTED && s.detail().contains("recovered"));
    assertThat(gateway.marketDataSubscriptions().get(3)).as("snapshots never leave a subscription behind")
        .containsExactly(streamId);
    assertThat(polling.usesDelayedData()).isFalse();
    feed.stop();
  }

  @Test
  void bothSourcesComeBackAfterTheSocketIsLost() {
    IbClient c = client(IbMarketDataType.LIVE);
    IbFeed stream = IbFeed.on(c);
    IbPollingFeed polling = IbPollingFeed.on(c, Duration.ofSeconds(1));
    FailoverFeed feed = FailoverFeed.builder().name("ib-failover").primary(stream).fallback(polling)
        .staleAfter(Duration.ofSeconds(30)).checkEvery(Duration.ZERO).clock(SimulatedClock.atDefaultStart()).build();
    feed.subscribe(AAPL);
    feed.start(events);
    await("streamed quote", () -> quoteWithBid(100.00));
    int before = stream.tickerIdOf(AAPL.id());

    gateway.faults().refuseConnections(true);
    gateway.faults().dropConnectionNow();
    await("on the fallback while the socket is down", feed::isOnFallback);
    assertThat(events.statuses).anyMatch(s -> s.state() == FeedState.DISCONNECTED);
    gateway.setQuote(SYMBOL, 100.30, 100.32, 700, 700);
    gateway.faults().refuseConnections(false);

    // the new session: the stream subscribes again under a fresh id and takes over again
    await("back on the stream with the new quote", () -> !feed.isOnFallback() && quoteWithBid(100.30));
    assertThat(stream.tickerIdOf(AAPL.id())).isGreaterThan(before);
    assertThat(stream.resubscriptions()).isEqualTo(1);
    assertThat(gateway.marketDataSubscriptions().get(3)).containsExactly(stream.tickerIdOf(AAPL.id()));
    assertThat(c.sessions()).isEqualTo(2);
    feed.stop();
  }

  private static boolean isTickOf(List<String> fields, int tickerId) {
    String id = fields.get(0);
    return (id.equals("1") || id.equals("2") || id.equals("45") || id.equals("46"))
        && fields.size() > 2 && fields.get(2).equals(Integer.toString(tickerId));
  }

  @Test
  void pollingFallsBackToDelayedDataWhenLiveIsNotSubscribed() {
    IbClient c = client(IbMarketDataType.LIVE);
    gateway.faults().failNextRequest(1, 354, "Requested market data is not subscribed. Displaying delayed market data.");
    IbPollingFeed polling = IbPollingFeed.on(c, Duration.ofHours(1)); // one round at start
    polling.subscribe(AAPL);
    polling.start(events);
    await("connected", c::isReady);
    polling.pollAll();
    await("a delayed snapshot", () -> quoteWithBid(100.00));
    assertThat(polling.usesDelayedData()).isTrue();
    assertThat(events.statuses).as("the switch is not an outage").noneMatch(s -> s.state() == FeedState.STALE);
    polling.stop();
  }

  @Test
  void noDelayedDataEitherIsReportedStale() {
    IbClient c = client(IbMarketDataType.DELAYED);
    gateway.faults().failNextRequest(1, 10168, "Requested market data is not subscribed. Delayed market data is "
        + "not enabled.");
    IbPollingFeed polling = IbPollingFeed.on(c, Duration.ofHours(1));
    polling.subscribe(AAPL);
    polling.start(events);
    await("connected", c::isReady);
    polling.pollAll();
    await("stale", () -> events.statuses.stream().anyMatch(s -> s.state() == FeedState.STALE));
    assertThat(events.statuses.get(0).detail()).contains("10168");
    assertThat(polling.usesDelayedData()).isTrue();
    assertThat(events.of(Quote.class)).isEmpty();
    polling.stop();
  }
}
