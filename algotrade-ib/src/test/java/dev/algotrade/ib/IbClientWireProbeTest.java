package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.ib.internal.Outgoing;
import dev.algotrade.ib.internal.WireProbe;
import dev.algotrade.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The benchmark hooks: the wire probe sees frames in and out, and pacing can be switched off. */
class IbClientWireProbeTest {

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

  private IbClient connect(int maxMessagesPerSecond, WireProbe probe) throws Exception {
    tws = new FakeTws();
    IbConfig config = IbConfig.builder().port(tws.port()).clientId(7).connectTimeout(Duration.ofSeconds(5))
        .maxMessagesPerSecond(maxMessagesPerSecond).build();
    client = IbClient.create(config, SimulatedClock.atDefaultStart());
    client.wireProbe(probe);
    client.start();
    tws.handshake("DU123456", 100);
    client.ready().get(5, TimeUnit.SECONDS);
    return client;
  }

  /** Records what it sees; called on the client's reader and writer threads. */
  private static final class RecordingProbe implements WireProbe {
    final AtomicInteger reads = new AtomicInteger();
    final List<String> written = new CopyOnWriteArrayList<>();
    final List<Long> writeTimes = new CopyOnWriteArrayList<>();

    @Override
    public void frameRead(long nanoTime) {
      reads.incrementAndGet();
    }

    @Override
    public void frameWritten(byte[] frame, long nanoTime) {
      written.add(new String(frame, 4, frame.length - 4, StandardCharsets.US_ASCII).replace('\0', '|'));
      writeTimes.add(nanoTime);
    }
  }

  @Test
  void theProbeSeesEveryDecodedFrameAndEveryQueuedFrameWritten() throws Exception {
    RecordingProbe probe = new RecordingProbe();
    connect(45, probe);
    // managedAccounts and nextValidId went through the read loop (the handshake reply does not)
    assertThat(probe.reads.get()).isEqualTo(2);
    long before = WireProbe.nanoTime();
    client.send(Outgoing.reqCurrentTime());
    client.send(Outgoing.reqPositions());
    assertThat(tws.read()).isEqualTo("49|1|");
    assertThat(tws.read()).isEqualTo("61|1|");
    Await.until("both frames seen by the probe", Duration.ofSeconds(5), () -> probe.written.size() == 2);
    assertThat(probe.written).containsExactly("49|1|", "61|1|");
    assertThat(probe.writeTimes.get(0)).isGreaterThanOrEqualTo(before);
    tws.send("49|1|1767600000|");
    Await.until("the third frame read", Duration.ofSeconds(5), () -> probe.reads.get() == 3);
    assertThat(client.decodedMessages()).isEqualTo(3);
  }

  @Test
  void removingTheProbeStopsTheCalls() throws Exception {
    RecordingProbe probe = new RecordingProbe();
    connect(45, probe);
    client.wireProbe(null);
    client.send(Outgoing.reqCurrentTime());
    assertThat(tws.read()).isEqualTo("49|1|");
    tws.send("49|1|1767600000|");
    Await.until("the frame decoded", Duration.ofSeconds(5), () -> client.decodedMessages() == 3);
    assertThat(probe.reads.get()).isEqualTo(2);
    assertThat(probe.written).isEmpty();
  }

  @Test
  void withPacingSwitchedOffNoMessageWaitsForThePacer() throws Exception {
    connect(1, WireProbe.NONE);
    client.switchOffPacingForBenchmark();
    for (int i = 0; i < 5; i++) {
      client.send(Outgoing.reqCurrentTime());
    }
    for (int i = 0; i < 5; i++) {
      assertThat(tws.read()).isEqualTo("49|1|");
    }
    // at 1 message a second, startApi then five more would have waited four times
    assertThat(client.pacerWaits()).isZero();
  }
}
