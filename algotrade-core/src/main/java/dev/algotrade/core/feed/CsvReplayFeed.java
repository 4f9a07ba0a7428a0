package dev.algotrade.core.feed;

import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.api.market.ReplayFeed;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.time.Pacer;
import dev.algotrade.core.time.SystemClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays quotes and bars recorded in CSV files, merged in time order, for the subscribed
 * instruments only.
 *
 * <h2>Format</h2>
 *
 * UTF-8 text, one record per line, fields separated by commas, no quoting (no field may contain
 * a comma), spaces around fields ignored, blank lines skipped. The first line is a header that
 * names the columns (any order, case-insensitive) and decides the file's kind:
 *
 * <ul>
 *   <li>quotes: {@code time,instrument,bid,ask,bid_size,ask_size}; prices and sizes are numbers
 *       >= 0 (0 on an empty side of the book);
 *   <li>bars: {@code time,instrument,open,high,low,close,volume}, optionally followed by
 *       {@code period_seconds}; prices > 0, volume >= 0, {@code low <= open, close <= high}.
 *       {@code time} is when the bar <em>opened</em> (as IB reports history); the bar's event
 *       time is {@code time + period}. The period comes from the {@code period_seconds} column
 *       (decimal seconds allowed) or, without that column, from {@link Builder#barPeriod}.
 * </ul>
 *
 * {@code time} is an ISO-8601 instant ({@code 2024-01-02T14:30:00Z},
 * {@code 2024-01-02T14:30:00.250Z}) or whole epoch milliseconds ({@code 1704205800000}).
 * {@code instrument} is an {@link InstrumentId} value. Within each file, event times must not
 * decrease. Several files (quotes and bars mixed) are merged by event time; on a tie the file
 * given first wins. {@link CsvWriter} writes this format.
 *
 * <p>A malformed header is reported by {@link Builder#build()}; a malformed row or a row out of
 * order by {@link #next()} (or, live, as a {@link FeedState#DISCONNECTED} status and an ERROR
 * log) as a {@link CsvFormatException} naming file, line and field, e.g.
 * {@code quotes.csv line 17 field bid: 'abc' is not a number}. Files are read lazily, a line at
 * a time, so a file of any size replays in constant memory.
 *
 * <h2>Use</h2>
 *
 * Replay: {@link #subscribe} instruments, then call {@link #next()} on one thread until null.
 * Live: {@link #start} runs a daemon thread that delivers each event when its time comes,
 * measured from the first event and divided by the speed (1.0 = the recorded pace, 60.0 = a
 * minute per second, {@link Double#POSITIVE_INFINITY} = as fast as possible). Events keep their
 * recorded times. Status: {@link FeedState#CONNECTED} at start, {@link FeedState#STOPPED} at the
 * end of the data or on {@link #stop()}. The two uses are not to be mixed on one instance.
 *
 * <p>Thread-safety: {@link #subscribe}, {@link #start} and {@link #stop} are thread-safe;
 * {@link #next()} is meant for one replaying thread.
 */
public final class CsvReplayFeed implements ReplayFeed {

  private static final Logger log = LoggerFactory.getLogger(CsvReplayFeed.class);

  private final String name;
  private final double speed;
  private final Clock clock;
  private final CsvSource[] sources;
  private final MarketData[] heads;
  private final boolean[] needsRead;
  private final Set<InstrumentId> subscribed = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private volatile boolean stopped;
  private volatile boolean replaying;
  private Thread thread;

  private CsvReplayFeed(Builder b, List<CsvSource> sources) {
    this.name = b.name;
    this.speed = b.speed;
    this.clock = b.clock;
    this.sources = sources.toArray(new CsvSource[0]);
    this.heads = new MarketData[this.sources.length];
    this.needsRead = new boolean[this.sources.length];
    java.util.Arrays.fill(needsRead, true);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A feed over one file with default settings (bars files then need a period_seconds column). */
  public static CsvReplayFeed of(Path file) {
    return builder().file(file).build();
  }

  @Override
  public String name() {
    return name;
  }

  /** Delivers rows for this instrument (matched by id) from now on. Subscribing twice is a no-op. */
  @Override
  public void subscribe(Instrument instrument) {
    if (instrument == null) {
      throw new IllegalArgumentException("CsvReplayFeed.subscribe instrument must not be null");
    }
    subscribed.add(instrument.id());
  }

  /**
   * The next event for a subscribed instrument, or null at the end of the data or after
   * {@link #stop()}.
   *
   * @throws CsvFormatException for a malformed row or a row out of time order
   * @throws java.io.UncheckedIOException if a file cannot be read
   * @throws IllegalStateException if the feed was started live
   */
  @Override
  public MarketData next() {
    if (!replaying) {
      synchronized (lock) {
        if (thread != null) {
          throw new IllegalStateException("CsvReplayFeed '" + name
              + "' is running live via start(); use a separate instance for replay");
        }
        replaying = true;
      }
    }
    return pull();
  }

  private MarketData pull() {
    synchronized (lock) {
      if (stopped) {
        return null;
      }
      while (true) {
        // refill lazily, so an error in a row surfaces when that row is due, not one row early
        for (int i = 0; i < sources.length; i++) {
          if (needsRead[i]) {
            needsRead[i] = false;
            heads[i] = sources[i].read();
          }
        }
        int best = -1;
        Instant bestTime = null;
        for (int i = 0; i < heads.length; i++) {
          MarketData h = heads[i];
          if (h != null) {
            Instant t = h.time();
            if (best < 0 || t.isBefore(bestTime)) {
              best = i;
              bestTime = t;
            }
          }
        }
        if (best < 0) {
          return null;
        }
        MarketData data = heads[best];
        heads[best] = null;
        needsRead[best] = true;
        if (subscribed.contains(data.instrument())) {
          return data;
        }
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
      throw new IllegalArgumentException("CsvReplayFeed.start listener must not be null");
    }
    synchronized (lock) {
      if (thread != null || replaying || stopped) {
        throw new IllegalStateException("CsvReplayFeed '" + name + "' cannot start: "
            + (stopped ? "it was stopped" : thread != null ? "already started" : "already used for replay via next()"));
      }
      GuardedListener guarded = new GuardedListener(name, listener);
      thread = new Thread(() -> runLive(guarded), "algotrade-csv-" + name);
      thread.setDaemon(true);
      thread.start();
    }
    log.info("csv replay started feed={} files={} speed={}", name, sources.length, speed);
  }

  private void runLive(GuardedListener listener) {
    listener.status(FeedStatus.of(name, FeedState.CONNECTED, "replaying " + sources.length + " file(s)", clock.now()));
    FeedState endState = FeedState.STOPPED;
    String reason = "stopped";
    long delivered = 0;
    try {
      Pacer pacer = Pacer.startingNow();
      Instant first = null;
      while (!stopped) {
        MarketData data = pull();
        if (data == null) {
          if (!stopped) {
            reason = "end of data after " + delivered + " events";
          }
          break;
        }
        if (speed != Double.POSITIVE_INFINITY) {
          Instant t = data.time();
          if (first == null) {
            first = t;
          }
          long offset = (t.getEpochSecond() - first.getEpochSecond()) * 1_000_000_000L
              + (t.getNano() - first.getNano());
          long due = (long) (offset / speed);
          while (!stopped && !pacer.awaitElapsed(due)) {
            // woken early: check the stop flag and wait again
          }
        }
        if (stopped) {
          break;
        }
        listener.data(data);
        delivered++;
      }
    } catch (RuntimeException e) {
      endState = FeedState.DISCONNECTED;
      reason = "failed: " + e.getMessage();
      log.error("csv replay failed feed={} delivered={}", name, delivered, e);
    } finally {
      closeSources();
    }
    listener.status(FeedStatus.of(name, endState, reason, clock.now()));
    log.info("csv replay ended feed={} delivered={} reason={}", name, delivered, reason);
  }

  /**
   * Stops delivering, waits for the live thread to end (no data is delivered after this
   * returns) and closes the files; afterwards {@link #next()} returns null. Idempotent.
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
    closeSources();
  }

  private void closeSources() {
    synchronized (lock) {
      for (CsvSource s : sources) {
        s.close();
      }
    }
  }

  @Override
  public String toString() {
    List<Path> files = new ArrayList<>();
    for (CsvSource s : sources) {
      files.add(s.file());
    }
    return "CsvReplayFeed[" + name + ", files=" + files + "]";
  }

  /**
   * Settings for a {@link CsvReplayFeed}. Setters check their argument at once and name the bad
   * value; {@link #build()} reads each file's header and fails on a malformed one. Not
   * thread-safe.
   *
   * <p>Defaults: name {@code csv}, speed 1.0, the system clock (for status times only), no
   * default bar period.
   */
  public static final class Builder {
    private String name = "csv";
    private final List<Path> files = new ArrayList<>();
    private Duration barPeriod;
    private double speed = 1.0;
    private Clock clock = SystemClock.instance();

    private Builder() {}

    /** The feed's name in logs and status events (not blank). */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("CsvReplayFeed.name must not be blank, was "
            + (name == null ? "null" : "'" + name + "'"));
      }
      this.name = name;
      return this;
    }

    /** Adds a quotes or bars file (must exist and be a readable regular file). */
    public Builder file(Path file) {
      if (file == null) {
        throw new IllegalArgumentException("CsvReplayFeed.file must not be null");
      }
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new IllegalArgumentException("CsvReplayFeed.file must be a readable file, was " + file);
      }
      files.add(file);
      return this;
    }

    /** Period of bars in files without a {@code period_seconds} column (> 0). */
    public Builder barPeriod(Duration period) {
      if (period == null || period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("CsvReplayFeed.barPeriod must be > 0, was " + period);
      }
      this.barPeriod = period;
      return this;
    }

    /**
     * Live pace relative to the recorded times: 1.0 = as recorded, 10.0 = ten times faster,
     * {@link Double#POSITIVE_INFINITY} = as fast as possible. Must be > 0.
     */
    public Builder speed(double speed) {
      if (!(speed > 0)) {
        throw new IllegalArgumentException(
            "CsvReplayFeed.speed must be > 0 (Infinity = as fast as possible), was " + speed);
      }
      this.speed = speed;
      return this;
    }

    /** Same as {@code speed(Double.POSITIVE_INFINITY)}. */
    public Builder asFastAsPossible() {
      return speed(Double.POSITIVE_INFINITY);
    }

    /** Clock for the times of status events (default: the system clock). */
    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("CsvReplayFeed.clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * @throws dev.algotrade.api.ConfigurationException if no file was given
     * @throws CsvFormatException if a file's header is missing or malformed
     */
    public CsvReplayFeed build() {
      if (files.isEmpty()) {
        throw new dev.algotrade.api.ConfigurationException(
            "CsvReplayFeed needs at least one file: call file(path)");
      }
      List<CsvSource> sources = new ArrayList<>();
      for (Path f : files) {
        sources.add(CsvSource.open(f, barPeriod));
      }
      return new CsvReplayFeed(this, sources);
    }
  }
}
