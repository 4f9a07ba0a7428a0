package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.market.Trade;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.ib.internal.IbHandler;
import dev.algotrade.testkit.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IbFeed against a scripted fake TWS over a loopback socket. */
class IbFeedTest {

  private static final Instrument AAPL = Instrument.stock("AAPL");
  private static final InstrumentId ID = AAPL.id();

  /** contractData (10) for AAPL, 42 fields (ib-protocol.md §4.7). */
  private static String contractData(int reqId, int conId, String primary) {
    return "10|" + reqId + "|AAPL|STK||0.0||SMART|USD|AAPL|"
        + "NMS|NMS|" + conId + "|0.01||ACTIVETIM,AD,LMT,MKT|SMART,NASDAQ|1|0|APPLE INC|"
        + primary + "||Technology|Computers|Computers|US/Eastern|||||"
        + "1|ISIN|US0378331005|1|||26,26||COMMON|0.0001|"
        + "0.0001|100|";
  }

  private final SimulatedClock clock = SimulatedClock.atDefaultStart();
  private final RecordingFeedListener events = new RecordingFeedListener();
  private final AtomicLong marker = new AtomicLong();
  private FakeTws tws;
  private IbFeed feed;

  @BeforeEach
  void setUp() throws IOException {
    tws = new FakeTws();
  }

  @AfterEach
  void tearDown() throws IOException {
    if (feed != null) {
      feed.stop();
    }
    tws.close();
  }

  private void start(IbMarketDataType type) throws Exception {
    IbConfig config = IbConfig.builder().port(tws.port()).clientId(3).marketDataType(type)
        .noDataWarning(Duration.ofSeconds(30)).build();
    feed = IbFeed.create(config, clock);
    feed.subscribe(AAPL);
    feed.start(events);
    IbClient client = clientOf();
    client.addHandler(new IbHandler() {
      @Override
      public void currentTime(long epochSeconds) {
        marker.set(epochSeconds);
      }
    });
    tws.handshake("DU123456", 100);
    assertThat(tws.read()).isEqualTo("59|1|" + type.code() + "|");
    assertThat(tws.read()).isEqualTo("9|8|100|0|AAPL|STK||0.0|||SMART||USD|||0||||");
  }

  private IbClient clientOf() {
    return feed.client();
  }

  private void sync() throws IOException {
    long m = marker.get() + 1;
    tws.send("49|1|" + m + "|");
    Await.until("marker " + m, () -> marker.get() == m);
  }

  private void resolveAndSubscribe() throws IOException {
    tws.send(contractData(100, 265598, "NASDAQ"));
    tws.send("52|1|100|");
    assertThat(tws.read()).isEqualTo("1|11|101|265598|AAPL|STK||0.0|||SMART||USD|||0||0|0||");
  }

  @Test
  void ticksBecomeQuotesAndTrades() throws Exception {
    start(IbMarketDataType.LIVE);
    resolveAndSubscribe();
    tws.send("58|1|101|1|");
    tws.send("1|6|101|1|150.25|300|1|"); // bid + size
    tws.send("2|6|101|0|300|"); // same bid size again: no new quote
    tws.send("1|6|101|1|150.25|300|1|"); // identical repeat: no new quote
    tws.send("1|6|101|2|150.27|200|1|"); // ask + size
    tws.send("2|6|101|3|500|"); // ask size changes
    tws.send("1|6|101|4|150.26|100|0|"); // last
    tws.send("2|6|101|5|100|");
    tws.send("2|6|101|8|123456|");
    sync();
    assertThat(events.of(Quote.class)).containsExactly(
        new Quote(ID, clock.now(), 150.25, 0, 300, 0),
        new Quote(ID, clock.now(), 150.25, 150.27, 300, 200),
        new Quote(ID, clock.now(), 150.25, 150.27, 300, 500));
    assertThat(events.of(Trade.class)).containsExactly(new Trade(ID, clock.now(), 150.26, 100));
    assertThat(events.statuses).anyMatch(s -> s.state() == FeedState.CONNECTED && s.instrument() == null);
  }

