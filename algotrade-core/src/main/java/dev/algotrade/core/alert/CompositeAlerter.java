package dev.algotrade.core.alert;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.AlertDeliveryException;
import dev.algotrade.api.alert.Alerter;
import dev.algotrade.api.alert.Severity;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.time.SystemClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerter the engine talks to: logs every alert, de-duplicates by {@link Alert#key()},
 * routes by severity to several channels, rate-limits each channel, and delivers
 * asynchronously with retries, so that one broken thing sends a few messages, not thousands.
 *
 * <p>What happens to an alert given to {@link #send}:
 *
 * <ol>
 *   <li><b>De-duplication.</b> The first alert with a key opens a window ({@code dedupWindow},
 *       default 5 min, timed by the {@link Clock}); later alerts with the same key inside the
 *       window are suppressed and counted. When the window ends with suppressed alerts, one
 *       summary goes out: {@code "12 similar alerts suppressed in the last 5 min: <title>"},
 *       with the highest severity seen and the latest text. The next alert with that key opens
 *       a new window.
 *   <li><b>Log.</b> The always-on {@link LogAlerter} writes the alert (and every summary) at
 *       its severity's level; a suppressed duplicate is logged at DEBUG only, so a storm does
 *       not flood the log either.
 *   <li><b>Routing.</b> Each channel takes alerts at or above its minimum severity.
 *   <li><b>Rate limit.</b> Each channel sends at most {@code N} alerts per period (sliding
 *       window, default 10 per minute). Alerts over the limit are held back and counted; once
 *       the channel has room again, one summary says how many were held back and names the
 *       latest.
 *   <li><b>Delivery.</b> Each channel has its own single delivery thread and a bounded queue.
 *       It calls {@link Alerter#deliver}; a retryable failure (an {@link
 *       AlertDeliveryException} with {@code isRetryable()}, or any other runtime exception) is
 *       retried with exponential backoff up to {@code maxAttempts}; a permanent failure or the
 *       last attempt is logged at WARN and counted. A full queue drops the alert, counts it and
 *       logs a WARN at most every 10 s per channel.
 * </ol>
 *
 * <p>{@link #send} never blocks and never throws. Summaries are produced by {@link
 * #flushSummaries()}, which a timer calls every {@code summaryInterval} (default 30 s; {@link
 * Duration#ZERO} turns the timer off, for replays and tests that drive a simulated clock and
 * call it themselves). {@link #close()} sends pending summaries, drains the queues with a
 * bounded wait, and closes the channels.
 *
 * <p>Thread-safe: any thread may call {@link #send}.
 */
public final class CompositeAlerter implements Alerter {

  private static final Logger log = LoggerFactory.getLogger(CompositeAlerter.class);
  private static final long DROP_WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int MAX_TRACKED_KEYS = 10_000;

  private final Clock clock;
  private final LogAlerter logAlerter = new LogAlerter();
  private final List<Channel> channels;
  private final Duration dedupWindow;
  private final Cache<String, KeyWindow> windows;
  private final Queue<KeyWindow> endedWindows = new ConcurrentLinkedQueue<>();
  private final int queueCapacity;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration closeTimeout;
  private final List<ScheduledExecutorService> ownedExecutors = new ArrayList<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong summaries = new AtomicLong();
  private final AtomicInteger totalPending = new AtomicInteger();
  private final ReentrantLock drainLock = new ReentrantLock();
  private final Condition drained = drainLock.newCondition();
  private final ScheduledFuture<?> summaryTimer;
  private volatile boolean closed;

  private CompositeAlerter(Builder b) {
    this.clock = b.clock;
    this.dedupWindow = b.dedupWindow;
    this.queueCapacity = b.queueCapacity;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.closeTimeout = b.closeTimeout;
    long windowNanos = b.dedupWindow.toNanos();
    this.windows =
        Caffeine.newBuilder()
            .ticker(clock::nanoTime)
            .executor(Runnable::run)
            .maximumSize(MAX_TRACKED_KEYS)
            .expireAfter(
                new Expiry<String, KeyWindow>() {
                  @Override
                  public long expireAfterCreate(String key, KeyWindow value, long currentTime) {
                    return windowNanos;
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, KeyWindow value, long currentTime, long currentDuration) {
                    return currentDuration; // the window runs from the first alert, not the last
                  }

                  @Override
                  public long expireAfterRead(
                      String key, KeyWindow value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .removalListener(
                (String key, KeyWindow w, RemovalCause cause) -> {
                  if (w != null && cause.wasEvicted() && w.suppressed > 0) {
                    endedWindows.add(w);
                  }
                })
            .build();
    List<Channel> list = new ArrayList<>();
    for (ChannelSpec spec : b.channels) {
      ScheduledExecutorService executor = b.executor;
      if (executor == null) {
        executor = newDaemonScheduler("algotrade-alert-" + spec.alerter.name());
        ownedExecutors.add(executor);
      }
      int limit = spec.maxAlerts > 0 ? spec.maxAlerts : b.rateLimitCount;
      Duration period = spec.maxAlerts > 0 ? spec.period : b.rateLimitPeriod;
      list.add(new Channel(spec.alerter, spec.minSeverity, limit, period, executor));
    }
    this.channels = List.copyOf(list);
    if (!b.summaryInterval.isZero()) {
      ScheduledExecutorService timer = b.executor;
      if (timer == null) {
        timer = newDaemonScheduler("algotrade-alert-summary");
        ownedExecutors.add(timer);
      }
      long every = b.summaryInterval.toNanos();
      this.summaryTimer =
          timer.scheduleWithFixedDelay(this::flushSummariesQuietly, every, every, TimeUnit.NANOSECONDS);
    } else {
      this.summaryTimer = null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "composite";
  }

  @Override
  public void send(Alert alert) {
    if (alert == null) {
      return;
    }
    try {
      received.incrementAndGet();
      if (closed) {
        logAlerter.send(alert);
        return;
      }
      if (!opensWindow(alert)) {
        suppressed.incrementAndGet();
        log.debug("alert suppressed as duplicate key={} title={}", alert.key(), alert.title());
        return;
      }
      logAlerter.send(alert);
      for (Channel ch : channels) {
        route(ch, alert);
      }
    } catch (RuntimeException e) {
      log.warn("alert routing failed key={} error={}", alert.key(), e.toString(), e);
    }
  }

  /** Same as {@link #send}: the composite itself never fails a delivery. */
  @Override
  public void deliver(Alert alert) {
    send(alert);
  }

  /**
   * Sends the summaries that are due: one for each de-duplication window that has ended with
   * suppressed alerts, and one for each channel that held alerts back under its rate limit and
   * has room again. Called by the summary timer; call it yourself when the timer is off.
   * Never throws.
   */
  public void flushSummaries() {
    windows.cleanUp();
    Instant now = clock.now();
    KeyWindow w;
    while ((w = endedWindows.poll()) != null) {
      Duration open = Duration.between(w.opened, now); // shorter than the window if evicted by size
      emitDedupSummary(w, open.compareTo(dedupWindow) < 0 ? open : dedupWindow, now);
    }
    for (Channel ch : channels) {
      Alert held = ch.takeHeldSummary(clock.nanoTime(), now);
      if (held != null) {
        summaries.incrementAndGet();
        logAlerter.send(held);
        enqueue(ch, held);
      }
    }
  }

  /** A snapshot of the counters. */
  public Stats stats() {
    Map<String, ChannelStats> byChannel = new LinkedHashMap<>();
    for (Channel ch : channels) {
      byChannel.put(ch.name, ch.stats());
    }
    return new Stats(received.get(), suppressed.get(), summaries.get(), byChannel);
  }

  /**
   * Sends pending summaries (including those of windows still open), stops accepting work,
   * waits up to {@code closeTimeout} for queued deliveries and closes the channels. Alerts sent
   * after close are only logged.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      flushSummaries();
      Instant now = clock.now();
      for (KeyWindow w : windows.asMap().values()) {
        if (w.suppressed > 0) {
          emitDedupSummary(w, Duration.between(w.opened, now), now);
        }
      }
      windows.invalidateAll();
    } catch (RuntimeException e) {
      log.warn("alert summaries on close failed error={}", e.toString(), e);
    }
    closed = true;
    if (summaryTimer != null) {
      summaryTimer.cancel(false);
    }
    awaitDrained();
    for (ScheduledExecutorService ex : ownedExecutors) {
      ex.shutdownNow();
    }
    for (Channel ch : channels) {
      if (ch.pending.get() > 0) {
        log.warn("alert channel closed with undelivered alerts channel={} pending={}", ch.name, ch.pending.get());
      }
      try {
        ch.alerter.close();
      } catch (RuntimeException e) {
        log.warn("alert channel close failed channel={} error={}", ch.name, e.toString(), e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------

  private boolean opensWindow(Alert alert) {
    boolean[] opened = new boolean[1];
    windows
        .asMap()
        .compute(
            alert.key(),
            (k, w) -> {
              if (w == null) {
                opened[0] = true;
                return new KeyWindow(alert, clock.now());
              }
              w.suppress(alert);
              return w;
            });
    return opened[0];
  }

  private void emitDedupSummary(KeyWindow w, Duration span, Instant now) {
    Alert latest = w.latest;
    String title =
        w.suppressed + " similar alerts suppressed in the last " + formatSpan(span) + ": " + w.first.title();
    Alert summary = new Alert(w.maxSeverity, title, latest.text(), now, "suppressed:" + w.first.key());
    summaries.incrementAndGet();
    logAlerter.send(summary);
    for (Channel ch : channels) {
      route(ch, summary);
    }
  }

  private void route(Channel ch, Alert alert) {
    if (alert.severity().compareTo(ch.minSeverity) < 0) {
      return;
    }
    if (!ch.tryAcquire(clock.nanoTime())) {
      ch.hold(alert, clock.now());
      log.debug("alert held back by rate limit channel={} key={}", ch.name, alert.key());
      return;
    }
    enqueue(ch, alert);
  }

  private void enqueue(Channel ch, Alert alert) {
    if (ch.pending.incrementAndGet() > queueCapacity) {
      ch.pending.decrementAndGet();
      dropped(ch, alert);
      return;
    }
    totalPending.incrementAndGet();
    try {
      ch.executor.execute(() -> attempt(ch, alert, 1));
    } catch (RejectedExecutionException e) {
      finished(ch);
      dropped(ch, alert);
    }
  }

  private void dropped(Channel ch, Alert alert) {
    long n = ch.dropped.incrementAndGet();
    long now = clock.nanoTime();
    long last = ch.lastDropWarn.get();
    if ((n == 1 || now - last >= DROP_WARN_EVERY_NANOS) && ch.lastDropWarn.compareAndSet(last, now)) {
      log.warn(
          "alert dropped, delivery queue full channel={} capacity={} dropped={} key={}",
          ch.name, queueCapacity, n, alert.key());
    }
  }

  private void attempt(Channel ch, Alert alert, int attempt) {
    boolean finished = true;
    try {
      ch.alerter.deliver(alert);
      ch.sent.incrementAndGet();
    } catch (RuntimeException e) {
      boolean retryable = !(e instanceof AlertDeliveryException ade) || ade.isRetryable();
      if (retryable && attempt < maxAttempts) {
        finished = !scheduleRetry(ch, alert, attempt, e);
      } else {
        ch.failed.incrementAndGet();
        log.warn(
            "alert delivery failed channel={} key={} attempts={} retryable={} error={}",
            ch.name, alert.key(), attempt, retryable, e.toString());
      }
    } catch (Error e) {
      ch.failed.incrementAndGet(); // an executor would swallow it silently: say it here
      log.error("alert delivery failed with an error channel={} key={} attempts={} error={}",
          ch.name, alert.key(), attempt, e.toString(), e);
    } finally {
      if (finished) {
        finished(ch);
      }
    }
  }

  /** Waits until no channel has an alert queued or in delivery, at most {@code closeTimeout}. */
  private void awaitDrained() {
    drainLock.lock();
    try {
      long left = closeTimeout.toNanos();
      while (totalPending.get() > 0 && left > 0) {
        left = drained.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      drainLock.unlock();
    }
  }

  private void finished(Channel ch) {
    ch.pending.decrementAndGet();
    if (totalPending.decrementAndGet() == 0 && closed) {
      drainLock.lock();
      try {
        drained.signalAll();
      } finally {
        drainLock.unlock();
      }
    }
  }

  /** Returns true when the retry was scheduled (the alert stays pending). */
  private boolean scheduleRetry(Channel ch, Alert alert, int attempt, RuntimeException cause) {
    long delay = backoffNanos(attempt);
    try {
      ch.executor.schedule(() -> attempt(ch, alert, attempt + 1), delay, TimeUnit.NANOSECONDS);
      ch.retries.incrementAndGet();
      log.debug(
          "alert delivery retry channel={} key={} attempt={} delayMs={} error={}",
          ch.name, alert.key(), attempt, delay / 1_000_000, cause.toString());
      return true;
    } catch (RejectedExecutionException e) {
      ch.failed.incrementAndGet();
      log.warn(
          "alert delivery abandoned at shutdown channel={} key={} attempts={} error={}",
          ch.name, alert.key(), attempt, cause.toString());
      return false;
    }
  }

  /** initialBackoff * 2^(attempt-1), capped at maxBackoff. */
  long backoffNanos(int attempt) {
    long initial = initialBackoff.toNanos();
    long max = maxBackoff.toNanos();
    int shift = Math.min(attempt - 1, 30);
    long d = initial << shift;
    if (d < 0 || (d >> shift) != initial) {
      return max;
    }
    return Math.min(d, max);
  }

  private void flushSummariesQuietly() {
    try {
      if (!closed) {
        flushSummaries();
      }
    } catch (RuntimeException e) {
      log.warn("alert summary flush failed error={}", e.toString(), e);
    }
  }

  static String formatSpan(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s >= 3600 && s % 3600 == 0) {
      return (s / 3600) + " h";
    }
    if (s >= 60) {
      return Math.round(s / 60.0) + " min";
    }
    return s + " s";
  }

  private static ScheduledExecutorService newDaemonScheduler(String threadName) {
    ScheduledThreadPoolExecutor ex =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    ex.setRemoveOnCancelPolicy(true);
    return ex;
  }

  // ---------------------------------------------------------------------------------------

  /** Counters of the whole composite. */
  public record Stats(long received, long suppressed, long summaries, Map<String, ChannelStats> channels) {
    public Stats {
      channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    }

    /** The counters of the channel with this name; fails if there is none. */
    public ChannelStats channel(String name) {
      ChannelStats s = channels.get(name);
      if (s == null) {
        throw new IllegalArgumentException("no alert channel named '" + name + "', have " + channels.keySet());
      }
      return s;
    }
  }

  /**
   * Counters of one channel.
   *
   * @param sent alerts delivered
   * @param failed alerts given up on (permanent failure or out of attempts)
   * @param retries retry attempts scheduled
   * @param rateLimited alerts held back by the rate limit (reported later in one summary)
   * @param dropped alerts dropped because the delivery queue was full
   * @param pending alerts queued or being delivered now
   */
  public record ChannelStats(long sent, long failed, long retries, long rateLimited, long dropped, int pending) {}

  /** One de-duplication window: the first alert with a key, and what was suppressed after it. */
  private static final class KeyWindow {
    final Alert first;
    final Instant opened;
    volatile Alert latest;
    volatile Severity maxSeverity;
    volatile long suppressed;

    KeyWindow(Alert first, Instant opened) {
      this.first = first;
      this.opened = opened;
      this.latest = first;
      this.maxSeverity = first.severity();
    }

    /** Called only inside the cache's atomic compute for this key. */
    void suppress(Alert alert) {
      suppressed++;
      latest = alert;
      if (alert.severity().compareTo(maxSeverity) > 0) {
        maxSeverity = alert.severity();
      }
    }
  }

  private static final class Channel {
    final Alerter alerter;
    final String name;
    final Severity minSeverity;
    final ScheduledExecutorService executor;
    final int limit;
    final long periodNanos;
    final Duration period;
    final long[] stamps; // ring of the send times inside the sliding window
    int head;
    int size;
    long heldCount;
    Alert heldLatest;
    Severity heldMax;
    Instant heldSince;
    final AtomicInteger pending = new AtomicInteger();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong rateLimited = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong lastDropWarn = new AtomicLong(Long.MIN_VALUE / 2);

    Channel(Alerter alerter, Severity minSeverity, int limit, Duration period, ScheduledExecutorService executor) {
      this.alerter = alerter;
      this.name = alerter.name();
      this.minSeverity = minSeverity;
      this.executor = executor;
      this.limit = limit;
      this.period = period;
      this.periodNanos = period.toNanos();
      this.stamps = new long[limit];
    }

    synchronized boolean tryAcquire(long nowNanos) {
      while (size > 0 && nowNanos - stamps[head] >= periodNanos) {
        head = (head + 1) % limit;
        size--;
      }
      if (size >= limit) {
        return false;
      }
      stamps[(head + size) % limit] = nowNanos;
      size++;
      return true;
    }

    synchronized void hold(Alert alert, Instant now) {
      rateLimited.incrementAndGet();
      if (heldCount == 0) {
        heldSince = now;
        heldMax = alert.severity();
      } else if (alert.severity().compareTo(heldMax) > 0) {
        heldMax = alert.severity();
      }
      heldCount++;
      heldLatest = alert;
    }

    /** The held-back summary if alerts were held back and the limit has room for it, else null. */
    synchronized Alert takeHeldSummary(long nowNanos, Instant now) {
      if (heldCount == 0 || !tryAcquire(nowNanos)) {
        return null;
      }
      String title =
          heldCount + " alerts held back by the rate limit (" + limit + " per " + formatSpan(period)
              + ") in the last " + formatSpan(Duration.between(heldSince, now)) + ", latest: " + heldLatest.title();
      Alert summary = new Alert(heldMax, title, heldLatest.text(), now, "rate-limited:" + name);
      heldCount = 0;
      heldLatest = null;
      heldSince = null;
      return summary;
    }

    ChannelStats stats() {
      return new ChannelStats(sent.get(), failed.get(), retries.get(), rateLimited.get(), dropped.get(), pending.get());
    }
  }

  /** A channel as configured; {@code maxAlerts == 0} means the builder's default rate limit. */
  private record ChannelSpec(Alerter alerter, Severity minSeverity, int maxAlerts, Duration period) {}

  /**
   * Builds a {@link CompositeAlerter}. Every setter checks its argument at once and names the
   * bad value; {@link #build()} checks the combination. Not thread-safe.
   */
  public static final class Builder {
    private final List<ChannelSpec> channels = new ArrayList<>();
    private Clock clock = SystemClock.instance();
    private Duration dedupWindow = Duration.ofMinutes(5);
    private int rateLimitCount = 10;
    private Duration rateLimitPeriod = Duration.ofMinutes(1);
    private Duration summaryInterval = Duration.ofSeconds(30);
    private int queueCapacity = 1_000;
    private int maxAttempts = 4;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private ScheduledExecutorService executor;

    private Builder() {}

    /** Adds a channel that receives alerts of {@code minSeverity} and above. */
    public Builder channel(Alerter alerter, Severity minSeverity) {
      Objects.requireNonNull(alerter, "CompositeAlerter.channel alerter must not be null");
      Objects.requireNonNull(minSeverity, "CompositeAlerter.channel minSeverity must not be null");
      if (alerter instanceof CompositeAlerter) {
        throw new IllegalArgumentException("CompositeAlerter.channel must not be another CompositeAlerter");
      }
      channels.add(new ChannelSpec(alerter, minSeverity, 0, null));
      return this;
    }

    /**
     * Adds a channel with its own rate limit instead of the one set by {@link #rateLimit}: at
     * most {@code maxAlerts} per {@code period}.
     */
    public Builder channel(Alerter alerter, Severity minSeverity, int maxAlerts, Duration period) {
      checkRate(maxAlerts, period);
      channel(alerter, minSeverity);
      ChannelSpec plain = channels.remove(channels.size() - 1);
      channels.add(new ChannelSpec(plain.alerter(), plain.minSeverity(), maxAlerts, period));
      return this;
    }

    /** How long alerts with one key are sent once (default 5 min). */
    public Builder dedupWindow(Duration window) {
      this.dedupWindow = positive(window, "dedupWindow");
      return this;
    }

    /** Each channel sends at most {@code maxAlerts} per {@code period} (default 10 per minute). */
    public Builder rateLimit(int maxAlerts, Duration period) {
      checkRate(maxAlerts, period);
      this.rateLimitCount = maxAlerts;
      this.rateLimitPeriod = period;
      return this;
    }

    private static void checkRate(int maxAlerts, Duration period) {
      if (maxAlerts <= 0 || maxAlerts > 100_000) {
        throw new IllegalArgumentException("CompositeAlerter.rateLimit maxAlerts must be in 1..100000, was " + maxAlerts);
      }
      positive(period, "rateLimit period");
    }

    /**
     * How often the timer sends due summaries (default 30 s, real time). {@link Duration#ZERO}
     * turns the timer off: then call {@link CompositeAlerter#flushSummaries()} yourself.
     */
    public Builder summaryInterval(Duration interval) {
      Objects.requireNonNull(interval, "CompositeAlerter.summaryInterval must not be null");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("CompositeAlerter.summaryInterval must be >= 0, was " + interval);
      }
      this.summaryInterval = interval;
      return this;
    }

    /** Alerts queued or in delivery per channel before new ones are dropped (default 1000). */
    public Builder queueCapacity(int capacity) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("CompositeAlerter.queueCapacity must be > 0, was " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * Attempts per alert and channel (default 4), the delay before the first retry (default 1
     * s), doubled per retry up to {@code maxBackoff} (default 30 s).
     */
    public Builder retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
      if (maxAttempts <= 0 || maxAttempts > 100) {
        throw new IllegalArgumentException("CompositeAlerter.retry maxAttempts must be in 1..100, was " + maxAttempts);
      }
      positive(initialBackoff, "retry initialBackoff");
      positive(maxBackoff, "retry maxBackoff");
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "CompositeAlerter.retry maxBackoff must be >= initialBackoff " + initialBackoff + ", was " + maxBackoff);
      }
      this.maxAttempts = maxAttempts;
      this.initialBackoff = initialBackoff;
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** The clock that times de-duplication windows and rate limits (default the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "CompositeAlerter.clock must not be null");
      return this;
    }

    /**
     * Runs deliveries, retries and the summary timer on this executor instead of one owned
     * thread per channel. The caller owns it: {@link CompositeAlerter#close()} does not shut it
     * down.
     */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "CompositeAlerter.executor must not be null");
      return this;
    }

    /** The longest {@link CompositeAlerter#close()} waits for queued deliveries (default 5 s). */
    public Builder closeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "CompositeAlerter.closeTimeout must not be null");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("CompositeAlerter.closeTimeout must be >= 0, was " + timeout);
      }
      this.closeTimeout = timeout;
      return this;
    }

    public CompositeAlerter build() {
      Set<String> names = new LinkedHashSet<>();
      for (ChannelSpec spec : channels) {
        if (!names.add(spec.alerter.name())) {
          throw new IllegalArgumentException(
              "CompositeAlerter channel names must be unique, '" + spec.alerter.name() + "' appears twice");
        }
      }
      return new CompositeAlerter(this);
    }

    private static Duration positive(Duration d, String field) {
      Objects.requireNonNull(d, "CompositeAlerter." + field + " must not be null");
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("CompositeAlerter." + field + " must be > 0, was " + d);
      }
      return d;
    }
  }
}
