package dev.algotrade.ib.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Decode throughput for a realistic tick mix (not a test; run its main). Builds 1,000,000
 * frames in memory: 45% tickPrice, 38% tickSize, 6% tickString (RT volume / last timestamp),
 * 4% tickGeneric, 4% orderStatus, 2% errMsg, 1% execDetails; then, on one thread, decodes them
 * (a) straight from the byte array (decoder only) and (b) through {@link FrameReader} over an
 * in-memory stream (framing + decoder). Prints the median of 5 timed runs after 5 warm-up runs.
 *
 * <p>Run: {@code java -cp <test classpath> dev.algotrade.ib.internal.DecoderBenchmark}
 */
public final class DecoderBenchmark {

  private static final int MESSAGES = 1_000_000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** Throughput by thread CPU time of the last run (fair on a shared, oversubscribed machine). */
  private static double lastCpuRate;

  /** Consumes every value so nothing is optimised away. */
  static final class Sink implements IbHandler {
    double sum;
    long count;

    @Override
    public void tickPrice(int tickerId, int tickType, double price, double size, int attrMask) {
      sum += price + tickerId + tickType + attrMask;
      count++;
    }

    @Override
    public void tickSize(int tickerId, int tickType, double size) {
      sum += size + tickerId;
      count++;
    }

    @Override
    public void tickString(int tickerId, int tickType, String value) {
      sum += value.length();
      count++;
    }

    @Override
    public void tickGeneric(int tickerId, int tickType, double value) {
      sum += value;
      count++;
    }

    @Override
    public void orderStatus(Inbound.OrderStatus msg) {
      sum += msg.filled();
      count++;
    }

    @Override
    public boolean error(int id, int code, String text, String json) {
      sum += code;
      count++;
      return true;
    }

    @Override
    public void execDetails(Inbound.ExecDetails msg) {
      sum += msg.shares();
      count++;
    }
  }

  public static void main(String[] args) throws IOException {
    byte[] stream = build(new Random(42));
    int[] offsets = new int[MESSAGES];
    int[] lengths = new int[MESSAGES];
    int pos = 0;
    for (int i = 0; i < MESSAGES; i++) {
      int n = ((stream[pos] & 0xff) << 24) | ((stream[pos + 1] & 0xff) << 16) | ((stream[pos + 2] & 0xff) << 8)
          | (stream[pos + 3] & 0xff);
      offsets[i] = pos + 4;
      lengths[i] = n;
      pos += 4 + n;
    }
    System.out.printf("IB decoder benchmark: %,d messages, %,d bytes (%.1f bytes/message), java %s%n", MESSAGES,
        stream.length, stream.length / (double) MESSAGES, System.getProperty("java.version"));
    double[] direct = new double[5];
    double[] directCpu = new double[5];
    double[] framed = new double[5];
    double[] framedCpu = new double[5];
    for (int round = -5; round < 5; round++) {
      double d = runDirect(stream, offsets, lengths);
      double dc = lastCpuRate;
      double f = runFramed(stream);
      double fc = lastCpuRate;
      if (round >= 0) {
        direct[round] = d;
        directCpu[round] = dc;
        framed[round] = f;
        framedCpu[round] = fc;
      }
    }
    Arrays.sort(direct);
    Arrays.sort(directCpu);
    Arrays.sort(framed);
    Arrays.sort(framedCpu);
    System.out.printf("decoder only      wall: median %.2f M msg/s (runs %s)%n", direct[2] / 1e6, fmt(direct));
    System.out.printf("decoder only      cpu : median %.2f M msg/s (runs %s)%n", directCpu[2] / 1e6, fmt(directCpu));
    System.out.printf("framing + decoder wall: median %.2f M msg/s (runs %s)%n", framed[2] / 1e6, fmt(framed));
    System.out.printf("framing + decoder cpu : median %.2f M msg/s (runs %s)%n", framedCpu[2] / 1e6, fmt(framedCpu));
  }

  private static String fmt(double[] v) {
    StringBuilder sb = new StringBuilder();
    for (double x : v) {
      sb.append(String.format("%.2f ", x / 1e6));
    }
    return sb.toString().trim();
  }

  private static double runDirect(byte[] stream, int[] offsets, int[] lengths) {
    Decoder d = new Decoder();
    Sink sink = new Sink();
    long c0 = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < offsets.length; i++) {
      d.decode(stream, offsets[i], lengths[i], sink);
    }
    long t1 = System.nanoTime();
    lastCpuRate = offsets.length / ((THREADS.getCurrentThreadCpuTime() - c0) / 1e9);
    check(sink);
    return offsets.length / ((t1 - t0) / 1e9);
  }

  private static double runFramed(byte[] stream) throws IOException {
    Decoder d = new Decoder();
    Sink sink = new Sink();
    FrameReader r = new FrameReader(new ByteArrayInputStream(stream), FrameReader.HARD_MAX_LENGTH);
    long c0 = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < MESSAGES; i++) {
      r.next();
      d.decode(r.buffer(), 0, r.length(), sink);
    }
    long t1 = System.nanoTime();
    lastCpuRate = MESSAGES / ((THREADS.getCurrentThreadCpuTime() - c0) / 1e9);
    check(sink);
    return MESSAGES / ((t1 - t0) / 1e9);
  }

  private static void check(Sink sink) {
    if (sink.count != MESSAGES || Double.isNaN(sink.sum)) {
      throw new AssertionError("decoded " + sink.count + " of " + MESSAGES);
    }
  }

  private static byte[] build(Random rnd) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(MESSAGES * 32);
    for (int i = 0; i < MESSAGES; i++) {
      int k = rnd.nextInt(100);
      int ticker = 1000 + rnd.nextInt(50);
      String price = String.format("%d.%02d", 100 + rnd.nextInt(400), rnd.nextInt(100));
      String p;
      if (k < 45) {
        int type = new int[] {1, 2, 4}[rnd.nextInt(3)];
        p = "1|6|" + ticker + "|" + type + "|" + price + "|" + (1 + rnd.nextInt(900)) + "|" + rnd.nextInt(2) + "|";
      } else if (k < 83) {
        int type = new int[] {0, 3, 5, 8}[rnd.nextInt(4)];
        p = "2|6|" + ticker + "|" + type + "|" + (1 + rnd.nextInt(90000)) + "|";
      } else if (k < 89) {
        p = rnd.nextBoolean() ? "46|6|" + ticker + "|45|1704205865|"
            : "46|6|" + ticker + "|48|" + price + ";100;1704205865123;2372900;150.2184;true|";
      } else if (k < 93) {
        p = "45|6|" + ticker + "|49|0.0|";
      } else if (k < 97) {
        p = "3|" + (100 + rnd.nextInt(20)) + "|Submitted|40|60|" + price + "|1376541291|0|" + price + "|7||0.0|";
      } else if (k < 99) {
        p = "4|2|-1|2104|Market data farm connection is OK:usfarm||";
      } else {
        p = "11|-1|101|265598|AAPL|STK||0.0|||SMART|USD|AAPL|NMS|0000e0d5.6571bd4c.01.01|20240102 09:31:05 US/Eastern"
            + "|DU123456|ISLAND|BOT|40|" + price + "|1376541291|7|0|40|" + price + "|c-1||||1|0|";
      }
      byte[] b = p.replace('|', '\0').getBytes(StandardCharsets.US_ASCII);
      out.write(b.length >>> 24);
      out.write(b.length >>> 16);
      out.write(b.length >>> 8);
      out.write(b.length);
      out.write(b);
    }
    return out.toByteArray();
  }
}
