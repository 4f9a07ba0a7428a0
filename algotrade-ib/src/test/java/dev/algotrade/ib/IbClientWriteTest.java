package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The write side of {@link IbClient}: a sender writes its frame itself when nothing is queued
 * (no hand-off), never waits on the network, and frames never overtake each other, whether they
 * went directly, half directly, or through the writer thread.
 */
class IbClientWriteTest {

  private FakeTws tws;
  private IbClient client;

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.close();
    }
    if (tws != null) {
      tws.close();
    }
  }

  private void connect(int receiveBufferBytes) throws Exception {
    tws = new FakeTws(receiveBufferBytes);
    IbConfig config = IbConfig.builder().port(tws.port()).clientId(7).connectTimeout(Duration.ofSeconds(5)).build();
    client = IbClient.create(config, SimulatedClock.atDefaultStart());
    client.start();
    tws.handshake("DU123456", 100);
    client.ready().get(5, TimeUnit.SECONDS);
    client.switchOffPacingForBenchmark(); // this test is about the socket, not the pacer
  }

  private static String filler(int n) {
    return "x".repeat(n);
  }

  @Test
  void withNothingQueuedTheSenderWritesItselfAndThePeerGetsTheFrame() throws Exception {
    connect(0);
    for (int i = 0; i < 10; i++) {
      client.send(Wire.frame("49|1|"));
      assertThat(tws.read()).isEqualTo("49|1|"); // read before the next send: the queue is empty
    }
    assertThat(client.directWrites()).isEqualTo(10);
    assertThat(client.sentMessages()).isEqualTo(11);
  }

  /** An interrupted channel user would close the socket: such a thread's frame goes through the writer. */
  @Test
  void anInterruptedSenderDoesNotCloseTheSocket() throws Exception {
    connect(0);
    Thread.currentThread().interrupt();
    try {
      client.send(Wire.frame("49|1|"));
      assertThat(Thread.currentThread().isInterrupted()).isTrue(); // the flag is left as it was
    } finally {
      Thread.interrupted();
    }
    assertThat(tws.read()).isEqualTo("49|1|");
    client.send(Wire.frame("61|1|"));
    assertThat(tws.read()).isEqualTo("61|1|");
    assertThat(client.sessions()).isEqualTo(1);
    assertThat(client.directWrites()).isEqualTo(1); // only the second one
  }

  @Test
  void framesSentBeforeTheSessionIsOpenWaitForStartApiAndThenGoInOrder() throws Exception {
    tws = new FakeTws();
    IbConfig config = IbConfig.builder().port(tws.port()).clientId(7).connectTimeout(Duration.ofSeconds(5)).build();
    client = IbClient.create(config, SimulatedClock.atDefaultStart());
    client.start();
    tws.accept();
    tws.readHandshake();
    client.send(Wire.frame("49|1|"));
    client.send(Wire.frame("61|1|"));
    tws.send("178|20260105 09:30:00 EST|");
    assertThat(tws.read()).startsWith("71|2|");
    assertThat(tws.read()).isEqualTo("49|1|");
    assertThat(tws.read()).isEqualTo("61|1|");
    assertThat(client.directWrites()).isZero();
  }

  /**
   * A frame waiting for the pacer is not overtaken by a later frame, even when the later one
   * finds a free pacer slot and an idle socket: it queues behind. The pacer runs on a fake ticker;
   * the writer's first wait blocks until the test has sent the second frame.
   */
  @Test
  @Timeout(30)
  void aFrameWaitingForThePacerIsNotOvertaken() throws Exception {
    tws = new FakeTws();
    AtomicLong ticker = new AtomicLong();
    CountDownLatch writerWaiting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger sleeps = new AtomicInteger();
    IbConfig config = IbConfig.builder().port(tws.port()).clientId(7).connectTimeout(Duration.ofSeconds(5))
        .maxMessagesPerSecond(1).build();
    client = IbClient.create(config, SimulatedClock.atDefaultStart(), ticker::get, nanos -> {
      if (sleeps.getAndIncrement() == 0) {
        writerWaiting.countDown();
        release.await();
      }
      ticker.addAndGet(nanos);
    });
    client.start();
    tws.handshake("DU123456", 100); // startApi took the one slot of this second
    client.ready().get(5, TimeUnit.SECONDS);
    client.send(Wire.frame("49|1|")); // no slot: queued, the writer waits for the pacer
    assertThat(writerWaiting.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.set(TimeUnit.SECONDS.toNanos(2)); // a slot is free now
    client.send(Wire.frame("61|1|"));
    release.countDown();
    assertThat(tws.read()).isEqualTo("49|1|");
    assertThat(tws.read()).isEqualTo("61|1|");
    assertThat(client.directWrites()).isZero();
  }

  /**
   * The peer stops reading: the kernel's buffers fill, a frame is taken only in part, and the
   * rest wait for the writer. The sending thread is never held up (a blocking write would hang
   * this test until the timeout), and once the peer reads again every frame arrives whole and in
   * order.
   */
  @Test
  @Timeout(60)
  void aPeerThatStopsReadingNeverHoldsUpTheSenderAndNothingIsReordered() throws Exception {
    connect(64 * 1024);
    int frames = 400;
    String body = filler(32 * 1024);
    for (int i = 0; i < frames; i++) {
      assertThat(client.send(Wire.frame("99|" + i + "|" + body + "|"))).isTrue();
    }
    // 12.8 MB sent, nothing read: far beyond loopback buffers, so frames are waiting in the client
    assertThat(client.queuedMessages()).isPositive();
    for (int i = 0; i < frames; i++) {
      assertThat(tws.read()).isEqualTo("99|" + i + "|" + body + "|");
    }
    Await.until("the backlog drained", Duration.ofSeconds(10), () -> client.queuedMessages() == 0);
    assertThat(client.sentMessages()).isEqualTo(1 + frames); // startApi plus ours
  }

  /** Senders on several threads racing for the direct path and the queue: each one's order holds. */
  @Test
  @Timeout(60)
  void framesFromManyThreadsKeepEachSendersOrder() throws Exception {
    connect(0);
    int threads = 4;
    int each = 3_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          // every 100th frame is large, so some writes are partial and go through the writer
          client.send(Wire.frame("98|" + id + "|" + i + "|" + (i % 100 == 0 ? filler(200_000) : "") + "|"));
        }
      }, "sender-" + t);
      th.start();
      senders.add(th);
    }
    go.countDown();
    int[] next = new int[threads];
    for (int n = 0; n < threads * each; n++) {
      String[] f = tws.read().split("\\|", -1);
      assertThat(f[0]).isEqualTo("98");
      int id = Integer.parseInt(f[1]);
      int i = Integer.parseInt(f[2]);
      assertThat(i).as("frame of sender %d", id).isEqualTo(next[id]);
      assertThat(f[3]).hasSize(i % 100 == 0 ? 200_000 : 0);
      next[id]++;
    }
    for (Thread th : senders) {
      th.join();
    }
    assertThat(next).containsOnly(each);
  }
}
