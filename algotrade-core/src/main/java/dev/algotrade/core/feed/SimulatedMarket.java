package dev.algotrade.core.feed;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.market.ReplayFeed;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.time.Pacer;
import dev.algotrade.core.time.SystemClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A seeded random-walk market: quotes for every subscribed instrument, one per instrument per
 * time step, with a bid/ask spread of a fixed number of ticks and random sizes.
 *
 * <p>Model: each instrument has its own mid price, which moves each step by a factor
 * {@code 1 + volatility * u * sqrt(3)} with {@code u} uniform in [-1, 1) (so the relative step
 * has standard deviation {@code volatility}). The bid is the mid rounded down to the tick grid
 * less half the spread, the ask is {@code spreadTicks} ticks above it; the bid is never below one
 * tick, so prices are always > 0 and on the instrument's grid. Sizes are 1 to
 * {@code maxSizeLots} lots. Each instrument draws from its own {@link SplittableRandom} seeded
 * from the market seed and the instrument id, so an instrument's path depends only on the seed,
 * its start price and the settings, not on what else is subscribed.
 *
 * <p>Two ways to use it, not to be mixed on one instance:
 *
 * <ul>
 *   <li>Replay: {@link #subscribe} the instruments and call {@link #next()} on one thread until it
 *       returns null (after {@code limit} quotes, or after {@link #stop()}; never without a
 *       limit). Quote times start at {@code start} and advance by {@code step} per round of
 *       instruments. {@code next()} allocates one {@link Quote} per call and one
 *       {@link Instant} per step.
 *   <li>Live: {@link #start} runs a daemon thread that emits one round of quotes every
 *       {@code step / speed} of wall time ({@code speed} = infinity: as fast as possible),
 *       stamped with the given {@link Clock}'s time. It reports {@link FeedState#CONNECTED} on
 *       start and {@link FeedState#STOPPED} when stopped or when the limit is reached.
 * </ul>
 *
 * <p>Thread-safety: {@link #subscribe}, {@link #start} and {@link #stop} are thread-safe;
 * {@link #next()} is confined to the one replaying thread.
 */
public final class SimulatedMarket implements ReplayFeed {

  private static final Logger log = LoggerFactory.getLogger(SimulatedMarket.class);

  private static final int MODE_NONE = 0;
  private static final int MODE_REPLAY = 1;
  private static final int MODE_LIVE = 2;

  private final String name;
  private final Map<InstrumentId, Double> startPrices;
  private final long seed;
  private final long stepNanos;
  private final long stepWholeSeconds;
  private final int stepNanoPart;
  private final double volatility;
  private final int spreadTicks;
  private final int maxSizeLots;
  private final Instant start;
  private final long limit;
  private final double speed;
  private final Clock clock;

  private final Object lock = new Object();
  private volatile InstrumentState[] subscribed = new InstrumentState[0];
  private volatile int mode = MODE_NONE;
  private volatile boolean stopped;
  private Thread thread;

  // replay state, confined to the replaying thread
  private InstrumentState[] round = new InstrumentState[0];
  private int cursor;
  private long stepSecond;
  private int stepNano;
  private Instant stepTime;
  private long emitted;

  private SimulatedMarket(Builder b) {
    this.name = b.name;
    this.startPrices = new LinkedHashMap<>(b.startPrices);
    this.seed = b.seed;
    this.stepNanos = b.step.toNanos();
    this.stepWholeSeconds = b.step.getSeconds();
    this.stepNanoPart = b.step.getNano();
    this.volatility = b.volatility;
    this.spreadTicks = b.spreadTicks;
    this.maxSizeLots = b.maxSizeLots;
    this.start = b.start;
    this.limit = b.limit;
    this.speed = b.speed;
    this.clock = b.clock;
    this.stepSecond = start.getEpochSecond();
    this.stepNano = start.getNano();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Starts quoting {@code instrument} (from the next step on). It must have been given a start
   * price in the builder; subscribing twice is a no-op.
   *
   * @throws ConfigurationException if the builder gave no start price for it
   */
  @Override
  public void subscribe(Instrument instrument) {
    if (instrument == null) {
      throw new IllegalArgumentException("SimulatedMarket.subscribe instrument must not be null");
    }
    Double startPrice = startPrices.get(instrument.id());
    if (startPrice == null) {
      throw new ConfigurationException("SimulatedMarket '" + name + "' has no start price for instrument "
          + instrument.id() + "; declare it with SimulatedMarket.builder().instrument(instrument, startPrice)"
          + ", known: " + startPrices.keySet());
    }
    synchronized (lock) {
      InstrumentState[] current = subscribed;
      for (InstrumentState s : current) {
        if (s.id.equals(instrument.id())) {
          return;
        }
      }
      InstrumentState[] grown = Arrays.copyOf(current, current.length + 1);
      grown[current.length] = new InstrumentState(instrument, startPrice);
      subscribed = grown;
      if (thread != null) {
        LockSupport.unpark(thread);
      }
    }
    log.debug("simulated market subscribed feed={} instrument={}", name, instrument.id());
  }

  /**
   * The next quote in replay, or null after {@code limit} quotes, after {@link #stop()}, or while
   * nothing is subscribed.
   *
   * @throws IllegalStateException if the market was started live
   */
  @Override
  public Quote next() {
    if (mode != MODE_REPLAY) {
      claim(MODE_REPLAY);
    }
    if (emitted >= limit || stopped) {
      return null;
    }
    if (cursor >= round.length) {
      round = subscribed;
      if (round.length == 0) {
        return null;
      }
      cursor = 0;
      if (stepTime == null) {
        stepTime = start;
      } else {
        advanceStep();
      }
    }
    emitted++;
    return round[cursor++].nextQuote(stepTime);
  }

  private void advanceStep() {
    int nano = stepNano + stepNanoPart;
    long second = stepSecond + stepWholeSeconds;
    if (nano >= 1_000_000_000) {
      nano -= 1_000_000_000;
      second++;
    }
    stepSecond = second;
    stepNano = nano;
    stepTime = Instant.ofEpochSecond(second, nano);
  }

  /**
   * Quotes produced so far (by {@link #next()} or the live thread). Read it on the replaying
   * thread, or after {@link #stop()} for a live market.
   */
  public long emitted() {
    return emitted;
  }

  private void claim(int wanted) {
    synchronized (lock) {
      if (mode == MODE_NONE) {
        mode = wanted;
      } else if (mode != wanted) {
        throw new IllegalStateException("SimulatedMarket '" + name + "' is already used "
            + (mode == MODE_LIVE ? "live via start()" : "for replay via next()")
            + "; use a separate instance for each");
      } else if (wanted == MODE_LIVE) {
        throw new IllegalStateException("SimulatedMarket '" + name + "' was already started");
      }
    }
  }

  /**
   * Starts the live thread, which delivers to {@code listener}. Called at most once.
   *
   * @throws IllegalStateException if already started, stopped, or used for replay
   */
  @Override
  public void start(MarketDataListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("SimulatedMarket.start listener must not be null");
    }
    synchronized (lock) {
      if (stopped) {
        throw new IllegalStateException("SimulatedMarket '" + name + "' was stopped; it cannot be restarted");
      }
      claim(MODE_LIVE);
      GuardedListener guarded = new GuardedListener(name, listener);
      thread = new Thread(() -> runLive(guarded), "algotrade-sim-" + name);
      thread.setDaemon(true);
      thread.start();
    }
    log.info("simulated market started feed={} instruments={} step={} speed={} limit={}",
        name, subscribed.length, Duration.ofNanos(stepNanos), speed, limit);
  }

  private void runLive(GuardedListener listener) {
    listener.status(FeedStatus.of(name, FeedState.CONNECTED, "simulated market started", clock.now()));
    String reason = "stopped";
    try {
      Pacer pacer = Pacer.startingNow();
      long step = 0;
      while (!stopped) {
        if (speed != Double.POSITIVE_INFINITY) {
          long due = (long) (step * (double) stepNanos / speed);
          while (!stopped && !pacer.awaitElapsed(due)) {
            // woken early: check the stop flag and wait again
          }
        }
        InstrumentState[] current = subscribed;
        if (current.length == 0) {
          Pacer.idle(10_000_000L);
          continue;
        }
        Instant now = clock.now();
        for (InstrumentState s : current) {
          if (stopped || emitted >= limit) {
            break;
          }
          listener.data(s.nextQuote(now));
          emitted++;
        }
        if (emitted >= limit) {
          reason = "end of data after " + emitted + " quotes";
          break;
        }
        step++;
      }
    } catch (RuntimeException e) {
      reason = "failed: " + e;
      log.error("simulated market failed feed={}", name, e);
    }
    listener.status(FeedStatus.of(name, FeedState.STOPPED, reason, clock.now()));
    log.info("simulated market stopped feed={} emitted={} reason={}", name, emitted, reason);
  }

  /**
   * Stops the live thread and waits for it to end, so no data is delivered after this returns;
   * in replay, makes {@link #next()} return null. Idempotent.
   */
  @Override
  public void stop() {
    Thread t;
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
      t = thread;
    }
    FeedThreads.wakeAndJoin(t);
  }

  @Override
  public String toString() {
    return "SimulatedMarket[" + name + ", seed=" + seed + ", instruments=" + startPrices.keySet() + "]";
  }

  /** One instrument's walk; touched only by the producing thread. */
  private final class InstrumentState {
    final InstrumentId id;
    final SplittableRandom rng;
    final double tick;
    final double invTick;
    final double ticksPerUnit; // 1 / tick when that is a whole number, else 0
    final double lot;
    final double scaledVol;
    final double halfSpread;
    final double minMidTicks;
    double mid;

    InstrumentState(Instrument instrument, double startPrice) {
      this.id = instrument.id();
      long idHash = instrument.id().value().hashCode();
      this.rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (idHash + 0x632BE59BD9B4E019L)));
      this.tick = instrument.tickSize();
      double perUnit = 1.0 / tick;
      this.invTick = perUnit;
      this.ticksPerUnit = Math.abs(perUnit - Math.rint(perUnit)) < 1e-9 ? Math.rint(perUnit) : 0;
      this.lot = instrument.lotSize();
      this.scaledVol = volatility * Math.sqrt(3);
      this.halfSpread = spreadTicks / 2.0;
      this.minMidTicks = 1 + halfSpread; // keeps the bid at one tick or more
      this.mid = startPrice;
    }

    Quote nextQuote(Instant time) {
      // one 64-bit draw per quote: the high 32 bits move the mid, the low 32 bits pick the sizes
      long r = rng.nextLong();
      double u = (r >>> 32) * 0x1.0p-31 - 1; // uniform in [-1, 1)
      double m = mid * (1 + scaledVol * u);
      double midTicks = m * invTick;
      if (midTicks < minMidTicks) {
        midTicks = minMidTicks;
        m = minMidTicks * tick;
      }
      mid = m;
      long bidTicks = (long) Math.floor(midTicks - halfSpread);
      if (bidTicks < 1) {
        bidTicks = 1;
      }
      long askTicks = bidTicks + spreadTicks;
      double bid;
      double ask;
      if (ticksPerUnit != 0) {
        bid = bidTicks / ticksPerUnit;
        ask = askTicks / ticksPerUnit;
      } else {
        bid = bidTicks * tick;
        ask = askTicks * tick;
      }
      double bidSize = (1 + (((r & 0xFFFFL) * maxSizeLots) >>> 16)) * lot;
      double askSize = (1 + ((((r >>> 16) & 0xFFFFL) * maxSizeLots) >>> 16)) * lot;
      return new Quote(id, time, bid, ask, bidSize, askSize);
    }
  }

  /**
   * Settings for a {@link SimulatedMarket}. Each setter checks its argument at once and names
   * the bad value; {@link #build()} checks that at least one instrument was declared. Not
   * thread-safe.
   *
   * <p>Defaults: name {@code sim}, seed 1, step 100 ms, volatility 0.0005 per step, spread 1
   * tick, sizes up to 10 lots, start 2024-01-02T14:30:00Z, no limit, speed 1.0, the system
   * clock.
   */
  public static final class Builder {
    private String name = "sim";
    private final Map<InstrumentId, Double> startPrices = new LinkedHashMap<>();
    private long seed = 1;
    private Duration step = Duration.ofMillis(100);
    private double volatility = 0.0005;
    private int spreadTicks = 1;
    private int maxSizeLots = 10;
    private Instant start = Instant.parse("2024-01-02T14:30:00Z");
    private long limit = Long.MAX_VALUE;
    private double speed = 1.0;
    private Clock clock = SystemClock.instance();

    private Builder() {}

    /** The feed's name in logs and status events (not blank). */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("SimulatedMarket.name must not be blank, was "
            + (name == null ? "null" : "'" + name + "'"));
      }
      this.name = name;
      return this;
    }

    /**
     * Declares an instrument the market can quote and its starting mid price (finite, > 0; the
     * walk never takes the bid below one tick). Data flows only once it is
     * {@linkplain SimulatedMarket#subscribe subscribed}.
     */
    public Builder instrument(Instrument instrument, double startPrice) {
      if (instrument == null) {
        throw new IllegalArgumentException("SimulatedMarket.instrument must not be null");
      }
      if (!(startPrice > 0) || startPrice == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("SimulatedMarket.startPrice for " + instrument.id()
            + " must be finite and > 0, was " + startPrice);
      }
      if (startPrices.containsKey(instrument.id())) {
        throw new IllegalArgumentException("SimulatedMarket.instrument " + instrument.id() + " declared twice");
      }
      startPrices.put(instrument.id(), startPrice);
      return this;
    }

    /** Seed of the random walks; the same seed and settings give the same quotes. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Simulated time between rounds of quotes (> 0, at most one day). */
    public Builder step(Duration step) {
      if (step == null || step.isNegative() || step.isZero() || step.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "SimulatedMarket.step must be > 0 and <= 1 day, was " + step);
      }
      this.step = step;
      return this;
    }

    /** Standard deviation of the relative mid move per step (finite, >= 0, < 0.1). */
    public Builder volatility(double volatility) {
      if (!(volatility >= 0 && volatility < 0.1)) {
        throw new IllegalArgumentException(
            "SimulatedMarket.volatility must be >= 0 and < 0.1 per step, was " + volatility);
      }
      this.volatility = volatility;
      return this;
    }

    /** Ask minus bid, in ticks (>= 1, <= 1000). */
    public Builder spreadTicks(int spreadTicks) {
      if (spreadTicks < 1 || spreadTicks > 1000) {
        throw new IllegalArgumentException(
            "SimulatedMarket.spreadTicks must be between 1 and 1000, was " + spreadTicks);
      }
      this.spreadTicks = spreadTicks;
      return this;
    }

    /** Largest quoted size in lots (1..10,000); sizes are uniform over 1..maxSizeLots lots. */
    public Builder maxSizeLots(int maxSizeLots) {
      if (maxSizeLots < 1 || maxSizeLots > 10_000) {
        throw new IllegalArgumentException(
            "SimulatedMarket.maxSizeLots must be between 1 and 10000, was " + maxSizeLots);
      }
      this.maxSizeLots = maxSizeLots;
      return this;
    }

    /** Time of the first replayed quote (replay only; live quotes carry the clock's time). */
    public Builder start(Instant start) {
      if (start == null) {
        throw new IllegalArgumentException("SimulatedMarket.start must not be null");
      }
      this.start = start;
      return this;
    }

    /** Total number of quotes before the feed ends (>= 0); by default unlimited. */
    public Builder limit(long events) {
      if (events < 0) {
        throw new IllegalArgumentException("SimulatedMarket.limit must be >= 0, was " + events);
      }
      this.limit = events;
      return this;
    }

    /**
     * Live pace: 1.0 emits one round per {@code step} of wall time, 10.0 ten times faster;
     * {@link Double#POSITIVE_INFINITY} as fast as possible. Must be > 0.
     */
    public Builder speed(double speed) {
      if (!(speed > 0)) {
        throw new IllegalArgumentException(
            "SimulatedMarket.speed must be > 0 (Infinity = as fast as possible), was " + speed);
      }
      this.speed = speed;
      return this;
    }

    /** Clock for live quote and status times (default: the system clock). */
    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("SimulatedMarket.clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * @throws ConfigurationException if no instrument was declared
     */
    public SimulatedMarket build() {
      if (startPrices.isEmpty()) {
        throw new ConfigurationException(
            "SimulatedMarket needs at least one instrument: call instrument(instrument, startPrice)");
      }
      return new SimulatedMarket(this);
    }
  }
}
