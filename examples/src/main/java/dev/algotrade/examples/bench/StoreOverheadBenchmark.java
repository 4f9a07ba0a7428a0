package dev.algotrade.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What attaching the SQLite store costs the engine's replay (issue 4: less than 20%), measured
 * the way that survives this kind of machine: {@link ReplayBenchmark} in separate JVMs, one
 * without a store and one with it, as pairs back to back, the order flipped every pair so that
 * a drift of the machine does not favour one side. Each JVM has a fixed, pre-touched heap (a
 * growing heap left cold between collections made runs of the same code differ by a factor of
 * four on a VM that reclaims cold pages).
 *
 * <p>Why pairs of JVMs and not one: the same no-store code gives 9 M quotes/s in one JVM and
 * 11.7 M in the next (compilation differs from JVM to JVM), more than the store's cost; only
 * the median over several JVMs of each kind says something.
 *
 * <p>Prints each JVM's medians, each pair's difference, then the medians over all JVMs of each
 * kind and how much slower the store's median is, by wall clock and per CPU-second of the replay
 * thread.
 *
 * <p>Run it in a JVM of its own ({@code exec:exec}, not {@code exec:java}: the replay JVMs get this
 * JVM's class path): {@code ./mvnw -q -pl examples -am package -DskipTests exec:exec
 * -Dexec.executable=java -Dexec.args="-cp %classpath dev.algotrade.examples.bench.StoreOverheadBenchmark 10"}
 * (arguments: pairs (10), quotes per replay (10,000,000), measured runs per JVM (5), warm-up
 * runs per JVM (8), heap (2g)). Ten pairs take about 20 minutes on two cores; run it on a quiet
 * machine.
 */
public final class StoreOverheadBenchmark {
  private StoreOverheadBenchmark() {}

  private static final Pattern MEDIAN =
      Pattern.compile("^median: ([\\d,]+) quote events/s wall, ([\\d,]+) per CPU-second");

  /** One JVM's medians: quote events per wall second and per CPU-second of the replay thread. */
  record Result(double wall, double cpu) {}

