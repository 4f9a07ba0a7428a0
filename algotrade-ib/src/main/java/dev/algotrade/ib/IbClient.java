package dev.algotrade.ib;

import dev.algotrade.api.BrokerException;
import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.time.Clock;
import dev.algotrade.ib.internal.Backoff;
import dev.algotrade.ib.internal.ChannelInput;
import dev.algotrade.ib.internal.Decoder;
import dev.algotrade.ib.internal.FrameReader;
import dev.algotrade.ib.internal.IbCodes;
import dev.algotrade.ib.internal.IbHandler;
import dev.algotrade.ib.internal.Inbound;
import dev.algotrade.ib.internal.Outgoing;
import dev.algotrade.ib.internal.Pacer;
import dev.algotrade.ib.internal.Sleeper;
import dev.algotrade.ib.internal.WireProbe;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reconnecting connection to TWS or IB Gateway, speaking the classic text protocol at server
 * version 178 (ib-protocol.md). Lifecycle: {@link #create}, add handlers and connection
 * listeners, {@link #start()} (returns at once; {@link #ready()} completes when nextValidId and
 * managedAccounts have both arrived on the first connection), {@link #close()}.
 *
 * <p><b>Sessions and reconnecting.</b> The same client object lives across socket losses: each
 * socket is a <em>session</em> (connect, handshake advertising {@code v157..178} and refusing any
 * other reply than 178, startApi, then nextValidId + managedAccounts make it ready). When a
 * session ends (EOF or I/O error, keepalive timeout, error 326 / 502 / 504 / 1300, the start-up
 * timeout) the client goes DISCONNECTED, waits the {@link ReconnectPolicy} backoff measured on
 * the injected {@link Clock} (so a simulated clock drives it in tests), goes CONNECTING and opens
 * a new session; handlers and listeners stay registered. The backoff starts again from its first
 * delay after every session that became ready. With {@link ReconnectPolicy#disabled()} the first
 * loss is final. {@link #ready()} only describes the first connection: it fails when that fails
 * (the client still retries in the background unless reconnecting is off); later sessions are
 * announced through {@link ConnectionListener}. Frames {@link #send sent} while a session is
 * connecting go out right after its startApi; frames sent while no session exists (during the
 * backoff) are dropped and {@code send} returns false.
 *
 * <p><b>States.</b> {@link ConnectionListener#onConnectionState} hears every change: CONNECTING,
 * CONNECTED, DEGRADED (1100 / 2110: TWS lost IB's servers, the socket is fine), back to CONNECTED
 * (1101 / 1102), DISCONNECTED (detail says why and when the next attempt is due), CLOSED.
 * {@link ConnectionListener#onRestored} follows the CONNECTED change of every session after the
 * first ({@code dataLost=true}: a new socket has no subscriptions) and every 1101 ({@code true})
 * / 1102 ({@code false}).
 *
 * <p><b>Keepalive.</b> After {@link IbConfig#keepaliveInterval()} of inbound silence (client
 * clock) the client sends reqCurrentTime; with nothing received for
 * {@link IbConfig#keepaliveTimeout()} it declares the socket dead (half-open), closes it and
 * reconnects.
 *
 * <p><b>Threads</b> (named {@code ib-*-<clientId>-<n>}, writers with a {@code -s<session>}
 * suffix): the <b>reader</b> thread runs the
 * connection loop: connect, handshake, decode frames and call every {@link IbHandler} in turn,
 * wait out the backoff, repeat. Writing: the socket is a non-blocking channel, and
 * {@link #send} writes the frame on the calling thread (the engine thread, for an order) when
 * nothing is queued ahead of it and the {@link Pacer} allows it, so an order reaches the kernel
 * without a thread hand-off; each session's <b>writer</b> thread sends what had to wait (frames
 * over the pacing limit of {@link IbConfig#maxMessagesPerSecond()} a second, frames sent while
 * connecting, the rest of a frame the kernel took only in part), in order. {@link #send} never
 * blocks on the network: a write that would block is left to the writer. A thread whose
 * interrupt flag is set has its frame sent by the writer, because an interrupted write closes a
 * channel (interrupting a thread <em>while</em> it is inside {@code send} can still end the
 * session, which then reconnects and restores like any socket loss). A <b>timer</b> thread
 * runs timeouts for the broker, feed and history, the start-up timeout and the keepalive check. Listeners are called on the reader thread, except CLOSED (the thread
 * calling {@link #close()}). All public methods are thread-safe.
 *
 * <p>Ids: request ids and order ids come from one counter seeded by nextValidId (as ib_async
 * does), so an errMsg id is never ambiguous. The counter only increases, across sessions too:
 * a new session's nextValidId can only raise it (TWS may roll ids back after a restart,
 * ib-protocol.md P1), and order ids seen in openOrder / orderStatus push it further up
 * (ib-protocol.md §5.1).
 */
public final class IbClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IbClient.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final long NONE = Long.MIN_VALUE;
  /** Real time the backoff wait parks between two readings of the client clock. */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  /** Real period of the keepalive check (which reads the client clock). */
  private static final long KEEPALIVE_TICK_MILLIS = 200;
  /** The reader's buffer: one read system call takes up to this much. */
  private static final int READ_BUFFER_BYTES = 64 * 1024;
  /** Longest wait of the writer for buffer space before it looks at the session again. */
  private static final long WRITE_WAIT_MILLIS = 100;

  /**
   * Connection events; called from the reader thread (CLOSED: from the thread calling close).
   * The contract the broker and feed build on:
   *
   * <ul>
   *   <li>{@link #onConnectionState} fires once per state change: CONNECTING (a session is
   *       being opened), CONNECTED (a session is ready, or 1101 / 1102 after DEGRADED), DEGRADED
   *       (1100 / 2110), DISCONNECTED (the session ended; the detail says why and when the next
   *       attempt is due, or that there will be none), CLOSED (final).
   *   <li>{@link #onRestored} fires after the CONNECTED change of every session that becomes
   *       ready after the first one ({@code dataLost=true}: a new socket has no market data or
   *       account subscriptions; open orders live at IB), and on error 1101 ({@code true}:
   *       subscriptions must be renewed) or 1102 ({@code false}: kept, reconcile only) while a
   *       session is ready. {@link IbClient#sessions()} tells how many sessions became ready.
   * </ul>
   */
  @FunctionalInterface
  public interface ConnectionListener {
    void onConnectionState(ConnectionState state, String detail);

    /** A connection to IB is back after a loss; renew subscriptions if {@code dataLost}. */
    default void onRestored(boolean dataLost) {}
  }

  /** What TWS last said about one of its data farms (2103-2108, 2157, 2158). */
  public enum FarmStatus {
    OK,
    BROKEN,
    /** Inactive but available on demand: normal. */
    INACTIVE
  }

  private final IbConfig config;
  private final Clock clock;
  private final Decoder decoder = new Decoder();
  private final List<IbHandler> handlers = new CopyOnWriteArrayList<>();
  private volatile IbHandler[] handlerArray = new IbHandler[0];
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  /** Completes when a session is ready; replaced by a fresh one when that session ends. */
  private volatile CompletableFuture<Void> readyNow = new CompletableFuture<>();
  private final AtomicInteger nextId = new AtomicInteger(-1);
  private final AtomicInteger maxSeenOrderId = new AtomicInteger(0);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong oversize = new AtomicLong();
  private final AtomicLong handlerErrors = new AtomicLong();
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicLong connectAttempts = new AtomicLong();
  private final AtomicLong keepalivePings = new AtomicLong();
  private final Map<String, FarmStatus> farms = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final Pacer pacer;
  private final Backoff backoff;
  private final Object stateLock = new Object();
  /** Serialises writes to the socket and use of the pacer (held only for non-blocking work). */
  private final ReentrantLock writeLock = new ReentrantLock();
  /** Frames the sending thread wrote itself (no hand-off); guarded by writeLock. */
  private long directWrites;
  /** Thread-name suffix: client id plus a per-process connection number. */
  private final String threadSuffix;

  /** The session being opened or running; a dead one during the backoff wait. */
  private volatile Session current;
  private volatile Thread reader;
  private volatile ConnectionState state = ConnectionState.DISCONNECTED;
  private volatile boolean closed;
  private volatile boolean started;
  private volatile int serverVersion;
  private volatile String connectionTime = "";
  private volatile List<String> managedAccounts = List.of();
  private volatile String account = "";
  /** Client-clock nanos when the last ready session (or the first attempt) was lost; NONE while up. */
  private volatile long downSince = NONE;
  /** Client-clock nanos of the next attempt while waiting; NONE otherwise. */
  private volatile long nextAttemptAt = NONE;
  private IbContracts contracts;
  private volatile WireProbe probe = WireProbe.NONE;

  private IbClient(IbConfig config, Clock clock, java.util.function.LongSupplier ticker, Sleeper sleeper) {
    this.config = config;
    this.clock = clock;
    this.pacer = new Pacer(config.maxMessagesPerSecond(), TimeUnit.SECONDS.toNanos(1), ticker, sleeper);
    this.threadSuffix = config.clientId() + "-" + SEQUENCE.incrementAndGet();
    // seeded per client id and port: reproducible, and clients of one gateway spread apart
    this.backoff = new Backoff(config.reconnect(), new SplittableRandom(31L * config.clientId() + config.port()));
    this.current = new Session(1);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ib-timer-" + threadSuffix);
      t.setDaemon(true);
      return t;
    });
  }

  /** A client for {@code config}; nothing connects until {@link #start()}. */
  public static IbClient create(IbConfig config, Clock clock) {
    if (config == null || clock == null) {
      throw new IllegalArgumentException("IbClient.create needs a config and a clock, was " + config + ", " + clock);
    }
    return new IbClient(config, clock, Pacer.systemTicker(), Sleeper.system());
  }

  /** For tests: a client whose pacer runs on a fake ticker and sleeper. */
  static IbClient create(IbConfig config, Clock clock, java.util.function.LongSupplier ticker, Sleeper sleeper) {
    return new IbClient(config, clock, ticker, sleeper);
  }

  /**
   * Internal, for latency benchmarks (not API): {@code probe} sees every frame as it crosses the
   * socket (see {@link WireProbe}); null or {@link WireProbe#NONE} removes it.
   */
  public void wireProbe(WireProbe probe) {
    this.probe = probe == null ? WireProbe.NONE : probe;
  }

  /**
   * Internal, for benchmarks against the simulated gateway only (not API): stops pacing
   * outgoing messages. Real TWS / IB Gateway disconnects a client that sends more than 50 a second.
   */
  public void switchOffPacingForBenchmark() {
    log.warn("IB pacing switched off for a benchmark; never do this on a real TWS / IB Gateway connection");
    pacer.switchOff();
  }

  /** Times a message had to wait for the pacer. */
  public long pacerWaits() {
    return pacer.waits();
  }

  public IbConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  /** The contract resolver of this connection (one Caffeine cache shared by broker, feed and history). */
  public synchronized IbContracts contracts() {
    if (contracts == null) {
      contracts = IbContracts.on(this);
    }
    return contracts;
  }

  /** Registers a handler for inbound messages (called on the reader thread). Idempotent. */
  public void addHandler(IbHandler handler) {
    if (handlers.contains(handler)) {
      return;
    }
    handlers.add(handler);
    handlerArray = handlers.toArray(new IbHandler[0]);
  }

  public void removeHandler(IbHandler handler) {
    handlers.remove(handler);
    handlerArray = handlers.toArray(new IbHandler[0]);
  }

  /** Registers a listener for state changes and restores; it stays registered across sessions. */
  public void addConnectionListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  /**
   * Connects in the background (idempotent) and keeps reconnecting per the
   * {@link IbConfig#reconnect()} policy until {@link #close()}. Watch {@link #ready()} or a
   * connection listener.
   *
   * @return {@link #ready()}
   */
  public synchronized CompletableFuture<Void> start() {
    if (closed) {
      throw new BrokerException("IbClient is closed");
    }
    if (!started) {
      started = true;
      Thread t = new Thread(this::runConnections, "ib-reader-" + threadSuffix);
      t.setDaemon(true);
      reader = t;
      t.start();
      if (config.keepaliveEnabled()) {
        timer.scheduleAtFixedRate(this::keepaliveTick, KEEPALIVE_TICK_MILLIS, KEEPALIVE_TICK_MILLIS,
            TimeUnit.MILLISECONDS);
      }
    }
    return ready;
  }

  /**
   * Completes once nextValidId and managedAccounts have arrived on the first connection; fails
   * if that first connection fails (later sessions are reported to connection listeners).
   */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /**
   * Completes when a session is ready: at once while one is, else at the next session that
   * becomes ready (first connect or reconnect); fails only when the client is closed. Unlike
   * {@link #ready()} it does not fail when an attempt fails.
   */
  public CompletableFuture<Void> whenReady() {
    return readyNow;
  }

  /**
   * True while a session is ready (nextValidId and managedAccounts in; state CONNECTED or
   * DEGRADED, or about to be reported CONNECTED) and the client is not closed. Already true when
   * {@link #ready()} completes.
   */
  public boolean isReady() {
    Session s = current;
    return !closed && s.ready && s.accepting;
  }

  public ConnectionState state() {
    return state;
  }

  /** Sessions that became ready so far: 1 after the first connect, more after reconnects. */
  public int sessions() {
    return sessions.get();
  }

  /** Connection attempts made so far (each opens one socket). */
  public long connectAttempts() {
    return connectAttempts.get();
  }

  /** reqCurrentTime messages the keepalive has sent. */
  public long keepalivePings() {
    return keepalivePings.get();
  }

  /** When the next connection attempt is due (client clock), while waiting out a backoff. */
  public Optional<Instant> nextAttemptAt() {
    long at = nextAttemptAt;
    if (at == NONE) {
      return Optional.empty();
    }
    return Optional.of(clock.now().plusNanos(at - clock.nanoTime()));
  }

  /** Read-only live view: the last status TWS reported per data farm (e.g. {@code usfarm -> OK}). */
  public Map<String, FarmStatus> farmStatus() {
    return Collections.unmodifiableMap(farms);
  }

  /** The negotiated server version (178 once connected, 0 before). */
  public int serverVersion() {
    return serverVersion;
  }

  /** The connection time text from the handshake reply. */
  public String connectionTime() {
    return connectionTime;
  }

  /** Accounts from managedAccounts. */
  public List<String> managedAccounts() {
    return managedAccounts;
  }

  /** The account we trade: {@link IbConfig#account()} or the first managed account. */
  public String account() {
    return account;
  }

  /** PAPER for an account id starting with D (e.g. DU123456), LIVE otherwise, UNKNOWN before connect. */
  public AccountMode accountMode() {
    String a = account;
    if (a.isEmpty()) {
      return AccountMode.UNKNOWN;
    }
    return a.startsWith("D") ? AccountMode.PAPER : AccountMode.LIVE;
  }

  /**
   * The next request / order id (strictly increasing, across reconnects too).
   *
   * @throws BrokerException if nextValidId has not arrived yet
   */
  public int nextId() {
    int id = nextId.getAndIncrement();
    if (id < 0) {
      nextId.compareAndSet(id + 1, -1);
      throw new BrokerException("IB client not ready: no nextValidId received yet");
    }
    return id;
  }

  /** An order id seen on the wire; future ids will be above it. */
  void observeOrderId(int orderId) {
    if (orderId > 0 && orderId < Integer.MAX_VALUE) {
      maxSeenOrderId.accumulateAndGet(orderId, Math::max);
      nextId.accumulateAndGet(orderId + 1, (cur, seen) -> cur < 0 ? cur : Math.max(cur, seen));
    }
  }

  /**
   * Sends one frame. Never waits on the network: if nothing is queued ahead of it and the pacer
   * allows it, the frame is written at once by the calling thread with a non-blocking write (no
   * hand-off to another thread; what the kernel does not take is finished by the writer thread);
   * otherwise it is queued for the session's paced writer. Frames sent while a session is
   * connecting go out right after its startApi, in order. Returns false (and drops the frame)
   * while no session is open (backoff wait, reconnecting off, closed).
   */
  public boolean send(byte[] frame) {
    Session s = current;
    if (closed || !s.send(frame)) {
      log.warn("IB message dropped, not connected state={} msgBytes={}", state, frame.length);
      return false;
    }
    return true;
  }

  /** Messages in the outgoing queue of the open session (0 while none is open). */
  public int queuedMessages() {
    Session s = current;
    writeLock.lock();
    try {
      return s.accepting ? s.backlog.size() + (s.writing != null ? 1 : 0) : 0;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Frames written by the sending thread itself because nothing was queued ahead of them and the
   * pacer allowed them (the rest went through the writer thread).
   */
  public long directWrites() {
    writeLock.lock();
    try {
      return directWrites;
    } finally {
      writeLock.unlock();
    }
  }

  public long sentMessages() {
    return sent.get();
  }

  public long decodedMessages() {
    return decoder.decodedCount();
  }

  public long unknownMessages() {
    return decoder.unknownCount();
  }

  public long malformedMessages() {
    return decoder.malformedCount();
  }

  public long oversizeMessages() {
    return oversize.get();
  }

  public long handlerErrors() {
    return handlerErrors.get();
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /** For tests: the thread running the connection loop (null before start). */
  Thread readerThread() {
    return reader;
  }

  // ---------------------------------------------------------------- sessions

  /**
   * One socket: its outgoing frames, writer and start-up / keepalive bookkeeping. The socket is a
   * non-blocking channel: the reader waits for bytes in its own selector, and any thread may
   * write a frame directly under {@link #writeLock} without ever blocking on the network.
   */
  private final class Session {
    final int number;
    volatile SocketChannel channel;
    volatile ChannelInput input;
    /** Wakes the writer thread; with {@link #writeLock}. */
    final Condition work = writeLock.newCondition();
    // guarded by writeLock:
    /** Frames waiting for the writer, in order. */
    final ArrayDeque<byte[]> backlog = new ArrayDeque<>();
    /** The frame being written and what of it the kernel has not taken yet; null when none. */
    ByteBuffer writing;
    byte[] writingFrame;
    /** startApi is out: frames may be written directly. */
    boolean open;
    boolean writerWaiting;
    Selector writeSelector;
    /** False once the session is over: sends are refused. */
    volatile boolean accepting = true;
    /** Why the session was ended on purpose (first reason wins); null for a plain socket loss. */
    volatile String failure;
    volatile boolean gotNextValidId;
    volatile boolean gotAccounts;
    volatile boolean ready;
    volatile long readyAt = NONE;
    /** Client-clock nanos of the last inbound frame; written by the reader only. */
    volatile long lastInbound;
    volatile long inboundFrames;
    // keepalive state, timer thread only
    long pingAt = NONE;
    long pingFrames;

    Session(int number) {
      this.number = number;
    }

    boolean send(byte[] frame) {
      writeLock.lock();
      try {
        if (!accepting) {
          return false;
        }
        // an interrupted thread must not touch the channel: an interruptible channel closes
        // itself when its user is interrupted, so such a frame goes through the writer
        if (open && writing == null && backlog.isEmpty() && !Thread.currentThread().isInterrupted()
            && pacer.tryAcquire()) {
          directWrites++;
          writeNow(frame);
        } else {
          backlog.add(frame);
          if (writerWaiting) {
            work.signal();
          }
        }
        return true;
      } finally {
        writeLock.unlock();
      }
    }

    /** With writeLock held, nothing queued and a pacer slot taken: one non-blocking write. */
    private void writeNow(byte[] frame) {
      ByteBuffer b = ByteBuffer.wrap(frame);
      try {
        channel.write(b);
      } catch (IOException e) {
        writeFailed(e);
        return;
      }
      if (b.hasRemaining()) { // the kernel's buffer is full: the writer finishes it
        writing = b;
        writingFrame = frame;
        if (writerWaiting) {
          work.signal();
        }
      } else {
        written(frame);
      }
    }

    void writeFailed(IOException e) {
      if (!closed && accepting) {
        log.warn("IB write failed reason={} session={}", why(e), number);
        kill("IB write failed: " + why(e));
      }
    }

    /** Ends the session on purpose: records why, closes the socket (the reader then reports it). */
    void kill(String why) {
      synchronized (this) {
        if (failure == null) {
          failure = why;
        }
      }
      stopIo();
    }

    void stopIo() {
      accepting = false;
      writeLock.lock();
      try {
        backlog.clear();
        writing = null;
        writingFrame = null;
        work.signalAll();
        if (writeSelector != null) {
          writeSelector.wakeup();
        }
      } finally {
        writeLock.unlock();
      }
      SocketChannel ch = channel;
      if (ch != null) {
        closeQuietly(ch, "socket");
      }
      ChannelInput in = input;
      if (in != null) {
        in.wakeup();
      }
    }
  }

  /** How a session ended. */
  private record End(String reason, Throwable cause) {}

  /** The reader thread: sessions one after the other, with the backoff wait between them. */
  private void runConnections() {
    Session s = current;
    while (true) {
      connectAttempts.incrementAndGet();
      setState(ConnectionState.CONNECTING, "connecting to " + config.host() + ":" + config.port()
          + (s.number > 1 ? " attempt " + backoff.attempt() : ""));
      End end = runSession(s);
      s.stopIo();
      if (readyNow.isDone() && !closed) {
        readyNow = new CompletableFuture<>();
      }
      if (closed) {
        return;
      }
      long now = clock.nanoTime();
      boolean wasReady = s.ready;
      if (wasReady || downSince == NONE) {
        downSince = now;
      }
      if (wasReady) {
        backoff.reset();
      }
      boolean everReady = sessions.get() > 0;
      if (!ready.isDone()) {
        ready.completeExceptionally(new BrokerException(end.reason(), end.cause()));
      }
      boolean expected = config.dailyRestart().contains(clock.now());
      String window = expected ? " (inside the daily restart window " + config.dailyRestart() + ")" : "";
      if (!config.reconnect().enabled() || backoff.exhausted()) {
        String why = config.reconnect().enabled()
            ? "; giving up after " + backoff.attempt() + " attempts (ReconnectPolicy.maxAttempts)"
            : "; reconnecting is off (IB_RECONNECT=false)";
        log.error("IB connection down, no further attempts reason={} attempts={} reconnect={}", end.reason(),
            backoff.attempt(), config.reconnect().enabled());
        setState(ConnectionState.DISCONNECTED, end.reason() + why);
        return;
      }
      Duration delay = backoff.next();
      int attempt = backoff.attempt();
      nextAttemptAt = now + delay.toNanos();
      if (wasReady) {
        Duration upFor = Duration.ofNanos(now - s.readyAt);
        if (expected) {
          log.info("IB connection lost reason={} nextAttemptIn={} attempt={} sessions={} upFor={} expected=dailyRestart",
              end.reason(), delay, attempt, sessions.get(), upFor);
        } else {
          log.warn("IB connection lost reason={} nextAttemptIn={} attempt={} sessions={} upFor={}", end.reason(),
              delay, attempt, sessions.get(), upFor);
        }
      } else {
        Duration downFor = Duration.ofNanos(now - downSince);
        if (expected) {
          log.info("IB connect attempt failed reason={} nextAttemptIn={} attempt={} downFor={} expected=dailyRestart",
              end.reason(), delay, attempt, downFor);
        } else if (!everReady && attempt == 1) {
          log.error("IB connect attempt failed reason={} nextAttemptIn={} attempt={} downFor={}", end.reason(), delay,
              attempt, downFor);
        } else {
          log.warn("IB connect attempt failed reason={} nextAttemptIn={} attempt={} downFor={}", end.reason(), delay,
              attempt, downFor);
        }
      }
      setState(ConnectionState.DISCONNECTED, end.reason() + "; next attempt in " + delay + " (attempt " + attempt
          + ")" + window);
      boolean due = awaitClock(nextAttemptAt);
      nextAttemptAt = NONE;
      if (!due) {
        return;
      }
      s = new Session(s.number + 1);
      current = s;
      if (closed) { // close() may have stopped the previous session only
        s.stopIo();
        return;
      }
    }
  }

  /** Parks a few ms of real time at a time until the client clock reaches {@code deadline}; false if closed. */
  private boolean awaitClock(long deadline) {
    while (!closed) {
      long left = deadline - clock.nanoTime();
      if (left <= 0) {
        return true;
      }
      LockSupport.parkNanos(this, Math.min(left, POLL_NANOS));
    }
    return false;
  }

  private End runSession(Session s) {
    SocketChannel ch;
    try {
      ch = SocketChannel.open();
    } catch (IOException e) {
      return new End("could not open a socket: " + why(e), e);
    }
    s.channel = ch;
    if (!s.accepting) {
      closeQuietly(ch, "socket");
      return new End(s.failure != null ? s.failure : "IbClient closed", null);
    }
    int number = s.number;
    timer.schedule(() -> checkReady(s), config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    try {
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.socket().connect(new InetSocketAddress(config.host(), config.port()), (int) config.connectTimeout().toMillis());
    } catch (IOException e) {
      closeQuietly(ch, "socket");
      if (s.failure != null) {
        return new End(s.failure, e);
      }
      return new End("Error: Connection refused to IB host=" + config.host() + " port=" + config.port()
          + " (" + e.getMessage() + "). Is TWS or IB Gateway running, with the API enabled "
          + "(Enable ActiveX and Socket Clients), 127.0.0.1 trusted, and listening on this port?", e);
    }
    ChannelInput in = null;
    try {
      ch.configureBlocking(false);
      in = new ChannelInput(ch, READ_BUFFER_BYTES);
      s.input = in;
      if (!s.accepting) { // stopped while we were connecting: stopIo may have missed the input
        return new End(s.failure != null ? s.failure : "IbClient closed", null);
      }
      FrameReader frames = new FrameReader(in, config.maxMessageLength());
      writeFully(ch, Outgoing.handshake());
      in.timeout(config.connectTimeout().toMillis());
      handshake(frames);
      in.timeout(0);
      // startApi goes out first, ahead of anything queued while we were connecting
      pacer.acquire(); // only this thread uses the pacer until the session is open
      writeLock.lock();
      try {
        writeFully(ch, Outgoing.startApi(config.clientId()));
        s.open = true;
      } finally {
        writeLock.unlock();
      }
      sent.incrementAndGet();
      s.lastInbound = clock.nanoTime();
      Thread w = new Thread(() -> runWriter(s), "ib-writer-" + threadSuffix + "-s" + number);
      w.setDaemon(true);
      w.start();
      return readLoop(s, frames);
    } catch (SocketTimeoutException e) {
      return new End(s.failure != null ? s.failure : "IB did not answer the API handshake within "
          + config.connectTimeout() + " (host=" + config.host() + " port=" + config.port()
          + "); is this a TWS / IB Gateway API port?", e);
    } catch (IOException e) {
      return new End(s.failure != null ? s.failure : closed ? "IbClient closed" : "IB handshake failed: " + why(e), e);
    } catch (BrokerException e) {
      return new End(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new End("IbClient interrupted while connecting", e);
    } finally {
      if (in != null) {
        closeQuietly(in, "read selector");
      }
    }
  }

  /**
   * Writes all of {@code bytes} to the non-blocking channel during start-up, when nothing else
   * writes and the kernel buffer is empty; waits briefly if it is not (a stalled peer runs into
   * the start-up timeout, which closes the channel).
   */
  private static void writeFully(SocketChannel ch, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      if (ch.write(b) == 0) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }
  }

  private static void closeQuietly(Closeable c, String what) {
    try {
      c.close();
    } catch (IOException e) {
      log.debug("IB {} close failed", what, e);
    }
  }

  private static String why(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private void handshake(FrameReader frames) throws IOException {
    while (true) {
      frames.next();
      byte[] b = frames.buffer();
      int n = frames.length();
      int nuls = 0;
      for (int i = 0; i < n; i++) {
        if (b[i] == 0) {
          nuls++;
        }
      }
      if (nuls != 2 || b[n - 1] != 0) {
        log.debug("IB frame before the handshake reply skipped bytes={}", Decoder.render(b, 0, n));
        continue;
      }
      int sep = 0;
      while (b[sep] != 0) {
        sep++;
      }
      String version = new String(b, 0, sep, StandardCharsets.US_ASCII);
      String time = new String(b, sep + 1, n - sep - 2, StandardCharsets.UTF_8);
      int v;
      try {
        v = Integer.parseInt(version.trim());
      } catch (NumberFormatException e) {
        throw new BrokerException("IB handshake reply has no server version: '" + version + "'");
      }
      if (v == -1) {
        throw new BrokerException("IB asked to redirect the connection to '" + time + "'; redirects are not supported");
      }
      if (v != Outgoing.SERVER_VERSION) {
        String hint = v < Outgoing.SERVER_VERSION
            ? "upgrade TWS / IB Gateway to 10.30 or later (server version 178 or higher)"
            : "a reply above the advertised maximum is a server bug";
        throw new BrokerException("IB server version " + v + " is outside what this client speaks (178, advertised v"
            + Outgoing.MIN_CLIENT_VERSION + ".." + Outgoing.MAX_CLIENT_VERSION + "): " + hint);
      }
      serverVersion = v;
      connectionTime = time;
      log.info("IB handshake done serverVersion={} connectionTime={} host={} port={} clientId={}", v, time,
          config.host(), config.port(), config.clientId());
      return;
    }
  }

  private End readLoop(Session s, FrameReader frames) {
    IbHandler dispatch = new Dispatcher(s);
    try {
      while (!closed) {
        FrameReader.Result r = frames.next();
        s.lastInbound = clock.nanoTime();
        s.inboundFrames++;
        if (r == FrameReader.Result.OVERSIZE) {
          long n = oversize.incrementAndGet();
          log.warn("IB message longer than the configured cap skipped length={} cap={} count={}", frames.length(),
              config.maxMessageLength(), n);
          continue;
        }
        WireProbe p = probe;
        if (p != WireProbe.NONE) {
          p.frameRead(WireProbe.nanoTime());
        }
        try {
          decoder.decode(frames.buffer(), 0, frames.length(), dispatch);
        } catch (RuntimeException e) {
          long n = handlerErrors.incrementAndGet();
          log.error("IB message handler failed count={} bytes={}", n,
              Decoder.render(frames.buffer(), 0, frames.length()), e);
        }
      }
      return new End("IbClient closed", null);
    } catch (IOException e) {
      if (s.failure != null) {
        return new End(s.failure, e);
      }
      if (closed) {
        return new End("IbClient closed", e);
      }
      if (!s.ready) {
        log.error("IB closed the connection right after startApi clientId={}: client id already in use? (326) "
            + "reason={}", config.clientId(), why(e));
        return new End("IB closed the connection before nextValidId: client id " + config.clientId()
            + " already in use (error 326)? " + why(e), e);
      }
      return new End("connection to IB lost: " + why(e), e);
    }
  }

  /** Timer: a session that is not ready within the connect timeout is ended. */
  private void checkReady(Session s) {
    if (!s.ready && s.accepting && !closed) {
      log.error("IB connect timed out timeout={} gotNextValidId={} gotManagedAccounts={}", config.connectTimeout(),
          s.gotNextValidId, s.gotAccounts);
      s.kill("IB did not send nextValidId and managedAccounts within " + config.connectTimeout()
          + " (host=" + config.host() + " port=" + config.port() + " clientId=" + config.clientId() + ")");
    }
  }

  /** Timer: reqCurrentTime after silence, and a dead socket after longer silence (client clock). */
  private void keepaliveTick() {
    try {
      Session s = current;
      if (closed || !s.ready || !s.accepting) {
        return;
      }
      long now = clock.nanoTime();
      long frames = s.inboundFrames;
      if (s.pingAt != NONE && frames != s.pingFrames) {
        s.pingAt = NONE; // something arrived since the ping
      }
      long silent = now - s.lastInbound;
      long interval = config.keepaliveInterval().toNanos();
      long timeout = config.keepaliveTimeout().toNanos();
      if (s.pingAt == NONE) {
        if (silent >= interval) {
          s.pingAt = now;
          s.pingFrames = frames;
          keepalivePings.incrementAndGet();
          log.debug("IB keepalive ping silentFor={}", Duration.ofNanos(silent));
          s.send(Outgoing.reqCurrentTime());
        }
      } else if (silent >= timeout && now - s.pingAt >= timeout - interval) {
        Duration silentFor = Duration.ofNanos(silent);
        log.warn("IB keepalive timeout, socket presumed dead silentFor={} timeout={} session={}", silentFor,
            config.keepaliveTimeout(), s.number);
        s.kill("keepalive timeout: nothing received from IB for " + silentFor
            + " and reqCurrentTime unanswered; socket presumed dead (half-open)");
      }
    } catch (RuntimeException e) {
      log.error("IB keepalive check failed", e);
    }
  }

  private void setState(ConnectionState s, String detail) {
    synchronized (stateLock) {
      if (closed && s != ConnectionState.CLOSED) {
        return;
      }
      if (state == s) {
        return;
      }
      state = s;
      if (s == ConnectionState.CLOSED) {
        closed = true;
      }
    }
    for (ConnectionListener l : listeners) {
      if (closed && s != ConnectionState.CLOSED) {
        return;
      }
      try {
        l.onConnectionState(s, detail);
      } catch (RuntimeException e) {
        log.error("IB connection listener failed state={}", s, e);
      }
    }
  }

  private void fireRestored(boolean dataLost) {
    for (ConnectionListener l : listeners) {
      if (closed) {
        return;
      }
      try {
        l.onRestored(dataLost);
      } catch (RuntimeException e) {
        log.error("IB connection listener failed in onRestored dataLost={}", dataLost, e);
      }
    }
  }

  private void maybeReady(Session s) {
    if (!s.gotNextValidId || !s.gotAccounts || s.ready || !s.accepting) {
      return;
    }
    List<String> accounts = managedAccounts;
    String previous = account;
    if (!config.account().isEmpty() && !accounts.contains(config.account())) {
      String msg = "IB account " + config.account() + " (IB_ACCOUNT) is not among the managed accounts " + accounts;
      log.error("IB account not managed by this login account={} managed={}", config.account(), accounts);
      s.kill(msg);
      return;
    }
    if (!previous.isEmpty() && !accounts.contains(previous)) {
      String msg = "IB account " + previous + " is not among the managed accounts " + accounts
          + " after reconnecting: TWS is logged in to another user; refusing this session";
      log.error("IB account changed across a reconnect account={} managed={}", previous, accounts);
      s.kill(msg);
      return;
    }
    account = config.account().isEmpty() ? (previous.isEmpty() ? accounts.get(0) : previous) : config.account();
    s.readyAt = clock.nanoTime();
    s.ready = true;
    int n = sessions.incrementAndGet();
    readyNow.complete(null);
    if (!ready.isDone()) {
      log.info("IB connected account={} mode={} nextId={} host={} port={}", account, accountMode(), nextId.get(),
          config.host(), config.port());
      downSince = NONE;
      ready.complete(null);
      setState(ConnectionState.CONNECTED, "connected to " + config.host() + ":" + config.port() + " account " + account);
      return;
    }
    long down = downSince;
    Duration downFor = down == NONE ? Duration.ZERO : Duration.ofNanos(s.readyAt - down);
    downSince = NONE;
    log.info("IB reconnected sessions={} downFor={} account={} nextId={} host={} port={}", n, downFor, account,
        nextId.get(), config.host(), config.port());
    setState(ConnectionState.CONNECTED, "reconnected to " + config.host() + ":" + config.port() + " account "
        + account + " after " + downFor + " (session " + n + ")");
    fireRestored(true);
  }

  // ---------------------------------------------------------------- writer

  /**
   * The session's writer thread: finishes a frame the kernel took only part of, and sends queued
   * frames in order, each after the pacer allows it. While it has work, nobody else writes
   * (senders queue behind it), so frames never overtake each other.
   */
  private void runWriter(Session s) {
    Selector selector = null;
    try {
      while (true) {
        boolean needSlot;
        writeLock.lock();
        try {
          while (s.accepting && s.writing == null && s.backlog.isEmpty()) {
            s.writerWaiting = true;
            try {
              s.work.await();
            } finally {
              s.writerWaiting = false;
            }
          }
          if (!s.accepting) {
            return;
          }
          needSlot = s.writing == null;
        } finally {
          writeLock.unlock();
        }
        if (needSlot) {
          // outside the lock: the pacer may wait; senders see the backlog and queue behind it
          pacer.acquire();
        }
        boolean done;
        writeLock.lock();
        try {
          if (!s.accepting) {
            return;
          }
          if (needSlot) {
            byte[] frame = s.backlog.poll();
            s.writing = ByteBuffer.wrap(frame);
            s.writingFrame = frame;
          }
          s.channel.write(s.writing);
          done = !s.writing.hasRemaining();
          if (done) {
            written(s.writingFrame);
            s.writing = null;
            s.writingFrame = null;
          } else if (selector == null) {
            selector = Selector.open();
            s.channel.register(selector, SelectionKey.OP_WRITE);
            s.writeSelector = selector;
          }
        } finally {
          writeLock.unlock();
        }
        if (!done) {
          selector.select(WRITE_WAIT_MILLIS); // until the peer takes bytes (or stopIo wakes us)
          selector.selectedKeys().clear();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      s.writeFailed(e);
    } finally {
      if (selector != null) {
        closeQuietly(selector, "write selector");
      }
    }
  }

  /** A frame has gone to the kernel whole. */
  private void written(byte[] frame) {
    sent.incrementAndGet();
    WireProbe p = probe;
    if (p != WireProbe.NONE) {
      p.frameWritten(frame, WireProbe.nanoTime());
    }
  }

  /** Closes the socket, stops a pending backoff wait and all threads. Idempotent. */
  @Override
  public void close() {
    synchronized (stateLock) {
      if (closed) {
        return;
      }
    }
    setState(ConnectionState.CLOSED, "closed");
    closed = true;
    current.stopIo();
    Thread r = reader;
    if (r != null) {
      LockSupport.unpark(r);
    }
    timer.shutdownNow();
    if (!ready.isDone()) {
      ready.completeExceptionally(new BrokerException("IbClient closed before it was ready"));
    }
    readyNow.completeExceptionally(new BrokerException("IbClient closed"));
    log.info("IB client closed sent={} decoded={} unknown={} malformed={} sessions={} attempts={}", sent.get(),
        decoder.decodedCount(), decoder.unknownCount(), decoder.malformedCount(), sessions.get(),
        connectAttempts.get());
  }

  /** Routes connection-level messages, then fans every message out to the handlers. */
  private final class Dispatcher implements IbHandler {

    private final Session session;

    Dispatcher(Session session) {
      this.session = session;
    }

    @Override
    public void tickPrice(int tickerId, int tickType, double price, double size, int attrMask) {
      for (IbHandler h : handlerArray) {
        h.tickPrice(tickerId, tickType, price, size, attrMask);
      }
    }

    @Override
    public void tickSize(int tickerId, int tickType, double size) {
      for (IbHandler h : handlerArray) {
        h.tickSize(tickerId, tickType, size);
      }
    }

    @Override
    public void tickGeneric(int tickerId, int tickType, double value) {
      for (IbHandler h : handlerArray) {
        h.tickGeneric(tickerId, tickType, value);
      }
    }

    @Override
    public void tickString(int tickerId, int tickType, String value) {
      for (IbHandler h : handlerArray) {
        h.tickString(tickerId, tickType, value);
      }
    }

    @Override
    public void tickSnapshotEnd(int tickerId) {
      for (IbHandler h : handlerArray) {
        h.tickSnapshotEnd(tickerId);
      }
    }

    @Override
    public void marketDataType(int tickerId, int type) {
      for (IbHandler h : handlerArray) {
        h.marketDataType(tickerId, type);
      }
    }

    @Override
    public void tickReqParams(int tickerId, double minTick, String bboExchange, int snapshotPermissions) {
      for (IbHandler h : handlerArray) {
        h.tickReqParams(tickerId, minTick, bboExchange, snapshotPermissions);
      }
    }

    @Override
    public void orderStatus(Inbound.OrderStatus msg) {
      observeOrderId(msg.orderId());
      for (IbHandler h : handlerArray) {
        h.orderStatus(msg);
      }
    }

    @Override
    public boolean error(int id, int code, String text, String json) {
      boolean claimed = false;
      for (IbHandler h : handlerArray) {
        claimed |= h.error(id, code, text, json);
      }
      connectionError(session, id, code, text, claimed);
      return claimed;
    }

    @Override
    public void openOrder(Inbound.OpenOrder msg) {
      observeOrderId(msg.orderId());
      for (IbHandler h : handlerArray) {
        h.openOrder(msg);
      }
    }

    @Override
    public void openOrderEnd() {
      for (IbHandler h : handlerArray) {
        h.openOrderEnd();
      }
    }

    @Override
    public void nextValidId(int orderId) {
      // open orders may be downloaded before nextValidId: stay above every id seen
      nextId.accumulateAndGet(Math.max(orderId, maxSeenOrderId.get() + 1), Math::max);
      log.debug("IB nextValidId orderId={} next={}", orderId, nextId.get());
      for (IbHandler h : handlerArray) {
        h.nextValidId(orderId);
      }
      session.gotNextValidId = true;
      maybeReady(session);
    }

    @Override
    public void managedAccounts(String accountsList) {
      List<String> list = new ArrayList<>();
      for (String a : accountsList.split(",")) {
        if (!a.isBlank()) {
          list.add(a.trim());
        }
      }
      managedAccounts = List.copyOf(list);
      log.info("IB managed accounts accounts={}", managedAccounts);
      for (IbHandler h : handlerArray) {
        h.managedAccounts(accountsList);
      }
      if (!list.isEmpty()) {
        session.gotAccounts = true;
        maybeReady(session);
      }
    }

    @Override
    public void currentTime(long epochSeconds) {
      for (IbHandler h : handlerArray) {
        h.currentTime(epochSeconds);
      }
    }

    @Override
    public void contractData(Inbound.ContractData msg) {
      for (IbHandler h : handlerArray) {
        h.contractData(msg);
      }
    }

    @Override
    public void contractDataEnd(int reqId) {
      for (IbHandler h : handlerArray) {
        h.contractDataEnd(reqId);
      }
    }

    @Override
    public void execDetails(Inbound.ExecDetails msg) {
      for (IbHandler h : handlerArray) {
        h.execDetails(msg);
      }
    }

    @Override
    public void execDetailsEnd(int reqId) {
      for (IbHandler h : handlerArray) {
        h.execDetailsEnd(reqId);
      }
    }

    @Override
    public void commissionReport(Inbound.CommissionReport msg) {
      for (IbHandler h : handlerArray) {
        h.commissionReport(msg);
      }
    }

    @Override
    public void historicalData(Inbound.HistoricalData msg) {
      for (IbHandler h : handlerArray) {
        h.historicalData(msg);
      }
    }

    @Override
    public void historicalDataUpdate(int reqId, int barCount, Inbound.HistoricalBar bar) {
      for (IbHandler h : handlerArray) {
        h.historicalDataUpdate(reqId, barCount, bar);
      }
    }

    @Override
    public void position(Inbound.Position msg) {
      for (IbHandler h : handlerArray) {
        h.position(msg);
      }
    }

    @Override
    public void positionEnd() {
      for (IbHandler h : handlerArray) {
        h.positionEnd();
      }
    }

    @Override
    public void accountSummary(Inbound.AccountSummary msg) {
      for (IbHandler h : handlerArray) {
        h.accountSummary(msg);
      }
    }

    @Override
    public void accountSummaryEnd(int reqId) {
      for (IbHandler h : handlerArray) {
        h.accountSummaryEnd(reqId);
      }
    }

    @Override
    public void accountValue(String key, String value, String currency, String accountName) {
      for (IbHandler h : handlerArray) {
        h.accountValue(key, value, currency, accountName);
      }
    }

    @Override
    public void accountDownloadEnd(String accountName) {
      for (IbHandler h : handlerArray) {
        h.accountDownloadEnd(accountName);
      }
    }
  }

  private void connectionError(Session s, int id, int code, String text, boolean claimed) {
    switch (code) {
      case IbCodes.CONNECTIVITY_LOST:
      case 2110:
        log.warn("IB lost connectivity to its servers code={} text={}; trading paused until 1101/1102", code, text);
        if (s.ready) {
          setState(ConnectionState.DEGRADED, code + " " + text);
        }
        return;
      case IbCodes.RESTORED_DATA_LOST:
        log.warn("IB connectivity restored, data lost: subscriptions must be renewed code={} text={}", code, text);
        if (s.ready) {
          setState(ConnectionState.CONNECTED, code + " " + text);
          fireRestored(true);
        }
        return;
      case IbCodes.RESTORED_DATA_KEPT:
        log.info("IB connectivity restored, data maintained code={} text={}", code, text);
        if (s.ready) {
          setState(ConnectionState.CONNECTED, code + " " + text);
          fireRestored(false);
        }
        return;
      case IbCodes.CLIENT_ID_IN_USE:
        if (s.ready) {
          log.warn("IB says client id in use (326) on a ready session clientId={} text={}", config.clientId(), text);
          return;
        }
        String fix = "pick another IB_CLIENT_ID, or close the other API session using it; a session of a crashed "
            + "earlier run is freed once TWS notices it is gone (or by restarting TWS / IB Gateway)";
        if (sessions.get() == 0) {
          log.error("IB refused the connection: client id {} already in use (326): {} text={}", config.clientId(), fix,
              text);
        } else {
          log.warn("IB refused the connection: client id {} already in use (326): {} text={}", config.clientId(), fix,
              text);
        }
        s.kill("IB client id " + config.clientId() + " already in use (326): " + fix + "; IB said: " + text);
        return;
      case IbCodes.CONNECT_FAILED:
      case IbCodes.NOT_CONNECTED:
      case IbCodes.SOCKET_PORT_RESET:
        log.warn("IB reports the connection failed, reconnecting code={} text={}", code, text);
        s.kill("IB error " + code + ": " + text);
        return;
      case IbCodes.MAX_RATE_EXCEEDED:
        log.error("IB says the message rate was exceeded (100) text={} limit={}/s", text, config.maxMessagesPerSecond());
        return;
      default:
        break;
    }
    FarmStatus farm = farmStatusOf(code);
    if (farm != null) {
      String name = farmName(text);
      FarmStatus before = farms.put(name, farm);
      if (farm == FarmStatus.BROKEN) {
        log.warn("IB data farm connection broken farm={} code={} text={}", name, code, text);
      } else if (before == FarmStatus.BROKEN) {
        log.info("IB data farm connection back farm={} status={} code={} text={}", name, farm, code, text);
      } else {
        log.info("IB data farm status farm={} status={} code={}", name, farm, code);
      }
      return;
    }
    if (claimed) {
      return;
    }
    if (IbCodes.isInformational(code)) {
      log.info("IB notice id={} code={} text={}", id, code, text);
    } else if (IbCodes.isWarning(code)) {
      log.warn("IB warning id={} code={} text={}", id, code, text);
    } else if (id == -1) {
      log.warn("IB connection message code={} text={}", code, text);
    } else {
      log.warn("IB error for an id nobody claims id={} code={} text={}", id, code, text);
    }
  }

  /** The farm status a code reports, or null if it is not a farm code. */
  static FarmStatus farmStatusOf(int code) {
    switch (code) {
      case 2103: case 2105: case 2157:
        return FarmStatus.BROKEN;
      case 2104: case 2106: case 2158:
        return FarmStatus.OK;
      case 2107: case 2108:
        return FarmStatus.INACTIVE;
      default:
        return null;
    }
  }

  /**
   * The farm a notice is about: the text after the first ':' ("...is OK:usfarm.nj"), or after
   * "demand." ("...available upon demand.ushmds"), else the whole text.
   */
  static String farmName(String text) {
    String t = text == null ? "" : text.trim();
    int colon = t.indexOf(':');
    if (colon >= 0 && colon < t.length() - 1) {
      return t.substring(colon + 1).trim();
    }
    int demand = t.lastIndexOf("demand.");
    if (demand >= 0 && demand + 7 < t.length()) {
      return t.substring(demand + 7).trim();
    }
    return t;
  }

  @Override
  public String toString() {
    return "IbClient[" + config.host() + ":" + config.port() + " clientId=" + config.clientId() + " " + state + "]";
  }
}
