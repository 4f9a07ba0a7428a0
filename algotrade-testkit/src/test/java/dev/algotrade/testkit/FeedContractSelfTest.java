package dev.algotrade.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.market.ReplayFeed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.junit.jupiter.api.Test;

/** The contract must fail feeds that break it: each flaw of a deliberately faulty feed is caught. */
class FeedContractSelfTest {

  static final Instrument A = Instrument.stock("A");
  static final Instrument B = Instrument.stock("B");
  static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  enum Flaw { NONE, IGNORES_SUBSCRIPTIONS, TIME_GOES_BACK, SENDS_AFTER_STOP, WRONG_STATUS_NAME, CROSSED, LATE_SUBSCRIBE_IGNORED, RANDOM_REPLAY, RESUMES_AFTER_NULL, NEVER_ENDS }

  /** A feed with one chosen flaw; live it emits a quote per instrument per millisecond. */
  static final class FaultyFeed implements ReplayFeed {
    final Flaw flaw;
    final Set<Instrument> subscribed = new CopyOnWriteArraySet<>();
    volatile boolean stopped;
    volatile boolean started;
    Thread thread;
    long seq;
    static long replayCounter;

    FaultyFeed(Flaw flaw) {
      this.flaw = flaw;
    }

    @Override
    public String name() {
      return "faulty";
    }

    @Override
    public void subscribe(Instrument instrument) {
      if (flaw == Flaw.LATE_SUBSCRIBE_IGNORED && started) {
        return;
      }
      subscribed.add(instrument);
    }

    Quote quote(Instrument i, long n) {
      long t = flaw == Flaw.TIME_GOES_BACK && n % 2 == 1 ? n - 5 : n;
      double bid = flaw == Flaw.CROSSED ? 10.02 : 10.0;
      return new Quote(i.id(), T0.plusMillis(Math.max(0, t)), bid, 10.01, 1, 1);
    }

    @Override
    public void start(MarketDataListener listener) {
      started = true;
      thread = new Thread(() -> {
        listener.onFeedStatus(FeedStatus.of(flaw == Flaw.WRONG_STATUS_NAME ? "other" : name(), FeedState.CONNECTED, "", T0));
        long n = 0;
        int afterStop = 0;
        while (!stopped || (flaw == Flaw.SENDS_AFTER_STOP && afterStop++ < 50)) {
          Iterable<Instrument> targets = flaw == Flaw.IGNORES_SUBSCRIPTIONS ? List.of(A, B) : subscribed;
          for (Instrument i : targets) {
            listener.onMarketData(quote(i, n++));
          }
          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void stop() {
      stopped = true;
      if (thread != null && flaw != Flaw.SENDS_AFTER_STOP) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public MarketData next() {
      if (flaw == Flaw.NEVER_ENDS) {
        return quote(A, seq++);
      }
      if (seq >= 100 || stopped) {
        // the flawed replay says null once, then carries on
        return flaw == Flaw.RESUMES_AFTER_NULL && seq++ > 100 ? quote(A, seq) : null;
      }
      long n = seq++;
      Instrument i = flaw == Flaw.IGNORES_SUBSCRIPTIONS ? (n % 2 == 0 ? A : B) : A;
      double bid = flaw == Flaw.RANDOM_REPLAY ? 10 + (replayCounter++ % 7) * 0.001 : 10.0;
      return new Quote(i.id(), T0.plusMillis(flaw == Flaw.TIME_GOES_BACK ? (n % 2 == 1 ? 0 : n) : n), bid, 10.01, 1, 1);
    }
  }

  static final class Contract extends FeedContractTest {
    final Flaw flaw;

    Contract(Flaw flaw) {
      this.flaw = flaw;
    }

    @Override
    protected MarketDataFeed createFeed() {
      return new FaultyFeed(flaw);
    }

    @Override
    protected List<Instrument> instruments() {
      return List.of(A, B);
    }

    @Override
    protected Duration timeout() {
      return Duration.ofSeconds(2);
    }

    @Override
    protected long maxReplayEvents() {
      return 10_000;
    }
  }

  private static void fails(Flaw flaw, ThrowingTest test) {
    Contract c = new Contract(flaw);
    try {
      assertThatThrownBy(() -> test.run(c)).as("contract catches " + flaw).isInstanceOf(AssertionError.class);
    } finally {
      c.stopFeeds();
    }
  }

  private static void passes(ThrowingTest test) throws Exception {
    Contract c = new Contract(Flaw.NONE);
    try {
      test.run(c);
    } finally {
      c.stopFeeds();
    }
  }

  interface ThrowingTest {
    void run(Contract c) throws Exception;
  }

  @Test
  void aSoundFeedPasses() throws Exception {
    passes(FeedContractTest::deliversDataOnlyForSubscribedInstruments);
    passes(FeedContractTest::eventTimesNeverDecrease);
    passes(FeedContractTest::stopIsIdempotentAndNoDataArrivesAfterItReturns);
    passes(FeedContractTest::subscribingAfterStartDeliversTheNewInstrument);
    passes(FeedContractTest::twoReplaysFromTheFactoryGiveTheSameSequence);
  }

  @Test
  void eachFlawIsCaught() {
    fails(Flaw.IGNORES_SUBSCRIPTIONS, FeedContractTest::deliversDataOnlyForSubscribedInstruments);
    fails(Flaw.IGNORES_SUBSCRIPTIONS, FeedContractTest::replayGivesOnlySubscribedInstrumentsInTimeOrder);
    fails(Flaw.TIME_GOES_BACK, FeedContractTest::eventTimesNeverDecrease);
    fails(Flaw.TIME_GOES_BACK, FeedContractTest::replayGivesOnlySubscribedInstrumentsInTimeOrder);
    fails(Flaw.SENDS_AFTER_STOP, FeedContractTest::stopIsIdempotentAndNoDataArrivesAfterItReturns);
    fails(Flaw.SENDS_AFTER_STOP, FeedContractTest::closeStopsLikeStop);
    fails(Flaw.WRONG_STATUS_NAME, FeedContractTest::startReportsConnectedAndEveryStatusNamesTheFeed);
    fails(Flaw.CROSSED, FeedContractTest::everyEventIsWellFormed);
    fails(Flaw.LATE_SUBSCRIBE_IGNORED, FeedContractTest::subscribingAfterStartDeliversTheNewInstrument);
    fails(Flaw.RANDOM_REPLAY, FeedContractTest::twoReplaysFromTheFactoryGiveTheSameSequence);
    fails(Flaw.RESUMES_AFTER_NULL, FeedContractTest::replayNextReturnsNullAtTheEndAndKeepsReturningNull);
    fails(Flaw.NEVER_ENDS, FeedContractTest::replayNextReturnsNullAtTheEndAndKeepsReturningNull);
  }
}
