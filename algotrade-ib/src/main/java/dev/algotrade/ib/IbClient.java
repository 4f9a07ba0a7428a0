package dev.algotrade.ib;

import dev.algotrade.api.BrokerException;
import dev.algotrade.api.broker.AccountMode;
import dev.algotrade.api.broker.ConnectionState;
import dev.algotrade.api.time.Clock;
import dev.algotrade.ib.internal.Decoder;
import dev.algotrade.ib.internal.FrameReader;
import dev.algotrade.ib.internal.IbCodes;
import dev.algotrade.ib.internal.IbHandler;
import dev.algotrade.ib.internal.Inbound;
import dev.algotrade.ib.internal.Outgoing;
import dev.algotrade.ib.internal.Pacer;
import dev.algotrade.ib.internal.Sleeper;
import dev.algotrade.ib.internal.SpinThenParkQueue;
import dev.algotrade.ib.internal.WireProbe;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to TWS or IB Gateway, speaking the classic text protocol at server version 178
 * (ib-protocol.md). Lifecycle: {@link #create}, add handlers and connection listeners,
 * {@link #start()} (returns at once; {@link #ready()} completes when nextValidId and
 * managedAccounts have both arrived), {@link #close()}.
 *
 * <p>Threads (named {@code ib-*-<clientId>-<n>}): a <b>reader</b> thread connects, does the
 * handshake (advertising {@code v157..178} and refusing any other reply than 178 with a message
 * saying what to upgrade), then decodes frames and calls every {@link IbHandler} in turn; a
 * <b>writer</b> thread drains the outgoing queue through a
 * {@link Pacer} so no second carries more than {@link IbConfig#maxMessagesPerSecond()} messages;
 * a <b>timer</b> thread runs timeouts for the broker, feed and
 * history. {@link #send} never blocks on the network. All public methods are thread-safe.
 *
 * <p>Ids: request ids and order ids come from one counter seeded by nextValidId (as ib_async
 * does), so an errMsg id is never ambiguous. The counter only increases; order ids seen in
 * openOrder / orderStatus push it further up (ib-protocol.md §5.1).
 *
 * <p>Reconnecting is not done here (a later issue); connection state changes go to
 * {@link ConnectionListener}s so the broker and feed can report them.
 */
public final class IbClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IbClient.class);
  private static final byte[] POISON = new byte[0];
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** Connection state changes; called from the reader or timer thread. */
  @FunctionalInterface
  public interface ConnectionListener {
    void onConnectionState(ConnectionState state, String detail);
  }

  private final IbConfig config;
  private final Clock clock;
  private final Decoder decoder = new Decoder();
  private final List<IbHandler> handlers = new CopyOnWriteArrayList<>();
  private volatile IbHandler[] handlerArray = new IbHandler[0];
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final BlockingQueue<byte[]> outbound = new SpinThenParkQueue<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final AtomicInteger nextId = new AtomicInteger(-1);
  private final AtomicInteger maxSeenOrderId = new AtomicInteger(0);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong oversize = new AtomicLong();
  private final AtomicLong handlerErrors = new AtomicLong();
  private final ScheduledExecutorService timer;
  private final Pacer pacer;
  /** Thread-name suffix: client id plus a per-process connection number. */
  private final String threadSuffix;

  private volatile Socket socket;
  private volatile Thread reader;
  private volatile Thread writer;
  private volatile ConnectionState state = ConnectionState.DISCONNECTED;
  private volatile boolean closed;
  /** Set once the socket is gone: later sends are dropped, not queued forever. */
  private volatile boolean ioStopped;
  private volatile boolean started;
  private volatile int serverVersion;
  private volatile String connectionTime = "";
  private volatile List<String> managedAccounts = List.of();
  private volatile String account = "";
  private volatile boolean gotNextValidId;
  private volatile boolean gotAccounts;
  private IbContracts contracts;
  private volatile WireProbe probe = WireProbe.NONE;

  private IbClient(IbConfig config, Clock clock, java.util.function.LongSupplier ticker, Sleeper sleeper) {
    this.config = config;
    this.clock = clock;
    this.pacer = new Pacer(config.maxMessagesPerSecond(), TimeUnit.SECONDS.toNanos(1), ticker, sleeper);
    this.threadSuffix = config.clientId() + "-" + SEQUENCE.incrementAndGet();
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

  public void addConnectionListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  /**
   * Connects in the background (idempotent). Watch {@link #ready()} or a connection listener.
   *
   * @return {@link #ready()}
   */
  public synchronized CompletableFuture<Void> start() {
    if (closed) {
      throw new BrokerException("IbClient is closed");
    }
    if (!started) {
      started = true;
      Thread t = new Thread(this::runReader, "ib-reader-" + threadSuffix);
      t.setDaemon(true);
      reader = t;
      t.start();
      timer.schedule(this::checkReady, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    return ready;
  }

  /** Completes once nextValidId and managedAccounts have arrived; fails if the connect fails. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  public boolean isReady() {
    return ready.isDone() && !ready.isCompletedExceptionally() && !closed && state != ConnectionState.DISCONNECTED;
  }

  public ConnectionState state() {
    return state;
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
   * The next request / order id (strictly increasing).
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
   * Queues one frame for the paced writer. Never blocks. Frames queued before the handshake go out
   * right after startApi. Returns false (and drops the frame) once the connection is gone.
   */
  public boolean send(byte[] frame) {
    if (closed || ioStopped) {
      log.warn("IB message dropped, not connected state={} msgBytes={}", state, frame.length);
      return false;
    }
    outbound.add(frame);
    return true;
  }

  /** Messages in the outgoing queue. */
  public int queuedMessages() {
    return outbound.size();
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

  // ---------------------------------------------------------------- reader

  private void runReader() {
    Socket s = new Socket();
    socket = s;
    setState(ConnectionState.CONNECTING, "connecting to " + config.host() + ":" + config.port());
    FrameReader frames;
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(config.host(), config.port()), (int) config.connectTimeout().toMillis());
    } catch (IOException e) {
      String msg = "Error: Connection refused to IB host=" + config.host() + " port=" + config.port()
          + " (" + e.getMessage() + "). Is TWS or IB Gateway running, with the API enabled "
          + "(Enable ActiveX and Socket Clients), 127.0.0.1 trusted, and listening on this port?";
      log.error("Error: Connection refused to IB host={} port={} reason={} "
          + "(is TWS or IB Gateway running, API enabled, correct port?)", config.host(), config.port(), e.getMessage());
      fail(msg, e);
      return;
    }
    try {
      InputStream in = s.getInputStream();
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
      frames = new FrameReader(in, config.maxMessageLength());
      out.write(Outgoing.handshake());
      out.flush();
      s.setSoTimeout((int) config.connectTimeout().toMillis());
      handshake(frames);
      s.setSoTimeout(0);
      // startApi goes out first, ahead of anything queued while we were connecting
      pacer.acquire();
      out.write(Outgoing.startApi(config.clientId()));
      out.flush();
      sent.incrementAndGet();
      Thread w = new Thread(() -> runWriter(out), "ib-writer-" + threadSuffix);
      w.setDaemon(true);
      writer = w;
      w.start();
    } catch (SocketTimeoutException e) {
      fail("IB did not answer the API handshake within " + config.connectTimeout()
          + " (host=" + config.host() + " port=" + config.port() + "); is this a TWS / IB Gateway API port?", e);
      return;
    } catch (IOException e) {
      fail(closed ? "IbClient closed" : "IB handshake failed: " + e.getMessage(), e);
      return;
    } catch (BrokerException e) {
      fail(e.getMessage(), e);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("IbClient interrupted while connecting", e);
      return;
    }
    readLoop(frames);
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

  private void readLoop(FrameReader frames) {
    IbHandler dispatch = new Dispatcher();
    try {
      while (!closed) {
        FrameReader.Result r = frames.next();
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
    } catch (IOException e) {
      if (closed || ready.isCompletedExceptionally()) {
        return; // closed on purpose, or the failure (e.g. 326) was already reported
      }
      String detail;
      if (!ready.isDone()) {
        detail = "IB closed the connection before nextValidId: client id " + config.clientId()
            + " already in use (error 326)? " + e.getMessage();
        log.error("IB closed the connection right after startApi clientId={}: client id already in use? (326) reason={}",
            config.clientId(), e.getMessage());
        fail(detail, e);
        return;
      }
      detail = "connection to IB lost: " + e.getMessage();
      log.error("Error: connection to IB lost host={} port={} reason={}", config.host(), config.port(), e.getMessage());
      shutdownIo();
      setState(ConnectionState.DISCONNECTED, detail);
    }
  }

  private void checkReady() {
    if (!ready.isDone() && !closed) {
      String msg = "IB did not send nextValidId and managedAccounts within " + config.connectTimeout()
          + " (host=" + config.host() + " port=" + config.port() + " clientId=" + config.clientId() + ")";
      log.error("IB connect timed out timeout={} gotNextValidId={} gotManagedAccounts={}", config.connectTimeout(),
          gotNextValidId, gotAccounts);
      fail(msg, null);
    }
  }

  private void fail(String message, Throwable cause) {
    shutdownIo();
    ready.completeExceptionally(new BrokerException(message, cause));
    setState(ConnectionState.DISCONNECTED, message);
  }

  private void setState(ConnectionState s, String detail) {
    if (closed && s != ConnectionState.CLOSED) {
      return;
    }
    state = s;
    for (ConnectionListener l : listeners) {
      try {
        l.onConnectionState(s, detail);
      } catch (RuntimeException e) {
        log.error("IB connection listener failed state={}", s, e);
      }
    }
  }

  private void maybeReady() {
    if (gotNextValidId && gotAccounts && !ready.isDone()) {
      if (!config.account().isEmpty() && !managedAccounts.contains(config.account())) {
        fail("IB account " + config.account() + " (IB_ACCOUNT) is not among the managed accounts " + managedAccounts, null);
        return;
      }
      account = config.account().isEmpty() ? managedAccounts.get(0) : config.account();
      log.info("IB connected account={} mode={} nextId={} host={} port={}", account, accountMode(), nextId.get(),
          config.host(), config.port());
      ready.complete(null);
      setState(ConnectionState.CONNECTED, "connected to " + config.host() + ":" + config.port() + " account " + account);
    }
  }

  // ---------------------------------------------------------------- writer

  private void runWriter(OutputStream out) {
    try {
      while (true) {
        byte[] frame = outbound.take();
        if (frame == POISON) {
          return;
        }
        pacer.acquire();
        out.write(frame);
        sent.incrementAndGet();
        if (outbound.isEmpty()) {
          out.flush();
        }
        WireProbe p = probe;
        if (p != WireProbe.NONE) {
          p.frameWritten(frame, WireProbe.nanoTime());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      if (!closed) {
        log.warn("IB write failed reason={}", e.getMessage());
        shutdownIo();
      }
    }
  }

  private void shutdownIo() {
    ioStopped = true;
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        log.debug("IB socket close failed", e);
      }
    }
    outbound.clear();
    outbound.add(POISON);
  }

  /** Closes the socket and stops all threads. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    setState(ConnectionState.CLOSED, "closed");
    closed = true;
    shutdownIo();
    timer.shutdownNow();
    if (!ready.isDone()) {
      ready.completeExceptionally(new BrokerException("IbClient closed before it was ready"));
    }
    log.info("IB client closed sent={} decoded={} unknown={} malformed={}", sent.get(), decoder.decodedCount(),
        decoder.unknownCount(), decoder.malformedCount());
  }

  /** Routes connection-level messages, then fans every message out to the handlers. */
  private final class Dispatcher implements IbHandler {

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
      connectionError(id, code, text, claimed);
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
      gotNextValidId = true;
      maybeReady();
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
        gotAccounts = true;
        maybeReady();
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

  private void connectionError(int id, int code, String text, boolean claimed) {
    switch (code) {
      case IbCodes.CONNECTIVITY_LOST:
      case 2110:
        log.warn("IB lost connectivity to its servers code={} text={}; trading paused until 1101/1102", code, text);
        setState(ConnectionState.DEGRADED, code + " " + text);
        return;
      case IbCodes.RESTORED_DATA_LOST:
        log.warn("IB connectivity restored, data lost: subscriptions must be renewed code={} text={}", code, text);
        setState(ConnectionState.CONNECTED, code + " " + text);
        return;
      case IbCodes.RESTORED_DATA_KEPT:
        log.info("IB connectivity restored, data maintained code={} text={}", code, text);
        setState(ConnectionState.CONNECTED, code + " " + text);
        return;
      case IbCodes.CLIENT_ID_IN_USE:
        log.error("IB refused the connection: client id {} already in use (326): pick another IB_CLIENT_ID or "
            + "close the other API session text={}", config.clientId(), text);
        if (!ready.isDone()) {
          fail("IB client id " + config.clientId() + " already in use (326): " + text, null);
        }
        return;
      case IbCodes.MAX_RATE_EXCEEDED:
        log.error("IB says the message rate was exceeded (100) text={} limit={}/s", text, config.maxMessagesPerSecond());
        return;
      default:
        break;
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

  @Override
  public String toString() {
    return "IbClient[" + config.host() + ":" + config.port() + " clientId=" + config.clientId() + " " + state + "]";
  }
}
