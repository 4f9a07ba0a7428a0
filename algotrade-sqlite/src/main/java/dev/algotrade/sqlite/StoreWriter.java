package dev.algotrade.sqlite;

import dev.algotrade.api.StoreException;
import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.market.Trade;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.Order;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelRejected;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderExpired;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderSubmitted;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.time.Clock;
import dev.algotrade.sqlite.Ops.AlertOp;
import dev.algotrade.sqlite.Ops.BreakerOp;
import dev.algotrade.sqlite.Ops.Critical;
import dev.algotrade.sqlite.Ops.DailyPnlOp;
import dev.algotrade.sqlite.Ops.FillOp;
import dev.algotrade.sqlite.Ops.FlushOp;
import dev.algotrade.sqlite.Ops.HeartbeatOp;
import dev.algotrade.sqlite.Ops.InstrumentOp;
import dev.algotrade.sqlite.Ops.OrderEventOp;
import dev.algotrade.sqlite.Ops.PositionsOp;
import dev.algotrade.sqlite.Ops.RiskOp;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: takes records from a bounded queue and writes them in batched
 * transactions on its own connection.
 *
 * <p>Threading: {@link #offerTick}, {@link #offerCritical} are called by the engine thread and
 * never block; {@link #flush} and {@link #requestStop} may be called from any thread; everything
 * else runs on the writer thread only.
 *
 * <p>Queue-full policy. Ticks (quotes, trades) that find the queue full are dropped, counted
 * and logged at WARN (on the 1st, 2nd, 4th, 8th... drop and every 100,000th). Every other record
 * (orders, fills, risk, P&amp;L, ...) is never dropped and never makes the engine wait: it goes to
 * an unbounded overflow list, counted and logged at ERROR. While the overflow list is not empty,
 * every non-tick record goes there too, so their order is kept; the writer drains the whole
 * queue before the overflow list.
 *
 * <p>Durability per class. A transaction that holds any non-tick record commits with
 * {@code synchronous=FULL} (the WAL is fsynced at commit: durable against power loss); a
 * tick-only transaction commits with {@code synchronous=NORMAL} (durable against a process
 * crash, may lose its last batches on power loss, never corrupts). SQLite does not allow the
 * level to change inside a transaction, so a non-tick record arriving in an open tick-only
 * transaction first commits it. {@link #flush} ends with a FULL commit, which fsyncs the WAL and
 * thereby every NORMAL commit before it.
 *
 * <p>Why plain JDBC here and Jdbi elsewhere: the hot path binds primitives into reused prepared
 * statements and executes them in JDBC batches; Jdbi's per-statement objects and argument
 * mapping would cost several times the insert itself at 500,000 rows per second.
 */
final class StoreWriter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);

  private static final int DRAIN = 4096;
  private static final int EXECUTE_EVERY = 2048;
  private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Path path;
  private final Connection conn;
  private final Clock clock;
  private final long orderWindowNanos;
  private final long tickWindowNanos;
  private final int maxBatchRows;

  /** Longest nap inside an open batch before draining what arrived. */
  private static final long BATCH_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  final ArrayBlockingQueue<Object> queue;
  final ConcurrentLinkedQueue<Object> spill = new ConcurrentLinkedQueue<>();

  // counters, written by one thread each, read by any
  private final AtomicLong droppedTicks = new AtomicLong();
  private final AtomicLong spilled = new AtomicLong();
  private volatile long written;
  private volatile long duplicateFills;
  private final AtomicLong failedWrites = new AtomicLong();
  private volatile long batches;
  private volatile long lastBatchNanos;
  private volatile long maxBatchNanos;

  private volatile boolean stopRequested;
  private volatile Throwable fatal;
  private volatile Thread thread;

  // writer-thread state
  private boolean inTx;
  private boolean txDurable;
  private boolean syncFull;
  private boolean unsyncedCommits;
  private long deadline;
  private long txWorkNanos;
  private int rowsSinceExecute;
  private final List<Object> txItems = new ArrayList<>();
  private final List<FlushOp> flushes = new ArrayList<>();
  private final Map<InstrumentId, Integer> instrumentRefs = new HashMap<>();
  private final List<PreparedStatement> dirty = new ArrayList<>();
  private long lastQuoteRowid;
  private long txQuotes;
  private long txQuoteMinTs;
  private long txQuoteMaxTs;
  private final boolean backpressure;

  private final PreparedStatement insQuote;
  private final PreparedStatement insTrade;
  private final PreparedStatement upsBar;
  private final PreparedStatement upsOrder;
  private final PreparedStatement insEvent;
  private final PreparedStatement insFill;
  private final PreparedStatement insRisk;
  private final PreparedStatement insBreaker;
  private final PreparedStatement upsDaily;
  private final PreparedStatement insAlert;
  private final PreparedStatement upsHeartbeat;
  private final PreparedStatement insPosition;
  private final PreparedStatement upsWriterState;
  private final PreparedStatement upsInstrument;
  private final PreparedStatement insInstrumentRef;
  private final PreparedStatement selInstrumentRef;
  private final PreparedStatement insQuoteBlock;

  StoreWriter(Path path, Connection conn, SqliteStoreConfig config) throws SQLException {
    this.path = path;
    this.conn = conn;
    this.clock = config.clock();
    this.orderWindowNanos = config.orderCommitWindow().toNanos();
    this.tickWindowNanos = config.tickBatchWindow().toNanos();
    this.maxBatchRows = config.maxBatchRows();
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.backpressure = config.backpressure();
    this.syncFull = currentlyFull(conn);

    insQuote = conn.prepareStatement("INSERT INTO quotes(instrument_ref, ts_ns, bid, ask, bid_size, ask_size)"
        + " VALUES (?, ?, ?, ?, ?, ?)");
    insTrade = conn.prepareStatement("INSERT INTO market_trades(instrument_ref, ts_ns, price, size) VALUES (?, ?, ?, ?)");
    upsBar = conn.prepareStatement("INSERT OR REPLACE INTO bars(instrument_ref, period_s, start_ns, open, high, low,"
        + " close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    upsOrder = conn.prepareStatement("INSERT INTO orders(client_order_id, broker_order_id, instrument, side, quantity,"
        + " order_type, limit_price, stop_price, time_in_force, tag, status, filled_quantity, average_fill_price,"
        + " reason, created_ns, updated_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT(client_order_id) DO UPDATE SET"
        + " broker_order_id = COALESCE(excluded.broker_order_id, orders.broker_order_id),"
        + " instrument = excluded.instrument, side = excluded.side, quantity = excluded.quantity,"
        + " order_type = excluded.order_type, limit_price = excluded.limit_price, stop_price = excluded.stop_price,"
        + " time_in_force = excluded.time_in_force, tag = excluded.tag, status = excluded.status,"
        + " filled_quantity = excluded.filled_quantity, average_fill_price = excluded.average_fill_price,"
        + " reason = excluded.reason, updated_ns = excluded.updated_ns");
    insEvent = conn.prepareStatement("INSERT INTO order_events(client_order_id, broker_order_id, event, status_after,"
        + " code, reason, execution_id, ts_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insFill = conn.prepareStatement("INSERT OR IGNORE INTO fills(execution_id, client_order_id, instrument, side,"
        + " quantity, price, commission, realized_pnl, trading_day, ts_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insRisk = conn.prepareStatement("INSERT INTO risk_events(kind, code, details, ts_ns) VALUES (?, ?, ?, ?)");
    insBreaker = conn.prepareStatement("INSERT INTO breaker_states(trading_day, state, reason, since_ns) VALUES (?, ?, ?, ?)");
    upsDaily = conn.prepareStatement("INSERT OR REPLACE INTO daily_pnl(trading_day, realized_pnl, unrealized_pnl,"
        + " commissions, start_equity, end_equity, peak_equity, trough_equity, fills, updated_ns)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insAlert = conn.prepareStatement("INSERT INTO alerts(severity, title, text, alert_key, suppressed, ts_ns)"
        + " VALUES (?, ?, ?, ?, ?, ?)");
    upsHeartbeat = conn.prepareStatement("INSERT INTO heartbeat(id, ts_ns) VALUES (1, ?)"
        + " ON CONFLICT(id) DO UPDATE SET ts_ns = excluded.ts_ns");
    insPosition = conn.prepareStatement("INSERT INTO position_snapshots(snapshot_ns, source, instrument, quantity,"
        + " average_price) VALUES (?, ?, ?, ?, ?)");
    upsWriterState = conn.prepareStatement("INSERT INTO writer_state(id, flushes, last_flush_ns) VALUES (1, 1, ?)"
        + " ON CONFLICT(id) DO UPDATE SET flushes = flushes + 1, last_flush_ns = excluded.last_flush_ns");
    upsInstrument = conn.prepareStatement("INSERT INTO instruments(instrument, symbol, sec_type, exchange, currency,"
        + " tick_size, lot_size, multiplier) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(instrument) DO UPDATE SET"
        + " symbol = excluded.symbol, sec_type = excluded.sec_type, exchange = excluded.exchange,"
        + " currency = excluded.currency, tick_size = excluded.tick_size, lot_size = excluded.lot_size,"
        + " multiplier = excluded.multiplier");
    insInstrumentRef = conn.prepareStatement("INSERT OR IGNORE INTO instruments(instrument) VALUES (?)");
    selInstrumentRef = conn.prepareStatement("SELECT id FROM instruments WHERE instrument = ?");
    insQuoteBlock = conn.prepareStatement("INSERT INTO quote_blocks(first_rowid, last_rowid, min_ts_ns, max_ts_ns)"
        + " VALUES (?, ?, ?, ?)");
  }

  void start(Thread t) {
    this.thread = t;
    t.start();
  }

  // ---------------------------------------------------------------- engine side (never blocks)

  void offerTick(Object tick) {
    if (fatal != null) {
      lostAfterDeath();
      return;
    }
    if (backpressure) {
      putWaiting(tick);
      return;
    }
    if (!queue.offer(tick)) {
      long n = droppedTicks.incrementAndGet();
      if ((n & (n - 1)) == 0 || n % 100_000 == 0) {
        log.warn("store queue full, tick dropped droppedTicks={} queueCapacity={} path={}",
            n, queue.size() + queue.remainingCapacity(), path);
      }
    }
  }

  void offerCritical(Critical op) {
    if (fatal != null) {
      lostAfterDeath();
      return;
    }
    if (spill.isEmpty() && queue.offer(op)) {
      return;
    }
    if (backpressure && spill.isEmpty()) {
      putWaiting(op);
      return;
    }
    long n = spilled.incrementAndGet();
    if ((n & (n - 1)) == 0 || n % 10_000 == 0) {
      log.error("store queue full, record kept in overflow list spilled={} queueCapacity={} path={}",
          n, queue.size() + queue.remainingCapacity(), path);
    }
    boolean first = spill.isEmpty();
    spill.add(op);
    if (first) {
      // the writer drains the overflow list on every turn once it is non-empty: only the first
      // record needs to make sure it is awake (offering to a full queue takes its lock each time)
      queue.offer(Ops.WAKE);
    }
  }

  /** The writer has died: nothing will drain the queue, so a record is counted and logged, not kept. */
  private void lostAfterDeath() {
    long n = failedWrites.incrementAndGet();
    if ((n & (n - 1)) == 0 || n % 100_000 == 0) {
      log.error("store writer is dead, record not stored failedWrites={} path={}", n, path, fatal);
    }
  }

  /** Backpressure mode (replays): wait for room; a dead writer turns the wait into an exception. */
  private void putWaiting(Object o) {
    try {
      while (!queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
        Thread t = thread;
        if (t != null && !t.isAlive()) {
          throw new StoreException("store writer has stopped; cannot record path=" + path, fatal);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for room in the store queue path=" + path, e);
    }
  }

  // ---------------------------------------------------------------- any thread

  /** Waits until everything queued before the call is committed and fsynced. */
  void flush() {
    Throwable dead = fatal;
    if (dead != null) {
      throw new StoreException("store writer has failed; nothing can be flushed path=" + path, dead);
    }
    Thread t = thread;
    if (t == null || !t.isAlive()) {
      return;
    }
    FlushOp op = new FlushOp();
    try {
      // behind everything queued before: in the queue if nothing overflowed, else after the overflow
      while (true) {
        if (!spill.isEmpty()) {
          spill.add(op);
          queue.offer(Ops.WAKE);
          break;
        }
        if (queue.offer(op, 50, TimeUnit.MILLISECONDS)) {
          break;
        }
        if (!t.isAlive()) {
          throw new StoreException("store writer stopped before flush path=" + path, fatal);
        }
      }
      while (!op.done.await(200, TimeUnit.MILLISECONDS)) {
        if (!t.isAlive()) {
          // the writer may have drained and stopped after we looked: only its death is an error
          Throwable f = fatal;
          if (f != null) {
            throw new StoreException("store writer has failed during flush path=" + path, f);
          }
          if (op.done.getCount() > 0 && !stopRequested) {
            throw new StoreException("store writer stopped during flush path=" + path);
          }
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while flushing the store path=" + path, e);
    }
    if (op.failure != null) {
      throw new StoreException("store flush failed path=" + path, op.failure);
    }
  }

  void requestStop() {
    stopRequested = true;
    queue.offer(Ops.WAKE);
  }

  StoreStats stats() {
    return new StoreStats(queue.size(), queue.size() + queue.remainingCapacity(), spill.size(), written,
        droppedTicks.get(), spilled.get(), duplicateFills, failedWrites.get(), batches, lastBatchNanos, maxBatchNanos);
  }

  Throwable failure() {
    return fatal;
  }

  // ---------------------------------------------------------------- writer thread

  @Override
  public void run() {
    try {
      loadInstrumentRefs();
      loadLastQuoteRowid();
      endReadSnapshot();
      loop();
    } catch (Throwable t) {
      fatal = t;
      log.error("store writer died, records are no longer written path={}", path, t);
      for (FlushOp f : flushes) {
        f.failure = t;
        f.done.countDown();
      }
      Object o;
      while ((o = spill.poll()) != null) {
        if (o instanceof FlushOp f) {
          f.failure = t;
          f.done.countDown();
        }
      }
    }
  }

  private void loop() throws SQLException, InterruptedException {
    List<Object> buf = new ArrayList<>(DRAIN);
    while (true) {
      buf.clear();
      queue.drainTo(buf, DRAIN);
      if (!spill.isEmpty()) {
        // everything non-tick in the queue was queued before the first overflow record
        queue.drainTo(buf);
        Object o;
        while ((o = spill.poll()) != null) {
          buf.add(o);
        }
      }
      if (buf.isEmpty()) {
        if (stopRequested) {
          if (inTx) {
            commit();
          }
          if (unsyncedCommits) {
            syncCommit();
          }
          return;
        }
        long now = clock.nanoTime();
        if (inTx && now - deadline >= 0) {
          commit();
          continue;
        }
        if (inTx) {
          // inside an open batch: nap and let records pile up instead of waiting on the queue,
          // where every record the engine offers would wake this thread (a syscall on both
          // sides per record); the commit deadline still bounds how long a record waits
          LockSupport.parkNanos(Math.min(deadline - now, BATCH_NAP_NANOS));
          continue;
        }
        Object o = queue.poll(IDLE_WAIT_NANOS, TimeUnit.NANOSECONDS);
        if (o == null) {
          continue;
        }
        buf.add(o);
      }
      for (int i = 0, n = buf.size(); i < n; i++) {
        handle(buf.get(i));
      }
      if (inTx && (txItems.size() >= maxBatchRows || clock.nanoTime() - deadline >= 0)) {
        commit();
      }
      if (!flushes.isEmpty()) {
        if (inTx) {
          commit();
        }
        if (unsyncedCommits) {
          syncCommit();
        }
        for (FlushOp f : flushes) {
          f.done.countDown();
        }
        flushes.clear();
      }
    }
  }

  private void handle(Object o) throws SQLException {
    if (o == Ops.WAKE) {
      return;
    }
    if (o instanceof FlushOp f) {
      flushes.add(f);
      return;
    }
    if (o instanceof Critical c) {
      if (inTx && !txDurable) {
        commit();
      }
      long due = c.queuedNanos() + orderWindowNanos;
      if (!inTx) {
        begin(true);
        deadline = due;
      } else if (due - deadline < 0) {
        deadline = due;
      }
    } else if (!inTx) {
      begin(false);
      deadline = clock.nanoTime() + tickWindowNanos;
    }
    txItems.add(o);
    try {
      write(o);
      if (++rowsSinceExecute >= EXECUTE_EVERY) {
        executePending();
      }
    } catch (SQLException e) {
      retryTransaction(e);
    }
  }

  private void begin(boolean durable) throws SQLException {
    if (durable != syncFull) {
      // the level cannot change inside a transaction: leave manual-commit mode to set it
      conn.setAutoCommit(true);
      try (Statement st = conn.createStatement()) {
        st.execute(durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
      }
      syncFull = durable;
    }
    conn.setAutoCommit(false);
    inTx = true;
    txDurable = durable;
    txWorkNanos = 0;
  }

  private void executePending() throws SQLException {
    long t0 = clock.nanoTime();
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).executeBatch();
    }
    dirty.clear();
    rowsSinceExecute = 0;
    txWorkNanos += clock.nanoTime() - t0;
  }

  private void commit() throws SQLException {
    try {
      executePending();
      writeQuoteBlock();
      long t0 = clock.nanoTime();
      conn.commit();
      txWorkNanos += clock.nanoTime() - t0;
    } catch (SQLException e) {
      retryTransaction(e);
      return;
    }
    finishTx(txItems.size());
  }

  /**
   * One quote_blocks row for the quotes of this transaction: they hold consecutive rowids (one
   * writer, no deletes), so the row's rowid range and time span index them for range queries.
   */
  private void writeQuoteBlock() throws SQLException {
    if (txQuotes == 0) {
      return;
    }
    long first = lastQuoteRowid + 1;
    long last = lastQuoteRowid + txQuotes;
    insQuoteBlock.setLong(1, first);
    insQuoteBlock.setLong(2, last);
    insQuoteBlock.setLong(3, txQuoteMinTs);
    insQuoteBlock.setLong(4, txQuoteMaxTs);
    insQuoteBlock.executeUpdate();
  }

  private void finishTx(int rows) {
    lastQuoteRowid += txQuotes;
    txQuotes = 0;
    written += rows;
    batches++;
    lastBatchNanos = txWorkNanos;
    if (txWorkNanos > maxBatchNanos) {
      maxBatchNanos = txWorkNanos;
    }
    unsyncedCommits = !txDurable;
    inTx = false;
    txItems.clear();
  }

  /** A FULL commit of one small row: fsyncs the WAL, so every earlier NORMAL commit is durable too. */
  private void syncCommit() throws SQLException {
    begin(true);
    upsWriterState.setLong(1, nanos(clock.now()));
    upsWriterState.executeUpdate();
    long t0 = clock.nanoTime();
    conn.commit();
    txWorkNanos += clock.nanoTime() - t0;
    unsyncedCommits = false;
    inTx = false;
  }

  /**
   * A batch failed (a bad record, disk full, I/O error): roll it back and write it again record
   * by record in one transaction. SQLite undoes only the failing statement, so a bad record is
   * lost alone (counted in failedWrites, logged at ERROR); if the commit itself fails, the whole
   * batch is counted as lost.
   */
  private void retryTransaction(SQLException first) throws SQLException {
    List<Object> items = new ArrayList<>(txItems);
    log.error("store batch failed, writing it again record by record rows={} path={}", items.size(), path, first);
    abandonTx();
    int bad = 0;
    try {
      for (Object o : items) {
        try {
          write(o);
          executePending();
        } catch (SQLException e) {
          bad++;
          if (o instanceof Quote) {
            txQuotes--; // no row: keep the quote block's rowid range exact
          }
          for (PreparedStatement ps : dirty) {
            ps.clearBatch();
          }
          dirty.clear();
          rowsSinceExecute = 0;
          log.error("store record lost record={} path={}", describe(o), path, e);
        }
      }
      writeQuoteBlock();
      conn.commit();
      txItems.addAll(items);
      finishTx(items.size() - bad);
      failedWrites.addAndGet(bad);
    } catch (SQLException second) {
      abandonTx();
      long total = failedWrites.addAndGet(items.size());
      log.error("store batch lost rows={} failedWrites={} path={}", items.size(), total, path, second);
      inTx = false;
    }
  }

  private static String describe(Object o) {
    if (o instanceof FillOp f) {
      return "fill executionId=" + f.fill().executionId();
    }
    if (o instanceof OrderEventOp e) {
      return e.event().getClass().getSimpleName() + " clientOrderId=" + e.event().clientOrderId();
    }
    return o.getClass().getSimpleName();
  }

  private void abandonTx() {
    try {
      conn.rollback();
    } catch (SQLException e) {
      log.warn("store rollback failed path={}", path, e);
    }
    for (PreparedStatement ps : dirty) {
      try {
        ps.clearBatch();
      } catch (SQLException e) {
        log.warn("store clearBatch failed path={}", path, e);
      }
    }
    dirty.clear();
    rowsSinceExecute = 0;
    txItems.clear();
    txQuotes = 0;
    // ids handed out inside the rolled-back transaction are gone
    instrumentRefs.clear();
    try {
      loadInstrumentRefs();
      endReadSnapshot();
    } catch (SQLException e) {
      log.warn("store could not reload instrument ids path={}", path, e);
    }
  }

  private void batch(PreparedStatement ps) throws SQLException {
    ps.addBatch();
    if (!dirty.contains(ps)) {
      dirty.add(ps);
    }
  }

  private void write(Object o) throws SQLException {
    if (o instanceof Quote q) {
      long ts = nanos(q.time());
      if (txQuotes++ == 0) {
        txQuoteMinTs = ts;
        txQuoteMaxTs = ts;
      } else if (ts < txQuoteMinTs) {
        txQuoteMinTs = ts;
      } else if (ts > txQuoteMaxTs) {
        txQuoteMaxTs = ts;
      }
      insQuote.setInt(1, ref(q.instrument()));
      insQuote.setLong(2, ts);
      insQuote.setDouble(3, q.bid());
      insQuote.setDouble(4, q.ask());
      insQuote.setDouble(5, q.bidSize());
      insQuote.setDouble(6, q.askSize());
      batch(insQuote);
    } else if (o instanceof Trade t) {
      insTrade.setInt(1, ref(t.instrument()));
      insTrade.setLong(2, nanos(t.time()));
      insTrade.setDouble(3, t.price());
      insTrade.setDouble(4, t.size());
      batch(insTrade);
    } else if (o instanceof Bar b) {
      upsBar.setInt(1, ref(b.instrument()));
      upsBar.setLong(2, b.period().getSeconds());
      upsBar.setLong(3, nanos(b.start()));
      upsBar.setDouble(4, b.open());
      upsBar.setDouble(5, b.high());
      upsBar.setDouble(6, b.low());
      upsBar.setDouble(7, b.close());
      upsBar.setDouble(8, b.volume());
      batch(upsBar);
    } else if (o instanceof OrderEventOp op) {
      writeOrderEvent(op.event(), op.after());
    } else if (o instanceof FillOp op) {
      writeFill(op);
    } else if (o instanceof InstrumentOp op) {
      writeInstrument(op.instrument());
    } else if (o instanceof RiskOp op) {
      insRisk.setString(1, op.event().kind());
      insRisk.setString(2, op.event().code());
      insRisk.setString(3, op.event().details());
      insRisk.setLong(4, nanos(op.event().time()));
      batch(insRisk);
    } else if (o instanceof BreakerOp op) {
      insBreaker.setString(1, op.state().tradingDay().toString());
      insBreaker.setString(2, op.state().state().name());
      insBreaker.setString(3, op.state().reason());
      insBreaker.setLong(4, nanos(op.state().since()));
      batch(insBreaker);
    } else if (o instanceof DailyPnlOp op) {
      var p = op.pnl();
      upsDaily.setString(1, p.tradingDay().toString());
      upsDaily.setDouble(2, p.realizedPnl());
      upsDaily.setDouble(3, p.unrealizedPnl());
      upsDaily.setDouble(4, p.commissions());
      upsDaily.setDouble(5, p.startEquity());
      upsDaily.setDouble(6, p.endEquity());
      upsDaily.setDouble(7, p.peakEquity());
      upsDaily.setDouble(8, p.troughEquity());
      upsDaily.setLong(9, p.fills());
      upsDaily.setLong(10, nanos(p.time()));
      batch(upsDaily);
    } else if (o instanceof PositionsOp op) {
      long ts = nanos(op.time());
      for (Position p : op.positions()) {
        insPosition.setLong(1, ts);
        insPosition.setString(2, op.source());
        insPosition.setString(3, p.instrument().value());
        insPosition.setDouble(4, p.quantity());
        insPosition.setDouble(5, p.averagePrice());
        batch(insPosition);
      }
    } else if (o instanceof AlertOp op) {
      insAlert.setString(1, op.alert().severity().name());
      insAlert.setString(2, op.alert().title());
      insAlert.setString(3, op.alert().text());
      insAlert.setString(4, op.alert().key());
      insAlert.setInt(5, op.suppressed());
      insAlert.setLong(6, nanos(op.alert().time()));
      batch(insAlert);
    } else if (o instanceof HeartbeatOp op) {
      upsHeartbeat.setLong(1, nanos(op.time()));
      batch(upsHeartbeat);
    } else {
      throw new IllegalStateException("unknown store record " + o.getClass().getName());
    }
  }

  private void writeOrderEvent(OrderEvent event, Order after) throws SQLException {
    if (after != null && after.clientOrderId() != null) {
      OrderRequest r = after.request();
      upsOrder.setString(1, after.clientOrderId().value());
      setText(upsOrder, 2, after.brokerOrderId() == null ? null : after.brokerOrderId().value());
      upsOrder.setString(3, r.instrument().value());
      upsOrder.setString(4, r.side().name());
      upsOrder.setDouble(5, r.quantity());
      upsOrder.setString(6, r.type().name());
      setReal(upsOrder, 7, r.limitPrice());
      setReal(upsOrder, 8, r.stopPrice());
      upsOrder.setString(9, r.timeInForce().name());
      upsOrder.setString(10, r.tag());
      upsOrder.setString(11, after.status().name());
      upsOrder.setDouble(12, after.filledQuantity());
      setReal(upsOrder, 13, after.averageFillPrice());
      upsOrder.setString(14, after.reason());
      upsOrder.setLong(15, nanos(after.createdAt()));
      upsOrder.setLong(16, nanos(after.updatedAt()));
      batch(upsOrder);
    }
    String code = null;
    String reason = "";
    String executionId = null;
    String brokerId = after == null || after.brokerOrderId() == null ? null : after.brokerOrderId().value();
    if (event instanceof OrderSubmitted e) {
      reason = e.request().describe();
    } else if (event instanceof OrderDenied e) {
      code = e.code();
      reason = e.details();
    } else if (event instanceof OrderAccepted e) {
      brokerId = e.brokerOrderId().value();
    } else if (event instanceof OrderRejected e) {
      code = e.code();
      reason = e.reason();
    } else if (event instanceof OrderFilled e) {
      Fill f = e.fill();
      executionId = f.executionId();
      reason = f.side() + " " + f.quantity() + " @ " + f.price();
    } else if (event instanceof OrderCancelled e) {
      reason = e.reason();
    } else if (event instanceof OrderCancelRejected e) {
      reason = e.reason();
    } else if (event instanceof OrderExpired) {
      reason = "";
    }
    String clientId = event.clientOrderId() != null ? event.clientOrderId().value()
        : after != null && after.clientOrderId() != null ? after.clientOrderId().value() : null;
    setText(insEvent, 1, clientId);
    setText(insEvent, 2, brokerId);
    insEvent.setString(3, event.getClass().getSimpleName());
    setText(insEvent, 4, after == null ? null : after.status().name());
    setText(insEvent, 5, code);
    insEvent.setString(6, reason);
    setText(insEvent, 7, executionId);
    insEvent.setLong(8, nanos(event.time()));
    batch(insEvent);
  }

  private void writeFill(FillOp op) throws SQLException {
    Fill f = op.fill();
    insFill.setString(1, f.executionId());
    setText(insFill, 2, f.clientOrderId() == null ? null : f.clientOrderId().value());
    insFill.setString(3, f.instrument().value());
    insFill.setString(4, f.side().name());
    insFill.setDouble(5, f.quantity());
    insFill.setDouble(6, f.price());
    insFill.setDouble(7, f.commission());
    insFill.setDouble(8, Double.isFinite(op.realizedPnl()) ? op.realizedPnl() : 0);
    insFill.setString(9, op.tradingDay().toString());
    insFill.setLong(10, nanos(f.time()));
    // executed at once (fills are few) so a duplicate execution id is seen and counted
    if (insFill.executeUpdate() == 0) {
      duplicateFills++;
      log.warn("duplicate fill ignored executionId={} clientOrderId={} duplicateFills={}",
          f.executionId(), f.clientOrderId(), duplicateFills);
    }
  }

  private void writeInstrument(Instrument i) throws SQLException {
    upsInstrument.setString(1, i.id().value());
    upsInstrument.setString(2, i.symbol());
    upsInstrument.setString(3, i.type().name());
    upsInstrument.setString(4, i.exchange());
    upsInstrument.setString(5, i.currency());
    upsInstrument.setDouble(6, i.tickSize());
    upsInstrument.setDouble(7, i.lotSize());
    upsInstrument.setDouble(8, i.multiplier());
    upsInstrument.executeUpdate();
    ref(i.id());
  }

  private int ref(InstrumentId id) throws SQLException {
    Integer r = instrumentRefs.get(id);
    if (r != null) {
      return r;
    }
    insInstrumentRef.setString(1, id.value());
    insInstrumentRef.executeUpdate();
    selInstrumentRef.setString(1, id.value());
    try (ResultSet rs = selInstrumentRef.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("instrument row missing after insert: " + id);
      }
      int v = rs.getInt(1);
      instrumentRefs.put(id, v);
      return v;
    }
  }

  /**
   * Ends the implicit transaction a read opened (the connection is in manual-commit mode). A
   * transaction that starts with a read and then writes must upgrade its lock, and SQLite fails
   * such an upgrade at once with SQLITE_BUSY when another connection holds the write lock; a
   * transaction that starts with a write waits for the lock under the busy timeout instead.
   */
  private void endReadSnapshot() throws SQLException {
    conn.commit();
  }

  /** Whether the connection is at synchronous=FULL (2) or above now. */
  private static boolean currentlyFull(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
      return rs.next() && rs.getInt(1) >= 2;
    }
  }

  private void loadLastQuoteRowid() throws SQLException {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(rowid), 0) FROM quotes")) {
      lastQuoteRowid = rs.next() ? rs.getLong(1) : 0;
    }
  }

  private void loadInstrumentRefs() throws SQLException {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, instrument FROM instruments")) {
      while (rs.next()) {
        instrumentRefs.put(InstrumentId.of(rs.getString(2)), rs.getInt(1));
      }
    }
  }

  void closeStatements() {
    for (PreparedStatement ps : List.of(insQuote, insTrade, upsBar, upsOrder, insEvent, insFill, insRisk, insBreaker,
        upsDaily, insAlert, upsHeartbeat, insPosition, upsWriterState, upsInstrument, insInstrumentRef,
        selInstrumentRef, insQuoteBlock)) {
      try {
        ps.close();
      } catch (SQLException e) {
        log.warn("store statement close failed path={}", path, e);
      }
    }
  }

  /** Epoch nanoseconds; valid until the year 2262. */
  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  private static void setText(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  private static void setReal(PreparedStatement ps, int i, double v) throws SQLException {
    if (Double.isNaN(v)) {
      ps.setNull(i, Types.REAL);
    } else {
      ps.setDouble(i, v);
    }
  }
}