  public static void main(String[] args) throws InterruptedException {
    int pairs = args.length > 0 ? positive("pairs", args[0]) : 10;
    int quotes = args.length > 1 ? positive("quotes", args[1].replace("_", "")) : 10_000_000;
    int runs = args.length > 2 ? positive("runs", args[2]) : 5;
    int warmups = args.length > 3 ? positive("warmups", args[3]) : 8;
    String heap = args.length > 4 ? args[4] : "2g";
    checkClassPath();
    if (!heap.matches("\\d+[mMgG]")) {
      throw new IllegalArgumentException("heap must look like 2g or 1536m, was '" + heap + "'");
    }
    System.out.printf(Locale.ROOT, "store overhead: %d pairs of JVMs, %,d quotes, %d warm-up + %d measured runs each,"
        + " heap %s, java %s, load average at start %s%n", pairs, quotes, warmups, runs, heap,
        System.getProperty("java.version"), loadAverage());
    List<Result> none = new ArrayList<>();
    List<Result> store = new ArrayList<>();
    for (int p = 1; p <= pairs; p++) {
      boolean noneFirst = p % 2 == 1;
      Result a = replay(noneFirst ? "none" : "store", quotes, runs, warmups, heap);
      Result b = replay(noneFirst ? "store" : "none", quotes, runs, warmups, heap);
      Result n = noneFirst ? a : b;
      Result s = noneFirst ? b : a;
      none.add(n);
      store.add(s);
      System.out.printf(Locale.ROOT, "pair %2d: none %5.2f M wall / %5.2f M per CPU-s, store %5.2f M / %5.2f M,"
          + " store slower by %5.1f%% wall / %5.1f%% CPU (load %s)%n", p, n.wall / 1e6, n.cpu / 1e6, s.wall / 1e6,
          s.cpu / 1e6, slower(n.wall, s.wall), slower(n.cpu, s.cpu), loadAverage());
    }
    double noneWall = ReplayBenchmark.median(none.stream().mapToDouble(Result::wall).toArray());
    double noneCpu = ReplayBenchmark.median(none.stream().mapToDouble(Result::cpu).toArray());
    double storeWall = ReplayBenchmark.median(store.stream().mapToDouble(Result::wall).toArray());
    double storeCpu = ReplayBenchmark.median(store.stream().mapToDouble(Result::cpu).toArray());
    double[] pairWall = new double[pairs];
    double[] pairCpu = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      pairWall[i] = slower(none.get(i).wall, store.get(i).wall);
      pairCpu[i] = slower(none.get(i).cpu, store.get(i).cpu);
    }
    System.out.printf(Locale.ROOT, "median over %d JVMs each: none %.2f M wall / %.2f M per CPU-s, store %.2f M / %.2f M%n",
        pairs, noneWall / 1e6, noneCpu / 1e6, storeWall / 1e6, storeCpu / 1e6);
    System.out.printf(Locale.ROOT, "store slower by %.1f%% wall / %.1f%% per CPU-second (medians);"
        + " median of the pairs %.1f%% / %.1f%%, pairs range %.1f%% to %.1f%% wall, %.1f%% to %.1f%% CPU%n",
        slower(noneWall, storeWall), slower(noneCpu, storeCpu), ReplayBenchmark.median(pairWall),
        ReplayBenchmark.median(pairCpu), min(pairWall), max(pairWall), min(pairCpu), max(pairCpu));
  }

  /** Runs {@link ReplayBenchmark} in a fresh JVM and returns its medians. */
  static Result replay(String mode, int quotes, int runs, int warmups, String heap) throws InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = List.of(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch", "-cp",
        System.getProperty("java.class.path"), ReplayBenchmark.class.getName(), Integer.toString(quotes),
        Integer.toString(runs), Integer.toString(warmups), mode);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // per-order INFO lines would measure the log file, not the engine
    pb.environment().put("ALGOTRADE_LOG_LEVEL", "WARN");
    Result result = null;
    List<String> tail = new ArrayList<>();
    try {
      Process proc = pb.start();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          Matcher m = MEDIAN.matcher(line);
          if (m.find()) {
            result = new Result(number(m.group(1)), number(m.group(2)));
          }
          tail.add(line);
          if (tail.size() > 20) {
            tail.remove(0);
          }
        }
      }
      int exit = proc.waitFor();
      if (exit != 0 || result == null) {
        throw new IllegalStateException("replay JVM (" + mode + ") exited with " + exit
            + (result == null ? " and printed no median" : "") + "; its last lines:\n" + String.join("\n", tail));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the replay JVM: " + cmd, e);
    }
    return result;
  }

  /** The replay JVMs get this JVM's class path: it must hold the benchmark (not so under {@code exec:java}). */
  private static void checkClassPath() {
    String classPath = System.getProperty("java.class.path", "");
    String own;
    try {
      own = java.nio.file.Path.of(ReplayBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return; // cannot tell; a wrong class path still fails loudly in the first replay JVM
    }
    if (!classPath.contains(own)) {
      throw new IllegalStateException("the class path of this JVM does not hold the benchmark (" + own + "), so the"
          + " replay JVMs could not run it; start this main in its own JVM (exec:exec with -cp %classpath), not"
          + " with exec:java");
    }
  }

  private static double number(String s) {
    return Double.parseDouble(s.replace(",", ""));
  }

  /** How much slower {@code with} is than {@code without}, in percent (negative: faster). */
  static double slower(double without, double with) {
    return 100.0 * (without - with) / without;
  }

  private static int positive(String name, String value) {
    int v;
    try {
      v = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a positive whole number, was '" + value + "'", e);
    }
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be a positive whole number, was '" + value + "'");
    }
    return v;
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static double min(double[] v) {
    return java.util.Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return java.util.Arrays.stream(v).max().orElse(Double.NaN);
  }
}
