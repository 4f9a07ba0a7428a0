package dev.algotrade.core.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.api.market.Quote;
import dev.algotrade.core.time.SimulatedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatedMarketTest {

  static final Instrument AAPL = Instrument.stock("AAPL");
  static final Instrument MSFT = Instrument.stock("MSFT");
  static final Instrument ES = Instrument.stock("ES").withTickSize(0.25).withLotSize(1);
  static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  static SimulatedMarket.Builder base(long seed) {
    return SimulatedMarket.builder()
        .instrument(AAPL, 190.0)
        .instrument(MSFT, 370.0)
        .instrument(ES, 4800.0)
        .seed(seed)
        .start(T0)
        .step(Duration.ofMillis(250));
  }

  static List<Quote> drain(SimulatedMarket m, int max) {
    List<Quote> out = new ArrayList<>();
    Quote q;
    while (out.size() < max && (q = m.next()) != null) {
      out.add(q);
    }
    return out;
  }

  @Test
  void sameSeedGivesTheSameQuotesAndAnotherSeedDoesNot() {
    SimulatedMarket a = base(42).build();
    SimulatedMarket b = base(42).build();
    SimulatedMarket c = base(43).build();
    for (SimulatedMarket m : List.of(a, b, c)) {
      m.subscribe(AAPL);
      m.subscribe(ES);
    }
    List<Quote> qa = drain(a, 10_000);
    assertThat(qa).hasSize(10_000).isEqualTo(drain(b, 10_000));
    assertThat(drain(c, 10_000)).isNotEqualTo(qa);
  }

  @Test
  void quotesAreOnTheTickGridPositiveAndSpreadAsConfigured() {
    Instrument penny = Instrument.stock("PENNY");
    SimulatedMarket m = SimulatedMarket.builder()
        .instrument(penny, 0.05) // starts a few ticks above zero and is pushed against the floor
        .instrument(ES, 4800.0)
        .volatility(0.05)
        .spreadTicks(3)
        .maxSizeLots(7)
        .seed(7)
        .build();
    m.subscribe(penny);
    m.subscribe(ES);
    List<Quote> quotes = drain(m, 200_000);
    assertThat(quotes).hasSize(200_000);
    double minPennyBid = Double.MAX_VALUE;
    for (Quote q : quotes) {
      Instrument inst = q.instrument().equals(ES.id()) ? ES : penny;
      assertThat(q.bid()).isGreaterThan(0);
      assertThat(inst.isOnTick(q.bid())).as("bid on tick %s", q).isTrue();
      assertThat(inst.isOnTick(q.ask())).as("ask on tick %s", q).isTrue();
      assertThat((q.ask() - q.bid()) / inst.tickSize()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(q.bidSize()).isBetween(1.0, 7.0);
      assertThat(q.askSize()).isBetween(1.0, 7.0);
      assertThat(inst.isWholeLots(q.bidSize()) && inst.isWholeLots(q.askSize())).isTrue();
      if (inst == penny) {
        minPennyBid = Math.min(minPennyBid, q.bid());
      }
    }
    assertThat(minPennyBid).as("the floor was reached").isEqualTo(0.01);
  }

  @Test
  void roundsOfQuotesAdvanceByTheStep() {
    SimulatedMarket m = base(1).build();
    m.subscribe(MSFT);
    m.subscribe(AAPL);
    List<Quote> quotes = drain(m, 6);
    assertThat(quotes).extracting(Quote::instrument)
        .containsExactly(MSFT.id(), AAPL.id(), MSFT.id(), AAPL.id(), MSFT.id(), AAPL.id());
    assertThat(quotes).extracting(Quote::time).containsExactly(
        T0, T0, T0.plusMillis(250), T0.plusMillis(250), T0.plusMillis(500), T0.plusMillis(500));
  }

  @Test
  void subSecondAndMultiSecondStepsCarryCorrectly() {
    SimulatedMarket m = base(1).step(Duration.ofMillis(1700)).build();
    m.subscribe(AAPL);
    List<Quote> quotes = drain(m, 100);
    for (int i = 0; i < quotes.size(); i++) {
      assertThat(quotes.get(i).time()).isEqualTo(T0.plusMillis(1700L * i));
    }
  }

  @Test
  void anInstrumentsPathDoesNotDependOnWhatElseIsSubscribed() {
    SimulatedMarket alone = base(5).build();
    alone.subscribe(AAPL);
    SimulatedMarket together = base(5).build();
    together.subscribe(MSFT);
    together.subscribe(AAPL);
    List<Quote> a = drain(alone, 1_000);
    List<Quote> t = drain(together, 2_000);
    List<Quote> aaplOnly = new ArrayList<>();
    for (Quote q : t) {
      if (q.instrument().equals(AAPL.id())) {
        aaplOnly.add(q);
      }
    }
    assertThat(aaplOnly).isEqualTo(a);
  }

  @Test
  void limitEndsTheReplayForGood() {
    SimulatedMarket m = base(1).limit(1_001).build();
    m.subscribe(AAPL);
    m.subscribe(MSFT);
    assertThat(drain(m, 5_000)).hasSize(1_001);
    assertThat(m.next()).isNull();
    assertThat(m.next()).isNull();
    assertThat(m.emitted()).isEqualTo(1_001);
  }

  @Test
  void stopEndsAReplay() {
    SimulatedMarket m = base(1).build();
    m.subscribe(AAPL);
    assertThat(m.next()).isNotNull();
    m.stop();
    m.stop();
    assertThat(m.next()).isNull();
  }

  @Test
  void relativeStepHasTheConfiguredStandardDeviation() {
    SimulatedMarket m = base(9).volatility(0.001).build();
    Instrument big = Instrument.stock("BIG");
    SimulatedMarket bigMarket = SimulatedMarket.builder().instrument(big, 100_000).volatility(0.001).seed(9).build();
    bigMarket.subscribe(big);
    double prev = bigMarket.next().mid();
    double sum = 0;
    double sumSq = 0;
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      double mid = bigMarket.next().mid();
      double r = mid / prev - 1;
      sum += r;
      sumSq += r * r;
      prev = mid;
    }
    double sd = Math.sqrt(sumSq / n - (sum / n) * (sum / n));
    assertThat(sd).isBetween(0.00095, 0.00105);
    assertThat(m).isNotNull();
  }

  @Test
  void nextAllocatesNoMoreThanTheQuoteAndItsInstant() {
    java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
    org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
        "needs com.sun.management.ThreadMXBean");
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
    SimulatedMarket m = base(1).build();
    m.subscribe(AAPL); // one instrument: a new Instant on every quote, the worst case
    double sink = 0;
    for (int i = 0; i < 200_000; i++) {
      sink += m.next().bid();
    }
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    int n = 1_000_000;
    for (int i = 0; i < n; i++) {
      sink += m.next().bid();
    }
    double perQuote = (mx.getThreadAllocatedBytes(tid) - before) / (double) n;
    // Quote 56 bytes + Instant 24 with compressed oops (88 without); boxing or copies would show
    assertThat(perQuote).as("bytes allocated per quote").isLessThanOrEqualTo(96);
    assertThat(sink).isPositive();
  }

  @Test
  void subscribingAnUndeclaredInstrumentIsAConfigurationError() {
    SimulatedMarket m = base(1).build();
    assertThatThrownBy(() -> m.subscribe(Instrument.stock("TSLA")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no start price for instrument TSLA")
        .hasMessageContaining("AAPL");
  }

  @Test
  void builderRejectsBadValuesNamingThem() {
    SimulatedMarket.Builder b = SimulatedMarket.builder();
    assertThatThrownBy(() -> b.instrument(AAPL, -1)).hasMessage("SimulatedMarket.startPrice for AAPL must be finite and > 0, was -1.0");
    assertThatThrownBy(() -> b.step(Duration.ZERO)).hasMessage("SimulatedMarket.step must be > 0 and <= 1 day, was PT0S");
    assertThatThrownBy(() -> b.volatility(Double.NaN)).hasMessage("SimulatedMarket.volatility must be >= 0 and < 0.1 per step, was NaN");
    assertThatThrownBy(() -> b.spreadTicks(0)).hasMessage("SimulatedMarket.spreadTicks must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> b.limit(-5)).hasMessage("SimulatedMarket.limit must be >= 0, was -5");
    assertThatThrownBy(() -> b.speed(0)).hasMessage("SimulatedMarket.speed must be > 0 (Infinity = as fast as possible), was 0.0");
    assertThatThrownBy(() -> b.maxSizeLots(0)).hasMessage("SimulatedMarket.maxSizeLots must be between 1 and 10000, was 0");
    assertThatThrownBy(() -> b.name(" ")).hasMessage("SimulatedMarket.name must not be blank, was ' '");
    assertThatThrownBy(b::build).isInstanceOf(ConfigurationException.class).hasMessageContaining("at least one instrument");
    b.instrument(AAPL, 1);
    assertThatThrownBy(() -> b.instrument(AAPL, 2)).hasMessage("SimulatedMarket.instrument AAPL declared twice");
  }

  @Test
  void liveModeStampsQuotesWithTheClockAndStopsAtTheLimit() throws InterruptedException {
    SimulatedClock clock = new SimulatedClock(Instant.parse("2030-05-06T07:08:09Z"));
    SimulatedMarket m = base(3).clock(clock).speed(Double.POSITIVE_INFINITY).limit(500).name("simA").build();
    m.subscribe(AAPL);
    m.subscribe(MSFT);
    List<MarketData> data = new CopyOnWriteArrayList<>();
    List<FeedStatus> statuses = new CopyOnWriteArrayList<>();
    CountDownLatch ended = new CountDownLatch(1);
    m.start(new MarketDataListener() {
      @Override
      public void onMarketData(MarketData d) {
        data.add(d);
      }

      @Override
      public void onFeedStatus(FeedStatus s) {
        statuses.add(s);
        if (s.state() == FeedState.STOPPED) {
          ended.countDown();
        }
      }
    });
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(data).hasSize(500).allSatisfy(d -> assertThat(d.time()).isEqualTo(clock.now()));
    assertThat(statuses).extracting(FeedStatus::state).containsExactly(FeedState.CONNECTED, FeedState.STOPPED);
    assertThat(statuses).extracting(FeedStatus::feed).containsOnly("simA");
    assertThatThrownBy(m::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("live");
    assertThatThrownBy(() -> m.start(new Recording())).isInstanceOf(IllegalStateException.class);
    m.stop();
  }

  @Test
  void aListenerThatThrowsDoesNotKillTheFeed() throws InterruptedException {
    SimulatedMarket m = base(3).speed(Double.POSITIVE_INFINITY).limit(100).build();
    m.subscribe(AAPL);
    CountDownLatch ended = new CountDownLatch(1);
    int[] calls = new int[1];
    m.start(new MarketDataListener() {
      @Override
      public void onMarketData(MarketData d) {
        calls[0]++;
        throw new IllegalStateException("boom");
      }

      @Override
      public void onFeedStatus(FeedStatus s) {
        if (s.state() == FeedState.STOPPED) {
          ended.countDown();
        }
      }
    });
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    m.stop();
    assertThat(calls[0]).isEqualTo(100);
  }

  @Test
  void replayUseForbidsLiveStart() {
    SimulatedMarket m = base(3).build();
    m.subscribe(AAPL);
    m.next();
    assertThatThrownBy(() -> m.start(new Recording())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("replay");
  }

  static final class Recording implements MarketDataListener {
    final List<MarketData> data = new CopyOnWriteArrayList<>();

    @Override
    public void onMarketData(MarketData d) {
      data.add(d);
    }

    @Override
    public void onFeedStatus(FeedStatus s) {}
  }

  static InstrumentId id(String s) {
    return InstrumentId.of(s);
  }
}
