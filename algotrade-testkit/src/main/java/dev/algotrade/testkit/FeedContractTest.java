package dev.algotrade.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.market.ReplayFeed;
import dev.algotrade.api.market.Trade;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MarketDataFeed} passes: the simulated market, the CSV replay and the
 * IB feed are held to it alike. Extend it, supply {@link #createFeed()} and
 * {@link #instruments()}, and override the hooks where the feed differs.
 *
 * <p>Live checks: data only for subscribed instruments; event times never decrease; every
 * quote is sane (non-negative, at least one side priced, not crossed unless
 * {@link #allowsCrossedQuotes()}); statuses carry the feed's name and a start reports
 * {@link FeedState#CONNECTED}; {@code stop()} is idempotent and no data arrives after it
 * returns; {@code close()} stops like {@code stop()}; subscribing after start works unless
 * {@link #supportsSubscribeAfterStart()} says otherwise. Replay checks (when the feed is a
 * {@link ReplayFeed}): {@code next()} returns null at the end and keeps returning null, gives
 * only subscribed instruments in time order, and two feeds from the factory give the same
 * sequence.
 *
 * <p>Live tests wait with {@link Await} for {@link #eventsToAwait()} events (or the feed's own
 * end), so a feed should deliver that many within {@link #timeout()}; feeds are stopped after
 * each test. A subclass is one JUnit test class, run on one thread.
 */
public abstract class FeedContractTest {

  private final List<MarketDataFeed> feeds = new ArrayList<>();

  /**
   * A new, unstarted feed. Replay feeds must be finite (end within {@link #maxReplayEvents()})
   * and every call must give a feed over the same data (same seed, same files).
   */
  protected abstract MarketDataFeed createFeed();

  /** Instruments the feed delivers data for once subscribed; at least two. */
  protected abstract List<Instrument> instruments();

  /** Whether {@code subscribe} after {@code start} delivers the new instrument (default true). */
  protected boolean supportsSubscribeAfterStart() {
    return true;
  }

  /** Whether a quote may be crossed (bid > ask) briefly, as real venues allow (default false). */
  protected boolean allowsCrossedQuotes() {
    return false;
  }

  /** How many events the live tests wait for (default 20). */
  protected int eventsToAwait() {
    return 20;
  }

  /** How long to wait for a condition before failing (default 10 s). */
  protected Duration timeout() {
    return Duration.ofSeconds(10);
  }

  /** How long to watch for stray data after {@code stop()} returned (default 200 ms). */
  protected Duration quietPeriod() {
    return Duration.ofMillis(200);
  }

  /** Most events a replay may hold; draining beyond this fails (default 10 million). */
  protected long maxReplayEvents() {
    return 10_000_000L;
  }

  /** Creates a feed through {@link #createFeed()} and stops it after the test. */
  protected final MarketDataFeed newFeed() {
    MarketDataFeed feed = createFeed();
    assertThat(feed).as("createFeed()").isNotNull();
    feeds.add(feed);
    return feed;
  }

  @AfterEach
  public void stopFeeds() {
    for (MarketDataFeed f : feeds) {
      f.stop();
    }
    feeds.clear();
  }

  private Instrument first() {
    assertThat(instruments()).as("instruments() must name at least two").hasSizeGreaterThanOrEqualTo(2);
    return instruments().get(0);
  }

  private Instrument second() {
    first();
    return instruments().get(1);
  }

  private Recorder startAndAwait(MarketDataFeed feed) {
    Recorder r = new Recorder();
    feed.start(r);
    Await.until(eventsToAwait() + " events or the end from " + feed.name(), timeout(),
        () -> r.count() >= eventsToAwait() || r.ended());
    return r;
  }

  @Test
  public void deliversDataOnlyForSubscribedInstruments() {
    MarketDataFeed feed = newFeed();
    feed.subscribe(first());
    Recorder r = startAndAwait(feed);
    feed.stop();
    assertThat(r.count()).as("events delivered").isPositive();
    assertThat(r.instruments()).containsOnly(first().id());
  }

  @Test
  public void eventTimesNeverDecrease() {
    MarketDataFeed feed = newFeed();
    instruments().forEach(feed::subscribe);
    Recorder r = startAndAwait(feed);
    feed.stop();
    Instant last = Instant.MIN;
    for (MarketData d : r.data()) {
      assertThat(d.time()).as("time of %s after %s", d, last).isAfterOrEqualTo(last);
      last = d.time();
    }
  }

  @Test
  public void everyEventIsWellFormed() {
    MarketDataFeed feed = newFeed();
    instruments().forEach(feed::subscribe);
    Recorder r = startAndAwait(feed);
    feed.stop();
    Set<InstrumentId> known = new HashSet<>();
    instruments().forEach(i -> known.add(i.id()));
    assertThat(r.data()).isNotEmpty();
    for (MarketData d : r.data()) {
      assertWellFormed(d, known);
    }
  }

  private void assertWellFormed(MarketData d, Set<InstrumentId> known) {
    assertThat(d.instrument()).as("instrument of %s", d).isIn(known);
    assertThat(d.time()).as("time of %s", d).isNotNull();
    if (d instanceof Quote) {
      Quote q = (Quote) d;
      assertThat(q.bid() > 0 || q.ask() > 0).as("a side is priced in %s", q).isTrue();
      assertThat(q.bid() >= 0 && q.ask() >= 0 && q.bidSize() >= 0 && q.askSize() >= 0)
          .as("non-negative %s", q).isTrue();
      if (q.bid() == 0) {
        assertThat(q.bidSize()).as("empty bid has no size in %s", q).isZero();
      }
      if (q.ask() == 0) {
        assertThat(q.askSize()).as("empty ask has no size in %s", q).isZero();
      }
      if (q.isTwoSided() && !allowsCrossedQuotes()) {
        assertThat(q.ask()).as("ask >= bid in %s", q).isGreaterThanOrEqualTo(q.bid());
      }
    } else if (d instanceof Bar) {
      Bar b = (Bar) d;
      assertThat(b.low()).as("low <= high in %s", b).isLessThanOrEqualTo(b.high());
    } else if (d instanceof Trade) {
      assertThat(((Trade) d).price()).as("price of %s", d).isPositive();
    }
  }

  @Test
  public void startReportsConnectedAndEveryStatusNamesTheFeed() {
    MarketDataFeed feed = newFeed();
    instruments().forEach(feed::subscribe);
    Recorder r = new Recorder();
    feed.start(r);
    Await.until("CONNECTED status from " + feed.name(), timeout(),
        () -> r.statuses().stream().anyMatch(s -> s.state() == FeedState.CONNECTED));
    feed.stop();
    assertThat(r.statuses()).extracting(FeedStatus::feed).containsOnly(feed.name());
  }

  @Test
  public void stopIsIdempotentAndNoDataArrivesAfterItReturns() throws InterruptedException {
    MarketDataFeed feed = newFeed();
    instruments().forEach(feed::subscribe);
    Recorder r = new Recorder();
    feed.start(r);
    Await.until("first event from " + feed.name(), timeout(), () -> r.count() > 0 || r.ended());
    feed.stop();
    r.closeGate();
    feed.stop();
    assertThat(r.lateData.await(quietPeriod().toMillis(), TimeUnit.MILLISECONDS))
        .as("data arrived after stop() returned: %s", r.lateExample).isFalse();
  }

  @Test
  public void closeStopsLikeStop() throws InterruptedException {
    MarketDataFeed feed = newFeed();
    instruments().forEach(feed::subscribe);
    Recorder r = new Recorder();
    feed.start(r);
    Await.until("first event from " + feed.name(), timeout(), () -> r.count() > 0 || r.ended());
    feed.close();
    r.closeGate();
    feed.stop();
    feed.close();
    assertThat(r.lateData.await(quietPeriod().toMillis(), TimeUnit.MILLISECONDS))
        .as("data arrived after close() returned: %s", r.lateExample).isFalse();
  }

  @Test
  public void stopBeforeStartIsHarmless() {
    MarketDataFeed feed = newFeed();
    feed.subscribe(first());
    feed.stop();
    feed.stop();
  }

  @Test
  public void subscribingAfterStartDeliversTheNewInstrument() {
    assumeTrue(supportsSubscribeAfterStart(), "feed does not support subscribe after start");
    MarketDataFeed feed = newFeed();
    feed.subscribe(first());
    Recorder r = new Recorder();
    feed.start(r);
    Await.until("data for " + first().id(), timeout(), () -> r.count(first().id()) > 0);
    assertThat(r.ended()).as("feed ended before the second subscription").isFalse();
    feed.subscribe(second());
    Await.until("data for " + second().id() + " after subscribing it late", timeout(),
        () -> r.count(second().id()) > 0);
    feed.stop();
  }

  // ---- replay ----

  private ReplayFeed newReplayFeed() {
    MarketDataFeed feed = newFeed();
    assumeTrue(feed instanceof ReplayFeed, "not a ReplayFeed");
    return (ReplayFeed) feed;
  }

  @Test
  public void replayNextReturnsNullAtTheEndAndKeepsReturningNull() {
    ReplayFeed feed = newReplayFeed();
    instruments().forEach(feed::subscribe);
    long n = 0;
    while (feed.next() != null) {
      if (++n > maxReplayEvents()) {
        fail("replay did not end within maxReplayEvents() = " + maxReplayEvents());
      }
    }
    assertThat(n).as("events replayed").isPositive();
    for (int i = 0; i < 3; i++) {
      assertThat(feed.next()).as("next() after the end").isNull();
    }
  }

  @Test
  public void replayGivesOnlySubscribedInstrumentsInTimeOrder() {
    ReplayFeed feed = newReplayFeed();
    feed.subscribe(first());
    Set<InstrumentId> known = new HashSet<>();
    instruments().forEach(i -> known.add(i.id()));
    Instant last = Instant.MIN;
    long n = 0;
    MarketData d;
    while ((d = feed.next()) != null && n++ < maxReplayEvents()) {
      assertThat(d.instrument()).as("instrument of %s", d).isEqualTo(first().id());
      assertThat(d.time()).as("time of %s after %s", d, last).isAfterOrEqualTo(last);
      assertWellFormed(d, known);
      last = d.time();
    }
    assertThat(n).as("events replayed for " + first().id()).isPositive();
  }

  @Test
  public void twoReplaysFromTheFactoryGiveTheSameSequence() {
    ReplayFeed a = newReplayFeed();
    ReplayFeed b = newReplayFeed();
    instruments().forEach(a::subscribe);
    instruments().forEach(b::subscribe);
    long n = 0;
    while (true) {
      MarketData x = a.next();
      MarketData y = b.next();
      assertThat(y).as("event %d", n).isEqualTo(x);
      if (x == null) {
        break;
      }
      if (++n > maxReplayEvents()) {
        fail("replay did not end within maxReplayEvents() = " + maxReplayEvents());
      }
    }
    assertThat(n).as("events replayed").isPositive();
  }

  /**
   * A thread-safe listener that keeps the first 100,000 events in arrival order, counts all of
   * them per instrument, keeps every status, and after {@link #closeGate()} counts any data as
   * late.
   */
  public static final class Recorder implements MarketDataListener {
    private static final int KEEP = 100_000;

    private final List<MarketData> data = new ArrayList<>();
    private final List<FeedStatus> statuses = new ArrayList<>();
    private final Map<InstrumentId, LongAdder> perInstrument = new ConcurrentHashMap<>();
    private final AtomicLong count = new AtomicLong();
    private volatile boolean gateClosed;
    private volatile boolean ended;
    final CountDownLatch lateData = new CountDownLatch(1);
    volatile MarketData lateExample;

    @Override
    public void onMarketData(MarketData d) {
      if (gateClosed) {
        lateExample = d;
        lateData.countDown();
      }
      synchronized (data) {
        if (data.size() < KEEP) {
          data.add(d);
        }
      }
      perInstrument.computeIfAbsent(d.instrument(), k -> new LongAdder()).increment();
      count.incrementAndGet();
    }

    @Override
    public void onFeedStatus(FeedStatus s) {
      synchronized (statuses) {
        statuses.add(s);
      }
      if (s.state() == FeedState.STOPPED || s.state() == FeedState.DISCONNECTED) {
        ended = true;
      }
    }

    /** From now on, any data is late. */
    public void closeGate() {
      gateClosed = true;
    }

    /** Whether data arrived after {@link #closeGate()}. */
    public boolean hadLateData() {
      return lateData.getCount() == 0;
    }

    public long count() {
      return count.get();
    }

    public long count(InstrumentId instrument) {
      LongAdder a = perInstrument.get(instrument);
      return a == null ? 0 : a.sum();
    }

    public Set<InstrumentId> instruments() {
      return Set.copyOf(perInstrument.keySet());
    }

    /** Whether a STOPPED or DISCONNECTED status arrived. */
    public boolean ended() {
      return ended;
    }

    public List<MarketData> data() {
      synchronized (data) {
        return List.copyOf(data);
      }
    }

    public List<FeedStatus> statuses() {
      synchronized (statuses) {
        return List.copyOf(statuses);
      }
    }
  }
}
