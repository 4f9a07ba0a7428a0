package dev.algotrade.core.monitor;

import dev.algotrade.api.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the heartbeat: a store row ({@link Store#recordHeartbeat}) and, if a file is set, one
 * line {@code pid=.. time=.. state=.. equity=..} written to a temporary file and moved over the
 * heartbeat file, so a reader never sees half a line. The file write runs on the given executor
 * (a single background thread in a live system): a disk that stalls never holds up the engine.
 * A beat that finds the previous write still running leaves its line for that write to pick up
 * (newest wins, nothing queues up). {@link #beat} is called on the engine thread; the counters
 * may be read from any thread.
 */
public final class Heartbeat {

  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final Path file;
  private final Store store;
  private final Executor io;
  private final long pid;
  /** The state written by {@link #stopped}: the process ended on purpose. */
  public static final String STOPPED = "STOPPED";

  private final Object fileLock = new Object();
  private boolean stopped; // guarded by fileLock
  private final AtomicBoolean writing = new AtomicBoolean();
  private final AtomicReference<String> pending = new AtomicReference<>();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong superseded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  /**
   * @param file the heartbeat file, or null for the store row only
   * @param store where the heartbeat row goes
   * @param io runs the file writes ({@code Runnable::run} writes on the caller's thread)
   */
  public Heartbeat(Path file, Store store, Executor io) {
    if (store == null || io == null) {
      throw new IllegalArgumentException("Heartbeat: store and io must not be null");
    }
    this.file = file;
    this.store = store;
    this.io = io;
    this.pid = ProcessHandle.current().pid();
  }

  public Path file() {
    return file;
  }

  /** One heartbeat at {@code now}. Never throws. */
  public void beat(Instant now, String state, double equity) {
    try {
      store.recordHeartbeat(now);
    } catch (RuntimeException e) {
      log.warn("heartbeat row not recorded", e);
    }
    if (file == null) {
      return;
    }
    if (pending.getAndSet(format(pid, now, state, equity)) != null) {
      superseded.incrementAndGet(); // the previous line was never written: the newer one wins
    }
    if (!writing.compareAndSet(false, true)) {
      return; // the running write picks the new line up
    }
    try {
      io.execute(this::drain);
    } catch (RuntimeException e) { // executor shut down
      writing.set(false);
      failed.incrementAndGet();
    }
  }

  /** On the I/O thread: writes the newest pending line until none is left. */
  private void drain() {
    do {
      String line;
      while ((line = pending.getAndSet(null)) != null) {
        try {
          synchronized (fileLock) {
            if (stopped) {
              return; // the final STOPPED line stays
            }
            write(file, line);
          }
          written.incrementAndGet();
        } catch (IOException | RuntimeException e) {
          if (failed.getAndIncrement() == 0 || log.isDebugEnabled()) {
            log.warn("heartbeat file not written file={} error={}", file, e.toString());
          }
        }
      }
      writing.set(false);
    } while (pending.get() != null && writing.compareAndSet(false, true));
  }

  /**
   * The last heartbeat of a graceful stop: {@code state=STOPPED}, written on the caller's thread
   * so it is on disk when the system reports stopped. Never throws.
   */
  public void stopped(Instant now, double equity) {
    try {
      store.recordHeartbeat(now);
    } catch (RuntimeException e) {
      log.warn("heartbeat row not recorded", e);
    }
    if (file == null) {
      return;
    }
    synchronized (fileLock) {
      stopped = true;
      try {
        write(file, format(pid, now, STOPPED, equity));
        written.incrementAndGet();
      } catch (IOException | RuntimeException e) {
        failed.incrementAndGet();
        log.warn("final heartbeat not written file={} error={}", file, e.toString());
      }
    }
  }

  /** The heartbeat line. */
  static String format(long pid, Instant time, String state, double equity) {
    return "pid=" + pid + " time=" + time + " state=" + state + " equity="
        + String.format(Locale.ROOT, "%.2f", equity) + "\n";
  }

  /** Writes {@code content} to a temporary file beside {@code file}, then moves it over {@code file}. */
  static void write(Path file, String content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, content.getBytes(StandardCharsets.UTF_8));
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  public long written() {
    return written.get();
  }

  /** Lines replaced by a newer one before they were written (the disk was slower than the period). */
  public long superseded() {
    return superseded.get();
  }

  public long failed() {
    return failed.get();
  }
}
