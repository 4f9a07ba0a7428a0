package dev.algotrade.examples.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * What one small loopback write costs the writing thread on this machine, depending on what that
 * thread does between writes: park (as an idle engine does) or keep its core busy (as a spinning
 * engine does). The peer is a thread blocked in {@code read}, as TWS's reader is, so each write
 * wakes it. Not our code path: a measurement of the machine that explains the tick-to-order
 * figures in docs/performance.md (on the reference VM, waking a thread on the other, idle virtual
 * CPU costs the waker tens of microseconds; a waker that parks right after lets the woken thread
 * run on its own CPU instead).
 *
 * <pre>
 * java -cp examples/target/test-classes dev.algotrade.examples.bench.LoopbackWriteProbe [writes]
 * </pre>
 *
 * <p>A main, not a test: it asserts nothing about time.
 */
public final class LoopbackWriteProbe {

  private LoopbackWriteProbe() {}

  public static void main(String[] args) throws Exception {
    int writes = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    System.out.printf(Locale.ROOT, "loopback write of 200 bytes to a peer blocked in read, one write per ms, %,d writes"
        + " (first 10%% dropped); host: %s%n", writes, HostIdle.describe());
    for (String mode : new String[] {"park", "spin", "yield"}) {
      long[] d = run(mode, writes);
      int from = d.length / 10;
      Arrays.sort(d, from, d.length);
      int n = d.length - from;
      System.out.printf(Locale.ROOT, "  writer %-5s between writes: p50 %6.1f  p90 %6.1f  p99 %6.1f us%n", mode,
          d[from + n / 2] / 1e3, d[from + n * 9 / 10] / 1e3, d[from + n * 99 / 100] / 1e3);
    }
  }

  private static long[] run(String mode, int writes) throws IOException, InterruptedException {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (SocketChannel out = SocketChannel.open(server.getLocalAddress()); SocketChannel peer = server.accept()) {
        out.setOption(StandardSocketOptions.TCP_NODELAY, true);
        out.configureBlocking(false);
        Thread reader = new Thread(() -> {
          ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
          try {
            while (peer.read(b.clear()) >= 0) {
              // drain
            }
          } catch (IOException e) {
            // closed: done
          }
        }, "peer-reader");
        reader.setDaemon(true);
        reader.start();
        byte[] frame = new byte[200];
        long[] d = new long[writes];
        for (int i = 0; i < writes; i++) {
          ByteBuffer b = ByteBuffer.wrap(frame);
          long t0 = System.nanoTime();
          while (b.hasRemaining()) {
            out.write(b);
          }
          d[i] = System.nanoTime() - t0;
          long next = t0 + 1_000_000;
          switch (mode) {
            case "park" -> LockSupport.parkNanos(next - System.nanoTime());
            case "spin" -> {
              while (System.nanoTime() < next) {
                Thread.onSpinWait();
              }
            }
            default -> {
              while (System.nanoTime() < next) {
                Thread.yield();
              }
            }
          }
        }
        return d;
      }
    }
  }
}
