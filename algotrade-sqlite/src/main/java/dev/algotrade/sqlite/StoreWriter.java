package dev.algotrade.sqlite;

import dev.algotrade.api.StoreException;
import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.Quote;
import dev.algotrade.api.market.Trade;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderView;
import dev.algotrade.api.portfolio.Position;
import dev.algotrade.api.time.Clock;
import dev.algotrade.sqlite.Ops.AlertOp;
import dev.algotrade.sqlite.Ops.BreakerOp;
import dev.algotrade.sqlite.Ops.Critical;
import dev.algotrade.sqlite.Ops.DailyPnlOp;
import dev.algotrade.sqlite.Ops.FillRow;
import dev.algotrade.sqlite.Ops.FlushOp;
import dev.algotrade.sqlite.Ops.HeartbeatOp;
import dev.algotrade.sqlite.Ops.InstrumentOp;
import dev.algotrade.sqlite.Ops.OrderEventRow;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: takes records from a {@link RecordQueue} and writes them in batched
 * transactions on its own connection.
 *
 * <p>Threading: the {@code offer*} methods are called by the engine thread (any thread may)
 * and never block nor take a lock; {@link #flush}, {@link #stats} and {@link #requestStop} may be
 * called from any thread; everything else runs on the writer thread only.
 *
 * <p>Queue-full policy. {@code queueCapacity} bounds the records waiting. Ticks (quotes, trades)
 * that find that many waiting are dropped, counted and logged at WARN (on the 1st, 2nd, 4th,
 * 8th... drop and every 100,000th). Every other record (orders, fills, risk, P&amp;L, ...) is
 * never dropped and never makes the engine wait: it is queued beyond the capacity, counted
 * ({@code spilled}) and logged at ERROR; one queue holds everything, so the order of all records
 * is kept. With {@code backpressure} the recording thread parks until there is room instead.
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
  /** Below this idle sleep the writer is woken by every record instead of by its own timer. */
  private static final long MIN_TIMED_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long PRODUCER_NAP_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

  private final Path path;
  private final Connection conn;
  private final Clock clock;
  private final long orderWindowNanos;
  private final long tickWindowNanos;
  private final int maxBatchRows;

  /** Longest nap inside an open batch before draining what arrived. */
  private static final long BATCH_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** A critical record reads the clock when its stamp is older than this many queued records. */
  private static final long STAMP_EVERY = 16;
  /** The producers' rare waits for the writer (see {@link RecordQueue}): nudge it, give up if it is gone. */
  final RecordQueue queue = new RecordQueue(done -> {
    while (!done.getAsBoolean()) {
      Thread t = this.thread;
      if (this.fatal != null || t == null || !t.isAlive()) {
        return; // nothing will take the records: they are counted as lost or failed where they are queued
      }
      LockSupport.unpark(t);
      LockSupport.parkNanos(PRODUCER_NAP_NANOS);
    }
  });
  private final int capacity;
  /**
   * Set by the writer while it parks on an empty queue: a producer then unparks it, if
   * {@link #wakeOnRecord}.
   */
  private volatile boolean sleeping;
  /**
   * How long an idle writer sleeps before it looks at the queue again: half the shorter commit
   * window (at most 100 ms). A record queued while it sleeps is picked up within that time and
   * still commits by its deadline (which counts from when it was queued), so the recording thread
   * need not wake the writer: no system call on the engine thread per record, which on a virtual
   * machine can cost tens of microseconds of tick-to-order latency.
   */
  private final long idleNanos;
  /** Windows under 2 ms: the writer cannot wait for its timer, so every record wakes it. */
  private final boolean wakeOnRecord;
  /**
   * Writer thread: when it last went to sleep on an empty queue, until it has handled what woke
   * it; {@link Long#MIN_VALUE} otherwise. A tick found after a sleep was queued after this, so a
   * tick-only transaction's window counts from here, not from when the writer noticed it.
   */
  private long idleSince = Long.MIN_VALUE;
  /** A recent clock reading and the queue index it was taken at (see {@link #stamp}). */
  private volatile long recentNanos;
  private volatile long recentAt = Long.MIN_VALUE / 2;

  // counters, written by one thread each, read by any
  private final AtomicLong droppedTicks = new AtomicLong();
  private final AtomicLong spilled = new AtomicLong();
  private volatile long written;
  private volatile long duplicateFills;
  private final AtomicLong failedWrites = new AtomicLong();
  private final AtomicLong recordWakeups = new AtomicLong();
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
  /**
   * The {@code orders} upsert of each order seen since the last execute, by client order id, in
   * order of first appearance: an order's events in one batch (submitted, accepted, filled)
   * become one upsert with its latest state instead of one each (see {@link #writeOrderEvent}).
   */
  private final Map<String, PendingOrder> pendingOrders = new LinkedHashMap<>();
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
    this.capacity = config.queueCapacity();
    this.backpressure = config.backpressure();
    long shorterWindow = Math.min(orderWindowNanos, tickWindowNanos);
    this.idleNanos = Math.min(IDLE_WAIT_NANOS, shorterWindow / 2);
    this.wakeOnRecord = idleNanos < MIN_TIMED_IDLE_NANOS;
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
    if (queue.claimed() - queue.taken() >= capacity) {
      if (!backpressure) {
        long n = droppedTicks.incrementAndGet();
        if ((n & (n - 1)) == 0 || n % 100_000 == 0) {
          log.warn("store queue full, tick dropped droppedTicks={} queueCapacity={} path={}", n, capacity, path);
        }
        return;
      }
      waitForRoom();
    }
    queue.offerObject(tick);
    wake();
  }

  /** A rare non-tick record, queued as its object. */
  void offerCritical(Critical op) {
    if (admitCritical()) {
      afterCritical(queue.offerObject(op));
    }
  }

  /** An order event, queued as fields (no allocation on the calling thread). */
  void offerOrderEvent(OrderEvent event, OrderView after) {
    if (admitCritical()) {
      afterCritical(queue.offerOrderEvent(event, after, stamp()));
    }
  }

  /** A fill, queued as fields. */
  void offerFill(Fill fill, double realizedPnl, LocalDate tradingDay) {
    if (admitCritical()) {
      afterCritical(queue.offerFill(fill, realizedPnl, tradingDay, stamp()));
    }
  }

  private boolean admitCritical() {
    if (fatal != null) {
      lostAfterDeath();
      return false;
    }
    if (backpressure && queue.claimed() - queue.taken() >= capacity) {
      waitForRoom();
    }
    return true;
  }

  /** Counts and reports a record queued beyond the capacity (kept all the same), then wakes the writer. */
  private void afterCritical(long index) {
    if (index - queue.taken() >= capacity) {
      long n = spilled.incrementAndGet();
      if ((n & (n - 1)) == 0 || n % 10_000 == 0) {
        log.error("store queue full, record kept beyond the queue's capacity spilled={} queueCapacity={} path={}",
            n, capacity, path);
      }
    }
    wake();
  }

  /** After a record: wakes a sleeping writer only when its own timer is too slow (see {@link #idleNanos}). */
  private void wake() {
    if (wakeOnRecord) {
      // the owner's lane claims with plain stores: order the claim before reading the flag, as
      // the shared lane's atomic claim does, or writer and producer could each miss the other
      java.lang.invoke.VarHandle.fullFence();
      if (sleeping) {
        recordWakeups.incrementAndGet();
        LockSupport.unpark(thread);
      }
    }
  }

  /** Wake-ups recording threads gave the writer (tests: none with the default windows). */
  long recordWakeups() {
    return recordWakeups.get();
  }

  /** Whether the writer is asleep on an empty queue (tests). */
  boolean sleeping() {
    return sleeping;
  }

  /**
   * When the record was queued, for its commit deadline, without a clock read per record: the
   * clock is read when the last reading is {@link #STAMP_EVERY} or more queued records old, else
   * that reading is used. A stamp is therefore never later than the record's real queue time,
   * so the commit window is kept (a record may commit a little early, never late).
   */
  private long stamp() {
    long at = queue.claimed();
    if (at - recentAt < STAMP_EVERY) {
      return recentNanos;
    }
    long now = clock.nanoTime();
    recentNanos = now;
    recentAt = at;
    return now;
  }

  /** The writer has died: nothing will drain the queue, so a record is counted and logged, not kept. */
  private void lostAfterDeath() {
    long n = failedWrites.incrementAndGet();
    if ((n & (n - 1)) == 0 || n % 100_000 == 0) {
      log.error("store writer is dead, record not stored failedWrites={} path={}", n, path, fatal);
    }
  }

  /** Backpressure mode (replays): wait for room; a dead writer turns the wait into an exception. */
  private void waitForRoom() {
    while (queue.claimed() - queue.taken() >= capacity) {
      Thread t = thread;
      if (fatal != null || (t != null && !t.isAlive())) {
        throw new StoreException("store writer has stopped; cannot record path=" + path, fatal);
      }
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while waiting for room in the store queue path=" + path);
      }
      // parks, not spins: on two cores a spinning recorder takes the writer's core
      LockSupport.parkNanos(PRODUCER_NAP_NANOS);
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
    boolean fromOwner = queue.callerIsOwner();
    FlushOp op = new FlushOp(fromOwner, queue.otherLaneTarget(fromOwner));
    try {
      // behind everything queued before it in its lane, whatever the depth; the writer completes
      // it once it has also taken the other lane's records queued before it
      queue.offerObject(op);
      LockSupport.unpark(t); // whatever the windows: the caller is waiting
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
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Depth up to the capacity is the queue; beyond it, the records kept over it ("spill"). */
  StoreStats stats() {
    long depth = Math.max(0, queue.claimed() - queue.taken());
    int inQueue = (int) Math.min(depth, capacity);
    int beyond = (int) Math.min(depth - inQueue, Integer.MAX_VALUE);
    return new StoreStats(inQueue, capacity, beyond, written, droppedTicks.get(), spilled.get(), duplicateFills,
        failedWrites.get(), batches, lastBatchNanos, maxBatchNanos);
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
      List<Object> rest = new ArrayList<>();
      while (queue.drainTo(rest, DRAIN) > 0) {
        for (Object o : rest) {
          if (o instanceof FlushOp f) {
            f.failure = t;
            f.done.countDown();
          }
        }
        rest.clear();
      }
    }
  }

  private void loop() throws SQLException, InterruptedException {
    List<Object> buf = new ArrayList<>(DRAIN);
    while (true) {
      buf.clear();
      queue.drainTo(buf, DRAIN);
      if (buf.isEmpty()) {
        if (stopRequested && queue.claimed() != queue.taken()) {
          Thread.onSpinWait(); // a record call that began before close() is still writing its slot
          continue;
        }
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
        // idle: park for idleNanos, or until flush / stop (or, with windows under 2 ms, a
        // producer) sees the flag and unparks (it sets the flag's partner, the queue's claim
        // counter, before it reads the flag; so one of the two sees the other)
        if (idleSince == Long.MIN_VALUE) {
          idleSince = clock.nanoTime();
        }
        sleeping = true;
        if (queue.claimed() == queue.taken() && !stopRequested) {
          LockSupport.parkNanos(idleNanos);
        } else {
          Thread.onSpinWait();
        }
        sleeping = false;
        continue;
      }
      for (int i = 0, n = buf.size(); i < n; i++) {
        handle(buf.get(i));
      }
      idleSince = Long.MIN_VALUE;
      // a full drain means more is waiting: behind, the batch grows up to maxBatchRows instead of
      // committing every drain (each durable commit is an fsync; the backlog, not the window,
      // decides the latency then)
      boolean behind = buf.size() == DRAIN;
      if (inTx && (txItems.size() >= maxBatchRows || (!behind && clock.nanoTime() - deadline >= 0))) {
        commit();
      }
      if (!flushes.isEmpty() && flushCovered()) {
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

  /** Whether every pending flush has the other lane's records taken (and so written in this batch). */
  private boolean flushCovered() {
    for (FlushOp f : flushes) {
      if (queue.otherLaneTaken(f.fromOwner) < f.otherLaneTarget) {
        return false;
      }
    }
    return true;
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
      deadline = (idleSince != Long.MIN_VALUE ? idleSince : clock.nanoTime()) + tickWindowNanos;
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
    if (!pendingOrders.isEmpty()) {
      bindPendingOrders();
    }
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
          pendingOrders.clear();
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
    if (o instanceof FillRow f) {
      return "fill executionId=" + f.executionId();
    }
    if (o instanceof OrderEventRow e) {
      return e.event() + " clientOrderId=" + e.clientOrderId();
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
    pendingOrders.clear();
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
    // by identity: a handful of statements at most, and equals() is a virtual call per row
    for (int i = dirty.size() - 1; i >= 0; i--) {
      if (dirty.get(i) == ps) {
        return;
      }
    }
    dirty.add(ps);
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
    } else if (o instanceof OrderEventRow row) {
      writeOrderEvent(row);
    } else if (o instanceof FillRow row) {
      writeFill(row);
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

  /**
   * The order's row is not bound here but merged into {@link #pendingOrders} and bound once per
   * execute with the order's latest state ({@link #bindPendingOrders}). The rows that result are
   * the same as one upsert per event: the upsert sets every column from the latest event except
   * {@code created_ns} (kept from the insert, i.e. the first) and {@code broker_order_id} (the
   * latest non-null one), and the merge keeps exactly those; nothing reads the table between the
   * upserts of one batch, which commit together. Every order event still gets its own row.
   */
  private void writeOrderEvent(OrderEventRow row) throws SQLException {
    if (row.statusAfter() != null && row.clientOrderId() != null) {
      PendingOrder p = pendingOrders.get(row.clientOrderId());
      if (p == null) {
        pendingOrders.put(row.clientOrderId(), new PendingOrder(row));
      } else {
        p.merge(row);
      }
    }
    String code = null;
    String reason = "";
    String executionId = null;
    String brokerId = row.brokerOrderId();
    Object x = row.extra();
    switch (row.event()) {
      case "OrderSubmitted" -> reason = ((OrderRequest) x).describe();
      case "OrderDenied" -> {
        OrderDenied e = (OrderDenied) x;
        code = e.code();
        reason = e.details();
      }
      case "OrderAccepted" -> brokerId = (String) x;
      case "OrderRejected" -> {
        OrderRejected e = (OrderRejected) x;
        code = e.code();
        reason = e.reason();
      }
      case "OrderFilled" -> {
        executionId = (String) x;
        reason = row.fillSide() + " " + row.fillQuantity() + " @ " + row.fillPrice();
      }
      case "OrderCancelled", "OrderCancelRejected" -> reason = (String) x;
      default -> reason = "";
    }
    setText(insEvent, 1, row.clientOrderId());
    setText(insEvent, 2, brokerId);
    insEvent.setString(3, row.event());
    setText(insEvent, 4, row.statusAfter() == null ? null : row.statusAfter().name());
    setText(insEvent, 5, code);
    insEvent.setString(6, reason);
    setText(insEvent, 7, executionId);
    insEvent.setLong(8, row.eventNanos());
    batch(insEvent);
  }

  /** Binds one orders upsert per pending order, in order of first appearance, and forgets them. */
  private void bindPendingOrders() throws SQLException {
    for (PendingOrder p : pendingOrders.values()) {
      OrderEventRow row = p.latest;
      OrderRequest r = row.request();
      upsOrder.setString(1, row.clientOrderId());
      setText(upsOrder, 2, p.brokerOrderId);
      upsOrder.setString(3, r.instrument().value());
      upsOrder.setString(4, r.side().name());
      upsOrder.setDouble(5, r.quantity());
      upsOrder.setString(6, r.type().name());
      setReal(upsOrder, 7, r.limitPrice());
      setReal(upsOrder, 8, r.stopPrice());
      upsOrder.setString(9, r.timeInForce().name());
      upsOrder.setString(10, r.tag());
      upsOrder.setString(11, row.statusAfter().name());
      upsOrder.setDouble(12, row.filledQuantity());
      setReal(upsOrder, 13, row.averageFillPrice());
      upsOrder.setString(14, row.orderReason());
      upsOrder.setLong(15, p.createdNanos);
      upsOrder.setLong(16, row.updatedNanos());
      batch(upsOrder);
    }
    pendingOrders.clear();
  }

  /** One order's upsert, merged over the events of one execute (see {@link #writeOrderEvent}). */
  private static final class PendingOrder {
    OrderEventRow latest;
    /** The first event's: the insert's value, which the upsert's update leaves alone. */
    final long createdNanos;
    /** The latest non-null one: the upsert's COALESCE(excluded, current) over the events. */
    String brokerOrderId;

    PendingOrder(OrderEventRow row) {
      latest = row;
      createdNanos = row.createdNanos();
      brokerOrderId = row.brokerOrderId();
    }

    void merge(OrderEventRow row) {
      latest = row;
      if (row.brokerOrderId() != null) {
        brokerOrderId = row.brokerOrderId();
      }
    }
  }

  private void writeFill(FillRow f) throws SQLException {
    insFill.setString(1, f.executionId());
    setText(insFill, 2, f.clientOrderId());
    insFill.setString(3, f.instrument());
    insFill.setString(4, f.side().name());
    insFill.setDouble(5, f.quantity());
    insFill.setDouble(6, f.price());
    insFill.setDouble(7, f.commission());
    insFill.setDouble(8, Double.isFinite(f.realizedPnl()) ? f.realizedPnl() : 0);
    insFill.setString(9, f.tradingDay().toString());
    insFill.setLong(10, f.timeNanos());
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
