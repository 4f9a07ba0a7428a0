package dev.algotrade.core.internal;

import dev.algotrade.api.strategy.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * Timers run on the engine thread, ordered by due time and then by the order they were
 * (re)scheduled, so a replay fires them deterministically. Confined to the engine thread,
 * except {@link Task#cancel()}, which any thread may call.
 */
public final class TimerQueue {

  /** A scheduled action; the same object is re-queued for each period of a repeating timer. */
  public static final class Task implements Timer, Comparable<Task> {
    Instant due;
    final Duration period;
    final Runnable action;
    long seq;
    final int owner;
    private volatile boolean cancelled;

    Task(Instant due, Duration period, Runnable action, long seq, int owner) {
      this.due = due;
      this.period = period;
      this.action = action;
      this.seq = seq;
      this.owner = owner;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    public Instant due() {
      return due;
    }

    public int owner() {
      return owner;
    }

    public Runnable action() {
      return action;
    }

    @Override
    public int compareTo(Task o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long seq;

  /** Schedules {@code action} at {@code due}, then every {@code period} if it is not null. */
  public Task schedule(Instant due, Duration period, Runnable action, int owner) {
    if (period != null && (period.isNegative() || period.isZero())) {
      throw new IllegalArgumentException("timer period must be > 0, was " + period);
    }
    Task t = new Task(due, period, action, seq++, owner);
    queue.add(t);
    return t;
  }

  /** Due time of the next live task, or null. */
  public Instant nextDue() {
    Task t;
    while ((t = queue.peek()) != null && t.isCancelled()) {
      queue.poll();
    }
    return t == null ? null : t.due;
  }

  /**
   * Removes and returns the next task due at or before {@code now}, or null. A repeating task
   * is put back for its next period before it is returned (its {@link Task#due()} then reads
   * the next due time; the caller should note the due time before polling if it needs it).
   */
  public Task pollDue(Instant now) {
    Task t;
    while ((t = queue.peek()) != null) {
      if (t.isCancelled()) {
        queue.poll();
        continue;
      }
      if (t.due.isAfter(now)) {
        return null;
      }
      queue.poll();
      return t;
    }
    return null;
  }

  /** Re-queues a repeating task for its next period (call after running it). */
  public void reschedule(Task t) {
    if (t.period != null && !t.isCancelled()) {
      t.due = t.due.plus(t.period);
      t.seq = seq++;
      queue.add(t);
    }
  }

  public int size() {
    return queue.size();
  }
}
