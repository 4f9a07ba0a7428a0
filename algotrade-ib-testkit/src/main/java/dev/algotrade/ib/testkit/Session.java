package dev.algotrade.ib.testkit;

import dev.algotrade.ib.testkit.internal.MessageBuilder;
import dev.algotrade.ib.testkit.internal.ServerMessages;
import dev.algotrade.ib.testkit.internal.Wire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.HashMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: a reader thread (handshake, then request frames handed to the core) and
 * a writer thread draining an unbounded queue, so the core never blocks on a slow client.
 * Subscription fields are guarded by the core's lock; the rest is thread-safe.
 */
final class Session {

  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final Object CLOSE = new Object();
  /** Oldest server version whose layouts this gateway writes. */
  static final int MIN_SUPPORTED_VERSION = 176;

  /** A market data subscription of this session (guarded by the core's lock). */
  record MktSub(int tickerId, SimInstrument instrument, int dataType) {}

  private final Socket socket;
  private final GatewayCore core;
  private final Faults faults;
  private final int connection;
  private final LinkedBlockingQueue<Object> out = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean closing;
  volatile int serverVersion;

  // guarded by the core's lock
  int clientId = -1;
  boolean started;
  int marketDataType = 1;
  boolean positionsSubscribed;
  boolean accountUpdatesSubscribed;
  long paceWindowStart = Long.MIN_VALUE;
  int paceCount;
  final Map<Integer, MktSub> mktData = new HashMap<>();
  /** account summary request id -> requested tags */
  final Map<Integer, List<String>> accountSummaryReqs = new HashMap<>();

  Session(Socket socket, GatewayCore core, Faults faults, int connection) {
    this.socket = socket;
    this.core = core;
    this.faults = faults;
    this.connection = connection;
  }

  void start() {
    Thread reader = new Thread(this::readLoop, "sim-gateway-read-" + connection);
    Thread writer = new Thread(this::writeLoop, "sim-gateway-write-" + connection);
    reader.setDaemon(true);
    writer.setDaemon(true);
    writer.start();
    reader.start();
  }

  /** Queues a message (through the fault interceptor, if any); ignored once closing. */
  void send(MessageBuilder m) {
    if (closing) {
      return;
    }
    OutgoingInterceptor hook = faults.interceptor();
    if (hook == null) {
      out.add(m.frame());
      return;
    }
    List<List<String>> replacement = hook.intercept(clientId, m.fields());
    for (List<String> fields : replacement) {
      StringBuilder sb = new StringBuilder();
      for (String f : fields) {
        sb.append(f).append('\0');
      }
      out.add(Wire.frame(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** Lets queued messages go out, then closes the socket; later sends are discarded. */
  void closeAfterQueued() {
    if (!closing) {
      closing = true;
      out.add(CLOSE);
    }
  }

  /** Closes the socket at once; queued messages are discarded. */
  void closeNow() {
    closing = true;
    out.clear();
    out.add(CLOSE);
    closed.countDown();
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("close failed connection={}", connection, e);
    }
  }

  int connection() {
    return connection;
  }

  /** Whether the gateway has begun closing this connection (the client may not know yet). */
  boolean isClosing() {
    return closing;
  }

  private void readLoop() {
    try {
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(socket.getInputStream(), 8192));
      Wire.Hello hello = Wire.readHello(in);
      if (hello == null) {
        log.info("handshake refused connection={} reason=not a v100+ API handshake", connection);
        return;
      }
      int version = Math.min(hello.maxVersion(), core.serverVersion());
      if (version < hello.minVersion() || version < MIN_SUPPORTED_VERSION) {
        log.info("handshake refused connection={} clientRange={}..{} serverMax={} minSupported={}",
            connection, hello.minVersion(), hello.maxVersion(), core.serverVersion(),
            MIN_SUPPORTED_VERSION);
        return;
      }
      serverVersion = version;
      log.info("client connected connection={} clientRange={}..{} serverVersion={}",
          connection, hello.minVersion(), hello.maxVersion(), version);
      out.add(ServerMessages.handshakeReply(version, core.connectionTimeText()));
      while (true) {
        String[] fields = Wire.readFrame(in);
        if (fields == null) {
          break;
        }
        if (fields.length == 0 || faults.isHalfOpen()) {
          continue;
        }
        core.onRequest(this, fields);
      }
    } catch (IOException e) {
      log.debug("connection ended connection={} reason={}", connection, e.toString());
    } catch (RuntimeException e) {
      log.error("connection failed connection={}", connection, e);
    } finally {
      core.detach(this);
      closeAfterQueued();
      // the writer closes the socket once the queue is drained
    }
  }

  private void writeLoop() {
    try {
      OutputStream os = new BufferedOutputStream(socket.getOutputStream(), 16384);
      while (true) {
        Object next = out.take();
        if (next == CLOSE) {
          break;
        }
        long delay = faults.delayNanos();
        if (delay > 0 && closed.await(delay, TimeUnit.NANOSECONDS)) {
          break;
        }
        if (faults.isHalfOpen()) {
          continue;
        }
        if (faults.dropBeforeWrite()) {
          log.info("fault: connection dropped connection={}", connection);
          break;
        }
        os.write((byte[]) next);
        boolean drop = faults.countMessageAndCheckDrop();
        if (drop || out.isEmpty()) {
          os.flush();
        }
        if (drop) {
          log.info("fault: connection dropped after message count connection={}", connection);
          break;
        }
      }
      os.flush();
    } catch (IOException e) {
      log.debug("write ended connection={} reason={}", connection, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeNow();
    }
  }
}
