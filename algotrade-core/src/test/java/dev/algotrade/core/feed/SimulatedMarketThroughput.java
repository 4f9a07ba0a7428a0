package dev.algotrade.core.feed;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.Quote;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;

/**
 * Benchmark (a main, not a test): quotes per second from {@link SimulatedMarket#next()} on one
 * thread, median of 5 runs after warm-up, and bytes allocated per quote measured with
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}. Also prints the rate per
 * second of the thread's own CPU time, which is steadier than wall time on a shared machine
 * (it leaves out GC threads and time spent descheduled). Arguments: events per run (default
 * 50,000,000) and number of instruments (default 4).
 */
public final class SimulatedMarketThroughput {

  private SimulatedMarketThroughput() {}

  public static void main(String[] args) {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 50_000_000L;
    int instruments = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();

    double sink = 0;
    for (int i = 0; i < 3; i++) { // warm-up
      sink += run(events / 2, instruments)[0];
    }
    double[] rates = new double[5];
    double[] bytesPerEvent = new double[5];
    double[] cpuRates = new double[5];
    for (int i = 0; i < 5; i++) {
      long before = mx.getThreadAllocatedBytes(tid);
      long c0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      double[] r = run(events, instruments);
      long t1 = System.nanoTime();
      long c1 = mx.getCurrentThreadCpuTime();
      cpuRates[i] = events / ((c1 - c0) / 1e9);
      long after = mx.getThreadAllocatedBytes(tid);
      sink += r[0];
      rates[i] = events / ((t1 - t0) / 1e9);
      bytesPerEvent[i] = (after - before) / (double) events;
      System.out.printf("run %d: %.1f M quotes/s (%.1f M per CPU-second), %.1f bytes/quote%n",
          i + 1, rates[i] / 1e6, cpuRates[i] / 1e6, bytesPerEvent[i]);
    }
    Arrays.sort(rates);
    Arrays.sort(bytesPerEvent);
    Arrays.sort(cpuRates);
    System.out.printf("SimulatedMarket.next(): median %.1f M quotes/s wall, %.1f M quotes per CPU-second,"
        + " median %.1f bytes allocated per quote (%d instruments, %d quotes per run; checksum %.3f)%n",
        rates[2] / 1e6, cpuRates[2] / 1e6, bytesPerEvent[2], instruments, events, sink);
  }

  /** Drains {@code events} quotes; returns a checksum so the work cannot be optimised away. */
  private static double[] run(long events, int instruments) {
    SimulatedMarket.Builder b = SimulatedMarket.builder().seed(42).step(Duration.ofMillis(10)).limit(events);
    Instrument[] list = new Instrument[instruments];
    for (int i = 0; i < instruments; i++) {
      list[i] = Instrument.stock("SYM" + i);
      b.instrument(list[i], 50 + 10 * i);
    }
    SimulatedMarket m = b.build();
    for (Instrument i : list) {
      m.subscribe(i);
    }
    double sum = 0;
    long n = 0;
    Quote q;
    while ((q = m.next()) != null) {
      sum += q.bid() + q.askSize();
      n++;
    }
    if (n != events) {
      throw new AssertionError("expected " + events + " quotes, got " + n);
    }
    return new double[] {sum};
  }
}