  @Test
  void aQuoteCrossedOnlyBecauseTheOtherSideLagsIsHeldBack() throws Exception {
    start(IbMarketDataType.LIVE);
    resolveAndSubscribe();
    tws.send("1|6|101|1|150.25|300|1|");
    tws.send("1|6|101|2|150.27|200|1|");
    // the market jumps up 20 cents: the new bid meets the old ask first
    tws.send("1|6|101|1|150.45|100|1|");
    tws.send("1|6|101|2|150.47|400|1|");
    // and down again: the new ask meets the old bid first
    tws.send("1|6|101|2|150.20|100|1|");
    tws.send("1|6|101|1|150.18|500|1|");
    sync();
    assertThat(events.of(Quote.class)).extracting(Quote::bid, Quote::ask)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(150.25, 0.0),
            org.assertj.core.groups.Tuple.tuple(150.25, 150.27),
            org.assertj.core.groups.Tuple.tuple(150.45, 150.47),
            org.assertj.core.groups.Tuple.tuple(150.18, 150.20));
    assertThat(feed.heldCrossedQuotes()).isEqualTo(2);
  }

  @Test
  void aMarketThatStaysCrossedIsShownOnItsNextChange() throws Exception {
    start(IbMarketDataType.LIVE);
    resolveAndSubscribe();
    tws.send("1|6|101|1|150.25|300|1|");
    tws.send("1|6|101|2|150.27|200|1|");
    tws.send("1|6|101|1|150.30|100|1|"); // crossed: held once
    tws.send("2|6|101|0|200|"); // bid size changes, still crossed: a real crossed market
    sync();
    assertThat(events.of(Quote.class)).extracting(Quote::bid, Quote::ask, Quote::bidSize)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(150.25, 0.0, 300.0),
            org.assertj.core.groups.Tuple.tuple(150.25, 150.27, 300.0),
            org.assertj.core.groups.Tuple.tuple(150.30, 150.27, 200.0));
  }

  @Test
  void delayedTicksAndNoPrice() throws Exception {
    start(IbMarketDataType.DELAYED);
    resolveAndSubscribe();
    tws.send("4|2|101|10167|Requested market data is not subscribed. Displaying delayed market data.||");
    tws.send("58|1|101|3|");
    tws.send("1|6|101|66|150.1|100|0|");
    tws.send("1|6|101|67|150.3|100|0|");
    tws.send("1|6|101|67|-1|0|0|"); // ask gone
    tws.send("1|6|101|68|150.2|5|0|");
    sync();
    assertThat(events.of(Quote.class)).extracting(Quote::bid, Quote::ask)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(150.1, 0.0),
            org.assertj.core.groups.Tuple.tuple(150.1, 150.3),
            org.assertj.core.groups.Tuple.tuple(150.1, 0.0));
    assertThat(events.of(Trade.class)).containsExactly(new Trade(ID, clock.now(), 150.2, 5));
    assertThat(events.statuses).noneMatch(s -> s.state() == FeedState.DISCONNECTED);
  }

  @Test
  void unknownSymbolFailsWithIbText() throws Exception {
    start(IbMarketDataType.LIVE);
    tws.send("4|2|100|200|No security definition has been found for the request||");
    Await.until("failure status", () -> events.statuses.stream().anyMatch(s -> ID.equals(s.instrument())));
    FeedStatus s = events.statuses.stream().filter(x -> ID.equals(x.instrument())).findFirst().orElseThrow();
    assertThat(s.state()).isEqualTo(FeedState.DISCONNECTED);
    assertThat(s.detail()).isEqualTo("IB error 200: No security definition has been found for the request");
  }

  @Test
  void ambiguousSymbolFails() throws Exception {
    start(IbMarketDataType.LIVE);
    tws.send(contractData(100, 265598, "NASDAQ"));
    tws.send(contractData(100, 38708077, "MEXI"));
    tws.send("52|1|100|");
    Await.until("failure status", () -> events.statuses.stream().anyMatch(s -> ID.equals(s.instrument())));
    assertThat(events.statuses.stream().filter(x -> ID.equals(x.instrument())).findFirst().orElseThrow().detail())
        .contains("ambiguous").contains("265598").contains("38708077");
  }

  @Test
  void marketDataErrorDisconnectsTheInstrument() throws Exception {
    start(IbMarketDataType.LIVE);
    resolveAndSubscribe();
    tws.send("4|2|101|354|Requested market data is not subscribed.||");
    Await.until("failure status", () -> events.statuses.stream().anyMatch(s -> ID.equals(s.instrument())));
    assertThat(events.statuses.stream().filter(x -> ID.equals(x.instrument())).findFirst().orElseThrow().detail())
        .isEqualTo("IB error 354: Requested market data is not subscribed.");
  }

  @Test
  void unansweredLookupFallsBackToSymbol() throws Exception {
    IbConfig config = IbConfig.builder().port(tws.port()).clientId(3).connectTimeout(Duration.ofSeconds(1)).build();
    feed = IbFeed.create(config, clock);
    feed.subscribe(AAPL);
    feed.start(events);
    tws.handshake("DU123456", 100);
    assertThat(tws.read()).isEqualTo("59|1|1|");
    assertThat(tws.read()).isEqualTo("9|8|100|0|AAPL|STK||0.0|||SMART||USD|||0||||");
    // no contractData: after the look-up timeout the feed asks by symbol (conId 0)
    assertThat(tws.read()).isEqualTo("1|11|101|0|AAPL|STK||0.0|||SMART||USD|||0||0|0||");
  }

  @Test
  void silenceIsReportedStaleThenResumed() throws Exception {
    start(IbMarketDataType.LIVE);
    resolveAndSubscribe();
    sync();
    clock.advance(Duration.ofSeconds(29));
    feed.checkStale();
    assertThat(events.statuses).noneMatch(s -> s.state() == FeedState.STALE);
    clock.advance(Duration.ofSeconds(2));
    feed.checkStale();
    assertThat(events.statuses).anyMatch(s -> s.state() == FeedState.STALE && ID.equals(s.instrument())
        && s.detail().startsWith("Warning: No market data received"));
    tws.send("1|6|101|1|150.25|300|1|");
    sync();
    assertThat(events.statuses.get(events.statuses.size() - 1).state()).isEqualTo(FeedState.CONNECTED);
  }

  @Test
  void snapshotQuote() throws Exception {
    start(IbMarketDataType.LIVE);
    resolveAndSubscribe();
    CompletableFuture<Quote> q = feed.snapshot(AAPL); // contract cached: no second look-up
    assertThat(tws.read()).isEqualTo("1|11|102|265598|AAPL|STK||0.0|||SMART||USD|||0||1|0||");
    tws.send("1|6|102|1|150.25|300|1|");
    tws.send("1|6|102|2|150.27|200|1|");
    tws.send("81|102|0.01|9c0001|3|");
    tws.send("57|1|102|");
    assertThat(q.get(5, TimeUnit.SECONDS)).isEqualTo(new Quote(ID, clock.now(), 150.25, 150.27, 300, 200));
    assertThat(events.of(Quote.class)).isEmpty(); // snapshot ticks do not leak into the stream
  }

  @Test
  void stopCancelsSubscriptions() throws Exception {
    start(IbMarketDataType.LIVE);
    resolveAndSubscribe();
    sync();
    IbClient client = clientOf();
    feed.stop();
    feed = null;
    // the cancel is queued before the socket closes; read it if it made it out
    try {
      assertThat(tws.read()).isEqualTo("2|2|101|");
    } catch (IOException closedFirst) {
      assertThat(client.state()).isNotNull();
    }
    assertThat(events.statuses.get(events.statuses.size() - 1).state()).isEqualTo(FeedState.STOPPED);
  }
}
