package dev.algotrade.sqlite;

import dev.algotrade.api.StoreException;
import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderView;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.store.BreakerState;
import dev.algotrade.api.store.DailyPnl;
import dev.algotrade.api.store.RecoveryState;
import dev.algotrade.api.store.RiskEvent;
import dev.algotrade.api.store.Store;
import dev.algotrade.api.store.StoreHealth;
import dev.algotrade.api.time.Clock;
import dev.algotrade.sqlite.internal.time.WallClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded {@link Store}: one SQLite file in WAL mode. Every {@code record*} call only
 * queues the record (it never waits on the disk); a writer thread commits batches, orders and
 * fills within {@link SqliteStoreConfig#orderCommitWindow()} (50 ms by default), ticks within
 * {@link SqliteStoreConfig#tickBatchWindow()}. See {@code docs/store.md} for the schema.
 *
 * <pre>{@code
 * try (SqliteStore store = SqliteStore.builder().path(Path.of("data/algotrade.db")).build()) {
 *   RecoveryState state = store.loadRecovery(today);
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. The record methods are meant for the engine thread; {@link #flush},
 * {@link #loadRecovery}, {@link #stats} and {@link #close} may be called from any thread.
 * Records given after {@link #close} are ignored with a warning. Always {@link #close} it: the
 * writer is a daemon thread, and what is still queued when the JVM exits without a close is lost.
 */
public final class SqliteStore implements Store, StoreHealth {
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

  private final SqliteStoreConfig config;
  private final Path path;
  private final Jdbi jdbi;
  private final Handle writerHandle;
  private final StoreWriter writer;
  private final Thread thread;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean warnedClosed;

  private SqliteStore(SqliteStoreConfig config, Jdbi jdbi, Handle writerHandle, StoreWriter writer) {
    this.config = config;
    this.path = config.path();
    this.jdbi = jdbi;
    this.writerHandle = writerHandle;
    this.writer = writer;
    this.clock = config.clock();
    this.thread = new Thread(writer, "algotrade-sqlite-writer");
    // a daemon, so a store someone forgot to close does not keep the JVM alive; close() (which
    // the engine's shutdown calls) is what guarantees nothing queued is lost
    this.thread.setDaemon(true);
    writer.start(thread);
  }

  /** The writer, for tests in this package. */
  StoreWriter writer() {
    return writer;
  }

  /** Opens (creating or upgrading) the store at {@code path} with default settings. */
  public static SqliteStore open(Path path) {
    return builder().path(path).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Opens a store with these settings: validates, creates or upgrades the file, starts the writer. */
  public static SqliteStore open(SqliteStoreConfig config) {
    Path path = config.path().toAbsolutePath();
    try {
      Path parent = path.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the directory of store file " + path + ": " + e.getMessage(), e);
    }
    Migrations.checkHeader(path);
    Jdbi jdbi = Jdbi.create(dataSource(path, false));
    Handle handle = null;
    try {
      handle = jdbi.open();
      Connection c = handle.getConnection();
      int version;
      try {
        version = Migrations.currentVersion(c, path);
      } catch (SQLException e) {
        throw new StoreException("store file " + path + " is corrupt or not an SQLite database ("
            + e.getMessage() + "); refusing to use it, the file was not changed", e);
      }
      try (Statement st = c.createStatement()) {
        if (version == 0) {
          // a new file: 16 KiB pages (set before WAL and the first table) make bulk tick inserts
          // markedly faster and the B-trees shallower than the 4 KiB default
          st.execute("PRAGMA page_size = 16384");
        }
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA synchronous = FULL");
      }
      if (version < Migrations.LATEST) {
        Migrations.migrate(c, version, Migrations.LATEST, StoreWriter.nanos(config.clock().now()));
        if (version == 0) {
          log.info("store created path={} schemaVersion={}", path, Migrations.LATEST);
        } else {
          log.info("store upgraded path={} fromVersion={} toVersion={}", path, version, Migrations.LATEST);
        }
      } else {
        log.info("store opened path={} schemaVersion={}", path, version);
      }
      c.setAutoCommit(false);
      StoreWriter writer = new StoreWriter(path, c, config);
      return new SqliteStore(config, jdbi, handle, writer);
    } catch (SQLException | RuntimeException e) {
      if (handle != null) {
        handle.close();
      }
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException("cannot open store file " + path + ": " + e.getMessage(), e);
    }
  }

  static SQLiteDataSource dataSource(Path path, boolean readOnly) {
    SQLiteConfig cfg = new SQLiteConfig();
    cfg.setBusyTimeout(10_000);
    cfg.setReadOnly(readOnly);
    // nothing here reads generated keys; left on, sqlite-jdbc runs a second statement (and a
    // regex over the SQL) after every executeUpdate to fetch them, which doubled a fill's cost
    cfg.setGetGeneratedKeys(false);
    SQLiteDataSource ds = new SQLiteDataSource(cfg);
    ds.setUrl("jdbc:sqlite:" + path.toAbsolutePath());
    return ds;
  }

  // ------------------------------------------------------------------ recording (engine thread)

  private boolean open() {
    if (!closed.get()) {
      return true;
    }
    if (!warnedClosed) {
      warnedClosed = true;
      log.warn("record on a closed store ignored path={}", path);
    }
    return false;
  }

  @Override
  public void recordInstrument(Instrument instrument) {
    if (open()) {
      writer.offerCritical(new Ops.InstrumentOp(instrument, clock.nanoTime()));
    }
  }

  @Override
  public void recordMarketData(MarketData data) {
    if (open() && (config.recordTicks() || data instanceof Bar)) {
      writer.offerTick(data);
    }
  }

  @Override
  public void recordOrderEvent(OrderEvent event, Order orderAfter) {
    if (open()) {
      writer.offerOrderEvent(event, orderAfter);
    }
  }

  /** Copies the fields it needs from the view before returning: no snapshot is built. */
  @Override
  public void recordOrderEvent(OrderEvent event, OrderView orderAfter) {
    if (open()) {
      writer.offerOrderEvent(event, orderAfter);
    }
  }

  @Override
  public void recordFill(Fill fill, double realizedPnl, LocalDate tradingDay) {
    if (open()) {
      writer.offerFill(fill, realizedPnl, tradingDay);
    }
  }

  @Override
  public void recordRiskEvent(RiskEvent event) {
    if (open()) {
      writer.offerCritical(new Ops.RiskOp(event, clock.nanoTime()));
    }
  }

  @Override
  public void recordBreakerState(BreakerState state) {
    if (open()) {
      writer.offerCritical(new Ops.BreakerOp(state, clock.nanoTime()));
    }
  }

  @Override
  public void recordDailyPnl(DailyPnl pnl) {
    if (open()) {
      writer.offerCritical(new Ops.DailyPnlOp(pnl, clock.nanoTime()));
    }
  }

  @Override
  public void recordPositions(List<Position> positions, String source, Instant time) {
    if (open()) {
      writer.offerCritical(new Ops.PositionsOp(List.copyOf(positions), source, time, clock.nanoTime()));
    }
  }

  @Override
  public void recordAlert(Alert alert, int suppressed) {
    if (open()) {
      writer.offerCritical(new Ops.AlertOp(alert, suppressed, clock.nanoTime()));
    }
  }

  @Override
  public void recordHeartbeat(Instant time) {
    if (open()) {
      writer.offerCritical(new Ops.HeartbeatOp(time, clock.nanoTime()));
    }
  }

  // ------------------------------------------------------------------ reading, lifecycle

  /** Flushes what is queued, then reads the recovery state from the file. */
  @Override
  public RecoveryState loadRecovery(LocalDate tradingDay) {
    if (!closed.get()) {
      flush();
    }
    try {
      return jdbi.withHandle(h -> RecoveryReader.load(h, tradingDay));
    } catch (RuntimeException e) {
      throw new StoreException("cannot read the recovery state from " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void flush() {
    if (!closed.get()) {
      writer.flush();
    }
  }

  /** Flushes everything, stops the writer and closes the file. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    writer.requestStop();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("interrupted while closing the store; the writer finishes in the background path={}", path);
      return;
    }
    writer.closeStatements();
    try {
      // the writer ends in manual-commit mode with nothing pending; leave it before Jdbi closes the handle
      writerHandle.getConnection().setAutoCommit(true);
    } catch (SQLException e) {
      log.warn("store could not leave manual-commit mode path={}", path, e);
    }
    writerHandle.close();
    StoreStats s = writer.stats();
    log.info("store closed path={} written={} droppedTicks={} spilled={} duplicateFills={} failedWrites={}",
        path, s.written(), s.droppedTicks(), s.spilled(), s.duplicateFills(), s.failedWrites());
    Throwable f = writer.failure();
    if (f != null) {
      throw new StoreException("store writer had failed; records after the failure were lost path=" + path, f);
    }
  }

  /** Queue depth, counters and batch latency, for monitoring. Cheap; any thread. */
  public StoreStats stats() {
    return writer.stats();
  }

  /** For {@link StoreHealth}: records waiting, including those beyond the capacity. Any thread. */
  @Override
  public int queueDepth() {
    StoreStats s = writer.stats();
    return s.queueDepth() + s.spillDepth();
  }

  @Override
  public int queueCapacity() {
    return writer.stats().queueCapacity();
  }

  /** For {@link StoreHealth}: ticks dropped because the queue was full (nothing else is dropped). */
  @Override
  public long dropped() {
    return writer.stats().droppedTicks();
  }

  public Path path() {
    return path;
  }

  public SqliteStoreConfig config() {
    return config;
  }

  /**
   * Jdbi over this file, for read queries (audit, reports, tests). Each handle is its own
   * connection; in WAL mode readers never block the writer. Do not write through it.
   */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** {@code PRAGMA integrity_check}: "ok", or the problems found, one per line. */
  public String integrityCheck() {
    return integrityCheck(jdbi);
  }

  static String integrityCheck(Jdbi jdbi) {
    List<String> rows = jdbi.withHandle(h -> h.createQuery("PRAGMA integrity_check").mapTo(String.class).list());
    return String.join("\n", new ArrayList<>(rows));
  }

  /** The schema version of the open file. */
  public int schemaVersion() {
    return jdbi.withHandle(h -> h.createQuery("SELECT MAX(version) FROM schema_version").mapTo(Integer.class).one());
  }

  /** The latest schema version this code knows. */
  public static int latestSchemaVersion() {
    return Migrations.LATEST;
  }

  /**
   * Builds a {@link SqliteStore}. Each setter checks its value at once and names it when wrong.
   * Not thread-safe.
   */
  public static final class Builder {
    private Path path = Path.of("data", "algotrade.db");
    private Duration orderCommitWindow = Duration.ofMillis(50);
    private Duration tickBatchWindow = Duration.ofSeconds(1);
    private int queueCapacity = 1 << 18;
    private int maxBatchRows = 50_000;
    private boolean recordTicks = true;
    private boolean backpressure;
    private Clock clock = WallClock.INSTANCE;

    private Builder() {}

    /** The database file; default {@code ./data/algotrade.db}. Parent directories are created. */
    public Builder path(Path path) {
      this.path = checkNotNull(path, "path");
      return this;
    }

    /** Longest wait before an order event or fill is committed; default 50 ms, 0 commits at once. */
    public Builder orderCommitWindow(Duration window) {
      this.orderCommitWindow = checkWindow(window, "orderCommitWindow");
      return this;
    }

    /** Longest wait before a quote, trade or bar is committed; default 1 s. */
    public Builder tickBatchWindow(Duration window) {
      this.tickBatchWindow = checkWindow(window, "tickBatchWindow");
      return this;
    }

    /** Bound of the writer queue in records; default 262,144. */
    public Builder queueCapacity(int capacity) {
      this.queueCapacity = checkPositive(capacity, "queueCapacity");
      return this;
    }

    /** A transaction commits once it holds this many records; default 50,000. */
    public Builder maxBatchRows(int rows) {
      this.maxBatchRows = checkPositive(rows, "maxBatchRows");
      return this;
    }

    /** Whether quotes and trades are stored; default true. Bars are always stored. */
    public Builder recordTicks(boolean record) {
      this.recordTicks = record;
      return this;
    }

    /**
     * Whether a full queue makes the recording (engine) thread wait instead of dropping ticks;
     * default false. Turn it on for replays and backtests, where no tick may be lost and nothing
     * live waits on the engine; leave it off for live trading.
     */
    public Builder backpressure(boolean wait) {
      this.backpressure = wait;
      return this;
    }

    /**
     * Time source for the commit windows and latency figures; default the system clock. The
     * windows are wall time: a simulated clock that does not advance means commits happen only
     * at {@code maxBatchRows}, {@link SqliteStore#flush} and {@link SqliteStore#close}.
     */
    public Builder clock(Clock clock) {
      this.clock = checkNotNull(clock, "clock");
      return this;
    }

    /**
     * Applies the settings present in {@code env} (e.g. {@code System.getenv()} or a parsed
     * {@code .env}); absent ones keep their current value. Variables:
     * {@code ALGOTRADE_SQLITE_PATH}, {@code ALGOTRADE_SQLITE_ORDER_COMMIT_MS},
     * {@code ALGOTRADE_SQLITE_TICK_BATCH_MS}, {@code ALGOTRADE_SQLITE_QUEUE_CAPACITY},
     * {@code ALGOTRADE_SQLITE_RECORD_TICKS} ({@code true}/{@code false}).
     *
     * @throws IllegalArgumentException naming the variable and its value if one is malformed
     */
    public Builder fromEnvironment(Map<String, String> env) {
      String v = env.get("ALGOTRADE_SQLITE_PATH");
      if (v != null && !v.isBlank()) {
        path(Path.of(v.trim()));
      }
      v = env.get("ALGOTRADE_SQLITE_ORDER_COMMIT_MS");
      if (v != null) {
        orderCommitWindow(Duration.ofMillis(parseLong("ALGOTRADE_SQLITE_ORDER_COMMIT_MS", v)));
      }
      v = env.get("ALGOTRADE_SQLITE_TICK_BATCH_MS");
      if (v != null) {
        tickBatchWindow(Duration.ofMillis(parseLong("ALGOTRADE_SQLITE_TICK_BATCH_MS", v)));
      }
      v = env.get("ALGOTRADE_SQLITE_QUEUE_CAPACITY");
      if (v != null) {
        long cap = parseLong("ALGOTRADE_SQLITE_QUEUE_CAPACITY", v);
        if (cap > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("ALGOTRADE_SQLITE_QUEUE_CAPACITY is too large, was '" + v + "'");
        }
        queueCapacity((int) cap);
      }
      v = env.get("ALGOTRADE_SQLITE_RECORD_TICKS");
      if (v != null) {
        String t = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (!t.equals("true") && !t.equals("false")) {
          throw new IllegalArgumentException("ALGOTRADE_SQLITE_RECORD_TICKS must be true or false, was '" + v + "'");
        }
        recordTicks(Boolean.parseBoolean(t));
      }
      return this;
    }

    private static long parseLong(String name, String value) {
      try {
        return Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
      }
    }

    public SqliteStoreConfig toConfig() {
      if (orderCommitWindow.compareTo(tickBatchWindow) > 0) {
        throw new IllegalArgumentException("orderCommitWindow must be <= tickBatchWindow, was "
            + orderCommitWindow + " > " + tickBatchWindow);
      }
      return new SqliteStoreConfig(path, orderCommitWindow, tickBatchWindow, queueCapacity, maxBatchRows,
          recordTicks, backpressure, clock);
    }

    /** Opens the store: creates or upgrades the file and starts the writer thread. */
    public SqliteStore build() {
      return open(toConfig());
    }

    static <T> T checkNotNull(T value, String field) {
      if (value == null) {
        throw new IllegalArgumentException("SqliteStore " + field + " must not be null");
      }
      return value;
    }

    static Duration checkWindow(Duration window, String field) {
      checkNotNull(window, field);
      if (window.isNegative() || window.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("SqliteStore " + field + " must be between 0 and 10 minutes, was " + window);
      }
      return window;
    }

    static int checkPositive(int value, String field) {
      if (value <= 0) {
        throw new IllegalArgumentException("SqliteStore " + field + " must be > 0, was " + value);
      }
      return value;
    }
  }
}
