package dev.algotrade.ib.testkit;

import dev.algotrade.api.internal.Checks;
import dev.algotrade.api.time.Clock;
import dev.algotrade.core.time.SystemClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated TWS / IB Gateway on a local port. It speaks the server side of the TWS socket
 * protocol (text protocol, server version 178): handshake, startApi, contract details, market
 * data, historical bars, orders with fills and commissions, open orders, executions, positions,
 * account summary and updates, current time and ids. Behind it sit a small matching engine and a
 * market that steps on its own thread every {@link Builder#quoteInterval} or only when told.
 *
 * <pre>{@code
 * try (SimulatedGateway gw = SimulatedGateway.builder().port(0)
 *     .instrument("AAPL", 265598, 0.01, 190.0).build().start()) {
 *   int port = gw.port();            // connect any IB client to 127.0.0.1:port
 *   gw.market().setQuote("AAPL", 190.00, 190.02, 300, 200);
 *   gw.faults().rejectNextOrder(201, "Order rejected - reason:Margin");
 * }
 * }</pre>
 *
 * <p>Thread-safe: control methods may be called from any thread while clients are connected.
 */
public final class SimulatedGateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SimulatedGateway.class);

  private final GatewayCore core;
  private final SimulatedMarket market;
  private final InetAddress bindAddress;
  private final int requestedPort;
  private final Duration quoteInterval;
  private final AtomicInteger connections = new AtomicInteger();
  private volatile ServerSocket server;
  private volatile boolean closed;
  private ScheduledExecutorService ticker;

  private SimulatedGateway(Builder b, GatewayCore.Config config) {
    this.core = new GatewayCore(config);
    this.market = new SimulatedMarket(core);
    this.bindAddress = b.bindAddress;
    this.requestedPort = b.port;
    this.quoteInterval = b.quoteInterval;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the port and starts accepting clients (and the market ticker, if an interval is set). */
  public synchronized SimulatedGateway start() {
    if (server != null) {
      throw new IllegalStateException("SimulatedGateway already started on port " + port());
    }
    try {
      ServerSocket ss = new ServerSocket();
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress(bindAddress, requestedPort), 50);
      server = ss;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + bindAddress + ":" + requestedPort, e);
    }
    Thread acceptor = new Thread(this::acceptLoop, "sim-gateway-accept-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
    if (!quoteInterval.isZero()) {
      ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sim-gateway-market-" + port());
        t.setDaemon(true);
        return t;
      });
      long ms = Math.max(1, quoteInterval.toMillis());
      ticker.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }
    log.info("simulated gateway started address={} port={} serverVersion={} quoteIntervalMs={}",
        bindAddress.getHostAddress(), port(), core.serverVersion(), quoteInterval.toMillis());
    return this;
  }

  private void tick() {
    try {
      core.step();
    } catch (RuntimeException e) {
      log.error("market step failed", e);
    }
  }

  private void acceptLoop() {
    ServerSocket ss = server;
    while (!closed) {
      Socket socket;
      try {
        socket = ss.accept();
      } catch (SocketException e) {
        break;
      } catch (IOException e) {
        log.warn("accept failed", e);
        continue;
      }
      int n = connections.incrementAndGet();
      if (core.faults().refusingConnections()) {
        log.info("fault: connection refused connection={}", n);
        try {
          socket.close();
        } catch (IOException e) {
          log.debug("close failed", e);
        }
        continue;
      }
      try {
        socket.setTcpNoDelay(true);
      } catch (SocketException e) {
        log.debug("setTcpNoDelay failed", e);
      }
      Session s = new Session(socket, core, core.faults(), n);
      core.register(s);
      s.start();
    }
  }

  /** Connections accepted so far, refused ones included (each client attempt counts one). */
  public int connectionCount() {
    return connections.get();
  }

  /** The bound port (useful with {@code port(0)}). */
  public int port() {
    ServerSocket ss = server;
    if (ss == null) {
      throw new IllegalStateException("SimulatedGateway not started");
    }
    return ss.getLocalPort();
  }

  /** The managed account, e.g. {@code DU123456}. */
  public String accountId() {
    return core.account();
  }

  /** The address clients connect to. */
  public String host() {
    return bindAddress.getHostAddress();
  }

  /** Market control: step, set quotes, read the displayed quote. */
  public SimulatedMarket market() {
    return market;
  }

  /** Shortcut for {@code market().setQuote(..)}. */
  public SimulatedGateway setQuote(String symbol, double bid, double ask, double bidSize,
      double askSize) {
    market.setQuote(symbol, bid, ask, bidSize, askSize);
    return this;
  }

  /** Fault injection. */
  public Faults faults() {
    return core.faults();
  }

  /** Every order the gateway has seen (working and done), in arrival order. */
  public List<SimOrder> orders() {
    return core.orders();
  }

  /** Every execution booked, in order. */
  public List<SimFill> fills() {
    return core.fills();
  }

  /** Positions per symbol, including ones that went back to zero. */
  public List<SimPosition> positions() {
    return core.positions();
  }

  /** Cash balance after fills and commissions. */
  public double cash() {
    return core.cash();
  }

  /** The account values the gateway reports (tag -> value text), e.g. NetLiquidation. */
  public Map<String, String> accountValues() {
    return core.accountSummary();
  }

  /**
   * Streaming market data subscriptions (ticker ids) of each connected client id: a
   * resubscription test checks that old ids are gone and nothing is subscribed twice.
   */
  public Map<Integer, List<Integer>> marketDataSubscriptions() {
    return core.marketDataSubscriptions();
  }

  /**
   * Cancels a working order at the gateway, as a TWS user or IB would (the client gets
   * orderStatus Cancelled and error 202 if it is connected). False if the order is not working.
   */
  public boolean cancelOrder(int clientId, int orderId) {
    return core.cancelFromServer(clientId, orderId);
  }

  /** Client ids with a started API session. */
  public List<Integer> connectedClientIds() {
    return core.connectedClientIds();
  }

  /**
   * Whether this client id has a started API session that the gateway is not closing. Unlike
   * {@link #connectedClientIds()} this is false from the moment a fault starts to close the
   * connection, before either side's threads have noticed.
   */
  public boolean hasOpenSession(int clientId) {
    return core.hasOpenSession(clientId);
  }

  /** Stops accepting, closes every connection and the market ticker. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ticker != null) {
      ticker.shutdownNow();
    }
    try {
      if (server != null) {
        server.close();
      }
    } catch (IOException e) {
      log.debug("server close failed", e);
    }
    core.closeAll();
    log.info("simulated gateway stopped");
  }

  /**
   * Configures a gateway. Every setter validates at once and names the bad value; {@link
   * #build()} checks combinations. Not thread-safe.
   */
  public static final class Builder {
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int port = 0;
    private String account = "DU123456";
    private double startingCash = 1_000_000;
    private double commissionPerShare = 0.005;
    private double minCommission = 1.0;
    private double maxCommissionRate = 0.01;
    private final Map<String, SimInstrument> instruments = new LinkedHashMap<>();
    private final Map<String, double[]> positions = new LinkedHashMap<>();
    private MarketModel market;
    private long seed = 42;
    private Duration quoteInterval = Duration.ZERO;
    private int serverVersion = 178;
    private Clock clock = SystemClock.instance();
    private int firstOrderId = 1;
    private boolean downloadOpenOrdersOnConnect = true;

    private Builder() {}

    /** TCP port; 0 (the default) picks a free ephemeral port. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
      }
      this.port = port;
      return this;
    }

    /** Address to bind; the loopback address by default. */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Checks.notNull(address, "bindAddress");
      return this;
    }

    /** The one managed account (default {@code DU123456}). */
    public Builder account(String account) {
      this.account = Checks.notBlank(account, "account");
      return this;
    }

    public Builder startingCash(double cash) {
      this.startingCash = Checks.nonNegative(cash, "startingCash");
      return this;
    }

    /** Commission per share (default 0.005, IB fixed pricing). */
    public Builder commissionPerShare(double perShare) {
      this.commissionPerShare = Checks.nonNegative(perShare, "commissionPerShare");
      return this;
    }

    /** Minimum commission per order (default 1.0). */
    public Builder minCommission(double min) {
      this.minCommission = Checks.nonNegative(min, "minCommission");
      return this;
    }

    /** Maximum commission as a fraction of trade value (default 0.01 = 1%). */
    public Builder maxCommissionRate(double rate) {
      if (!(rate > 0) || rate > 1) {
        throw new IllegalArgumentException("maxCommissionRate must be in (0, 1], was " + rate);
      }
      this.maxCommissionRate = rate;
      return this;
    }

    /** Adds a USD stock on SMART/NASDAQ. */
    public Builder instrument(String symbol, int conId, double minTick, double startPrice) {
      return instrument(SimInstrument.stock(symbol, conId, minTick, startPrice));
    }

    public Builder instrument(SimInstrument instrument) {
      Checks.notNull(instrument, "instrument");
      String k = instrument.symbol().toUpperCase(Locale.ROOT);
      if (instruments.containsKey(k)) {
        throw new IllegalArgumentException("instrument symbol already added, was "
            + instrument.symbol());
      }
      for (SimInstrument i : instruments.values()) {
        if (i.conId() == instrument.conId()) {
          throw new IllegalArgumentException("instrument conId already used by " + i.symbol()
              + ", was " + instrument.conId());
        }
      }
      instruments.put(k, instrument);
      return this;
    }

    /** A position the account starts with ({@code quantity} may be negative: short). */
    public Builder position(String symbol, double quantity, double averageCost) {
      Checks.notBlank(symbol, "position.symbol");
      Checks.finite(quantity, "position.quantity");
      Checks.nonNegative(averageCost, "position.averageCost");
      positions.put(symbol, new double[] {quantity, averageCost});
      return this;
    }

    /** The market model; default {@code RandomWalkMarket.seeded(seed)}. */
    public Builder market(MarketModel market) {
      this.market = Checks.notNull(market, "market");
      return this;
    }

    /** Seed of the default random walk and of historical bars (default 42). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * How often the market steps on its own thread; {@code Duration.ZERO} (the default) means
     * only when a test calls {@code market().step()} or {@code setQuote}.
     */
    public Builder quoteInterval(Duration interval) {
      Checks.notNull(interval, "quoteInterval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("quoteInterval must be >= 0, was " + interval);
      }
      this.quoteInterval = interval;
      return this;
    }

    /** Highest server version to negotiate: 176..178 (default 178). */
    public Builder serverVersion(int version) {
      if (version < Session.MIN_SUPPORTED_VERSION || version > 178) {
        throw new IllegalArgumentException("serverVersion must be in [176, 178], was "
            + version);
      }
      this.serverVersion = version;
      return this;
    }

    /** Clock for fill times, currentTime and historical end times (default system clock). */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    /** The nextValidId a client id gets before it has placed any order (default 1). */
    public Builder firstOrderId(int id) {
      this.firstOrderId = Checks.positive(id, "firstOrderId");
      return this;
    }

    /** Whether startApi is followed by the client's working orders (TWS setting; default on). */
    public Builder downloadOpenOrdersOnConnect(boolean on) {
      this.downloadOpenOrdersOnConnect = on;
      return this;
    }

    public SimulatedGateway build() {
      if (instruments.isEmpty()) {
        throw new IllegalArgumentException("at least one instrument is required, was none");
      }
      for (String symbol : positions.keySet()) {
        if (!instruments.containsKey(symbol.toUpperCase(Locale.ROOT))) {
          throw new IllegalArgumentException("position symbol is not an instrument, was "
              + symbol);
        }
      }
      Map<String, double[]> pos = new LinkedHashMap<>();
      positions.forEach((s, v) -> pos.put(
          instruments.get(s.toUpperCase(Locale.ROOT)).symbol(), v.clone()));
      GatewayCore.Config config = new GatewayCore.Config(account, startingCash,
          commissionPerShare, minCommission, maxCommissionRate,
          List.copyOf(instruments.values()), pos,
          market == null ? RandomWalkMarket.seeded(seed) : market, seed, serverVersion, clock,
          firstOrderId, downloadOpenOrdersOnConnect);
      return new SimulatedGateway(this, config);
    }
  }
}
