package dev.algotrade.sqlite;

import dev.algotrade.api.order.Fill;
import dev.algotrade.api.order.OrderAccepted;
import dev.algotrade.api.order.OrderCancelRejected;
import dev.algotrade.api.order.OrderCancelled;
import dev.algotrade.api.order.OrderDenied;
import dev.algotrade.api.order.OrderEvent;
import dev.algotrade.api.order.OrderFilled;
import dev.algotrade.api.order.OrderRejected;
import dev.algotrade.api.order.OrderRequest;
import dev.algotrade.api.order.OrderStatus;
import dev.algotrade.api.order.OrderSubmitted;
import dev.algotrade.api.order.OrderView;
import dev.algotrade.api.order.Side;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hand-off from the recording threads to the writer: two unbounded queues ("lanes") made of
 * linked chunks of 1,024 slots, drained by the one writer. A producer writes the record's fields
 * into a claimed slot of its lane and publishes the slot with one ordered store: no lock, no
 * allocation per record (one chunk per 1,024 records).
 *
 * <p>The lanes: the thread that records the first order event or fill (the engine's) becomes
 * the <em>owner</em> and has a lane to itself, where a slot is claimed with plain stores; every
 * other thread shares the other lane and claims with one atomic increment. On x86 that atomic
 * is a full fence, which made the engine thread wait for its own pending stores on every order
 * event; the owner's lane has none. Each thread's records stay in its order. Across lanes there
 * is no order, except for order events and fills, whose rows update one another: a thread that
 * is not the owner waits, before it queues one, until the writer has taken every record of the
 * owner's lane, and the owner waits likewise for such a record of another thread. Both waits
 * are rare (in the engine only the engine thread records orders). A flush covers both lanes
 * (see {@link #otherLaneTarget}).
 *
 * <p>Why the fields and not the objects: when the writer falls behind (a busy replay makes
 * about a million order, order-event and fill records per 10 million quotes, more than SQLite
 * commits in that time), everything queued survives several young collections. Kept as objects
 * (an op, the order snapshot, the event, the fill, a queue node) that backlog cost the garbage
 * collector about as much CPU as the whole replay; kept as primitives and references to objects
 * the engine holds anyway (order ids, execution ids, the order request), it is a few arrays per
 * thousand records. Order events and fills are stored that way; anything else (rare records,
 * ticks, flush requests) is stored as its object.
 *
 * <p>The queue has no bound of its own: {@link StoreWriter} applies the configured capacity
 * (drops ticks, counts records kept beyond it). Threading: the {@code offer*} methods and
 * {@link #claimed} may be called from any thread; {@link #drainTo} from the writer thread
 * only; {@link #taken} from any thread.
 */
final class RecordQueue {
  static final int CHUNK = 1024;
  private static final int MASK = CHUNK - 1;
  private static final int NR = 7;
  private static final int NL = 4;
  private static final int ND = 4;

  // slot kinds; 0 = not yet published
  private static final int OBJECT = 1;
  private static final int FILL = 2;
  /** ORDER_EVENT + the event's index in {@link #EVENT_NAMES}. */
  private static final int ORDER_EVENT = 8;
  private static final int SUBMITTED = 0;
  private static final int DENIED = 1;
  private static final int ACCEPTED = 2;
  private static final int REJECTED = 3;
  private static final int FILLED = 4;
  private static final int CANCELLED = 5;
  private static final int CANCEL_REJECTED = 6;
  private static final int EXPIRED = 7;
  /** The {@code order_events.event} values (the event classes' simple names). */
  static final String[] EVENT_NAMES = {
    "OrderSubmitted", "OrderDenied", "OrderAccepted", "OrderRejected", "OrderFilled", "OrderCancelled",
    "OrderCancelRejected", "OrderExpired"};

  private static final VarHandle KIND = MethodHandles.arrayElementVarHandle(int[].class);
  private static final VarHandle NEXT;
  private static final VarHandle TAKEN;
  private static final VarHandle TAIL_CHUNK;
  private static final VarHandle OWNER;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      NEXT = l.findVarHandle(Chunk.class, "next", Chunk.class);
      TAKEN = l.findVarHandle(Lane.class, "taken", long.class);
      TAIL_CHUNK = l.findVarHandle(Lane.class, "tailChunk", Chunk.class);
      OWNER = l.findVarHandle(RecordQueue.class, "owner", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * How a producer waits for the writer to take records of the other lane (see the class
   * comment); returns when {@code done} holds or waiting is pointless (the writer is gone).
   */
  interface Waiter {
    void await(java.util.function.BooleanSupplier done);
  }

  /** Parks in short naps until done: for a queue without a writer thread to nudge (tests). */
  static final Waiter NAPPING = done -> {
    while (!done.getAsBoolean()) {
      java.util.concurrent.locks.LockSupport.parkNanos(50_000);
    }
  };

  /** Slots [base, base + CHUNK). Never reused: a stale reference always leads forward. */
  private static final class Chunk {
    final long base;
    final int[] kinds = new int[CHUNK];
    final Object[] refs = new Object[CHUNK * NR];
    final long[] longs = new long[CHUNK * NL];
    final double[] doubles = new double[CHUNK * ND];
    volatile Chunk next;

    Chunk(long base) {
      this.base = base;
    }
  }

  /** One chain of chunks with its own indexes. */
  private static final class Lane {
    /** Next index to claim: atomically in the shared lane, with plain stores by the owner. */
    final AtomicLong tail = new AtomicLong();
    /** A chunk at or before every unclaimed index (read before claiming). */
    volatile Chunk tailChunk;
    /** Writer side: the next index to read and its chunk. */
    long head;
    Chunk headChunk;
    /** Published by the writer after each drain: every index below it was taken. */
    volatile long taken;

    Lane() {
      Chunk first = new Chunk(0);
      tailChunk = first;
      headChunk = first;
    }

    long taken() {
      return (long) TAKEN.getAcquire(this);
    }
  }

  /** Every thread but the owner. */
  private final Lane shared = new Lane();
  /** The owner's alone. */
  private final Lane own = new Lane();
  /** The thread that recorded the first order event or fill; null until then. */
  private volatile Thread owner;
  /**
   * One past the shared-lane index of the latest order event or fill a thread other than the
   * owner queued (0: none yet): the owner waits until the writer has taken it before it queues
   * its own, so their rows are written in the order they happened.
   */
  private volatile long sharedOrderMark;
  private final Waiter waiter;

  RecordQueue() {
    this(NAPPING);
  }

  RecordQueue(Waiter waiter) {
    this.waiter = waiter;
  }

  // ---------------------------------------------------------------- producers (any thread)

  /** Records claimed so far in both lanes (queued or being written). */
  long claimed() {
    return shared.tail.get() + own.tail.getAcquire();
  }

  /** Records the writer has taken so far from both lanes. */
  long taken() {
    return shared.taken() + own.taken();
  }

  /**
   * For a flush queued in the owner's lane ({@code flushFromOwner}) or the shared one: how many
   * records the writer must have taken from the <em>other</em> lane (its claims so far) before
   * the flush covers everything queued before it; see {@link #otherLaneTaken}.
   */
  long otherLaneTarget(boolean flushFromOwner) {
    return flushFromOwner ? shared.tail.get() : own.tail.getAcquire();
  }

  /** What the writer has taken from the lane other than the one {@code flushFromOwner} went to. */
  long otherLaneTaken(boolean flushFromOwner) {
    return flushFromOwner ? shared.taken() : own.taken();
  }

  /** Whether the calling thread is the owner (its records go to the owner's lane). */
  boolean callerIsOwner() {
    return Thread.currentThread() == owner;
  }

  /** The lane for a record of the calling thread; for an order event or fill, after any wait the order needs. */
  private Lane laneFor(boolean orderRecord) {
    Thread t = Thread.currentThread();
    Thread o = owner;
    if (o == t) {
      long mark = sharedOrderMark;
      if (orderRecord && mark != 0 && shared.taken() < mark) {
        waiter.await(() -> shared.taken() >= mark);
      }
      return own;
    }
    if (!orderRecord) {
      return shared;
    }
    if (o == null && OWNER.compareAndSet(this, null, t)) {
      return own;
    }
    // an order record from a thread that is not the owner: after everything the owner queued
    long ownClaimed = own.tail.getAcquire();
    if (own.taken() < ownClaimed) {
      waiter.await(() -> own.taken() >= ownClaimed);
    }
    return shared;
  }

  /** Claims the next index of {@code lane} for the calling thread (the owner's lane: plain stores). */
  private long claim(Lane lane) {
    if (lane == own) {
      long idx = lane.tail.getPlain();
      lane.tail.setRelease(idx + 1);
      return idx;
    }
    return lane.tail.getAndIncrement();
  }

  /** After a shared-lane order record at {@code idx}: the owner's next order record waits for it. */
  private void markSharedOrder(Lane lane, long idx) {
    if (lane == shared) {
      long next = idx + 1;
      synchronized (this) { // rare: order records from a second thread
        if (sharedOrderMark < next) {
          sharedOrderMark = next;
        }
      }
    }
  }

  /** Queues an object (ticks, rare records, flush and wake markers); returns its index. */
  long offerObject(Object o) {
    Lane lane = laneFor(false);
    Chunk c = lane.tailChunk;
    long idx = claim(lane);
    c = chunkFor(lane, c, idx);
    int i = (int) (idx & MASK);
    c.refs[i * NR] = o;
    KIND.setRelease(c.kinds, i, OBJECT);
    return idx;
  }

  /** Queues a fill as fields; returns its index. */
  long offerFill(Fill f, double realizedPnl, LocalDate tradingDay, long stamp) {
    // everything that could throw is read before the slot is claimed: a claimed slot that is
    // never published would stop the writer at it for good
    String executionId = f.executionId();
    String clientId = f.clientOrderId() == null ? null : f.clientOrderId().value();
    String instrument = f.instrument().value();
    Side side = f.side();
    long time = StoreWriter.nanos(f.time());
    Lane lane = laneFor(true);
    Chunk c = lane.tailChunk;
    long idx = claim(lane);
    c = chunkFor(lane, c, idx);
    int i = (int) (idx & MASK);
    int r = i * NR;
    Object[] refs = c.refs;
    refs[r] = executionId;
    refs[r + 1] = clientId;
    refs[r + 2] = instrument;
    refs[r + 3] = tradingDay;
    refs[r + 4] = side;
    int l = i * NL;
    c.longs[l] = stamp;
    c.longs[l + 1] = time;
    int d = i * ND;
    double[] ds = c.doubles;
    ds[d] = f.quantity();
    ds[d + 1] = f.price();
    ds[d + 2] = f.commission();
    ds[d + 3] = realizedPnl;
    KIND.setRelease(c.kinds, i, FILL);
    markSharedOrder(lane, idx);
    return idx;
  }

  /** Queues an order event and the order's state after it as fields; returns its index. */
  long offerOrderEvent(OrderEvent e, OrderView after, long stamp) {
    // read everything first (see offerFill): what the writer needs beyond the order's state is a
    // string or nothing, and the event itself only for the rare kinds whose text it formats
    String clientId = e.clientOrderId() != null ? e.clientOrderId().value()
        : after != null && after.clientOrderId() != null ? after.clientOrderId().value() : null;
    Object extra;
    Instant time;
    int type;
    Side fillSide = null;
    double fillQty = 0;
    double fillPrice = 0;
    if (e instanceof OrderFilled fe) {
      Fill f = fe.fill();
      type = FILLED;
      extra = f.executionId();
      fillSide = f.side();
      fillQty = f.quantity();
      fillPrice = f.price();
      time = f.time();
    } else if (e instanceof OrderAccepted a) {
      type = ACCEPTED;
      extra = a.brokerOrderId().value();
      time = a.time();
    } else if (e instanceof OrderSubmitted s) {
      type = SUBMITTED;
      extra = s.request();
      time = s.time();
    } else if (e instanceof OrderCancelled x) {
      type = CANCELLED;
      extra = x.reason();
      time = x.time();
    } else if (e instanceof OrderCancelRejected x) {
      type = CANCEL_REJECTED;
      extra = x.reason();
      time = x.time();
    } else {
      // denied, rejected, expired: few, kept whole
      type = e instanceof OrderDenied ? DENIED : e instanceof OrderRejected ? REJECTED : EXPIRED;
      extra = e;
      time = e.time();
    }
    long eventNanos = StoreWriter.nanos(time);
    String brokerId = null;
    long created = 0;
    long updated = 0;
    if (after != null) {
      brokerId = after.brokerOrderId() == null ? null : after.brokerOrderId().value();
      created = StoreWriter.nanos(after.createdAt());
      updated = StoreWriter.nanos(after.updatedAt());
    }

    Lane lane = laneFor(true);
    Chunk c = lane.tailChunk;
    long idx = claim(lane);
    c = chunkFor(lane, c, idx);
    int i = (int) (idx & MASK);
    int r = i * NR;
    int l = i * NL;
    int d = i * ND;
    Object[] refs = c.refs;
    long[] ls = c.longs;
    double[] ds = c.doubles;
    refs[r] = clientId;
    refs[r + 3] = extra;
    refs[r + 6] = fillSide;
    ls[l] = stamp;
    ls[l + 1] = eventNanos;
    ds[d + 2] = fillQty;
    ds[d + 3] = fillPrice;
    if (after != null) {
      refs[r + 1] = brokerId;
      refs[r + 2] = after.request();
      refs[r + 4] = after.reason();
      refs[r + 5] = after.status();
      ls[l + 2] = created;
      ls[l + 3] = updated;
      ds[d] = after.filledQuantity();
      ds[d + 1] = after.averageFillPrice();
    }
    KIND.setRelease(c.kinds, i, ORDER_EVENT + type);
    markSharedOrder(lane, idx);
    return idx;
  }

  /** The chunk holding {@code idx}, walking (and linking new chunks) forward from {@code c}. */
  private static Chunk chunkFor(Lane lane, Chunk c, long idx) {
    if (idx - c.base < CHUNK) {
      return c;
    }
    while (idx - c.base >= CHUNK) {
      Chunk n = c.next;
      if (n == null) {
        n = new Chunk(c.base + CHUNK);
        Chunk witness = (Chunk) NEXT.compareAndExchange(c, (Chunk) null, n);
        if (witness != null) {
          n = witness;
        }
      }
      c = n;
    }
    // move the hint forward (never back past a chunk another producer advanced it to)
    Chunk h = lane.tailChunk;
    while (h.base < c.base && !TAIL_CHUNK.compareAndSet(lane, h, c)) {
      h = lane.tailChunk;
    }
    return c;
  }

  // ---------------------------------------------------------------- writer thread

  /**
   * Moves up to {@code max} published records into {@code out} (order events and fills as
   * {@link Ops.OrderEventRow} and {@link Ops.FillRow}): the shared lane's, then the owner's, each
   * in order, stopping at a lane's first slot still being written; publishes each lane's taken
   * count right after draining it (the producers' waits rely on that: a record queued after it
   * lands in a later drain or later in {@code out}).
   */
  int drainTo(List<Object> out, int max) {
    int n = drainLane(shared, out, max);
    return n + drainLane(own, out, max - n);
  }

  private static int drainLane(Lane lane, List<Object> out, int max) {
    int n = 0;
    Chunk c = lane.headChunk;
    long h = lane.head;
    while (n < max) {
      int i = (int) (h - c.base);
      if (i == CHUNK) {
        Chunk next = c.next;
        if (next == null) {
          break;
        }
        c = next;
        i = 0;
      }
      int kind = (int) KIND.getAcquire(c.kinds, i);
      if (kind == 0) {
        break;
      }
      out.add(decode(c, i, kind));
      h++;
      n++;
    }
    if (n > 0) {
      lane.headChunk = c;
      lane.head = h;
      TAKEN.setRelease(lane, h);
    }
    return n;
  }

  private static Object decode(Chunk c, int i, int kind) {
    int r = i * NR;
    int l = i * NL;
    int d = i * ND;
    Object[] refs = c.refs;
    long[] ls = c.longs;
    double[] ds = c.doubles;
    if (kind == OBJECT) {
      Object o = refs[r];
      refs[r] = null; // the chunk lives until its last slot is taken: do not hold what was taken
      return o;
    }
    if (kind == FILL) {
      return new Ops.FillRow((String) refs[r], (String) refs[r + 1], (String) refs[r + 2],
          (LocalDate) refs[r + 3], (Side) refs[r + 4], ds[d], ds[d + 1], ds[d + 2], ds[d + 3], ls[l + 1], ls[l]);
    }
    if (kind >= ORDER_EVENT && kind <= ORDER_EVENT + EXPIRED) {
      return new Ops.OrderEventRow(EVENT_NAMES[kind - ORDER_EVENT], (String) refs[r], (String) refs[r + 1],
          (OrderRequest) refs[r + 2], refs[r + 3], (String) refs[r + 4], (OrderStatus) refs[r + 5],
          (Side) refs[r + 6], ds[d], ds[d + 1], ds[d + 2], ds[d + 3], ls[l + 1], ls[l + 2], ls[l + 3], ls[l]);
    }
    throw new IllegalStateException("unknown store queue slot kind " + kind);
  }
}
