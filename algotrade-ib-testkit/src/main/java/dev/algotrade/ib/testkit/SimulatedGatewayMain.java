package dev.algotrade.ib.testkit;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link SimulatedGateway} from the command line until Ctrl+C.
 *
 * <pre>
 * --port 4002               TCP port on 127.0.0.1 (0 = ephemeral)
 * --symbols AAPL,MSFT       instruments (well-known conIds for AAPL, MSFT, SPY, IBM)
 * --seed 42                 random-walk seed
 * --quote-interval-ms 200   market step interval (0 = never step)
 * --account DU123456        managed account
 * --cash 1000000            starting cash
 * --server-version 178      highest server version negotiated (176..178)
 * </pre>
 *
 * Confined to the main thread.
 */
public final class SimulatedGatewayMain {

  private static final Map<String, Object[]> KNOWN = Map.of(
      "AAPL", new Object[] {265598, 190.0, "APPLE INC"},
      "MSFT", new Object[] {272093, 420.0, "MICROSOFT CORP"},
      "SPY", new Object[] {756733, 500.0, "SPDR S&P 500 ETF TRUST"},
      "IBM", new Object[] {8314, 180.0, "INTL BUSINESS MACHINES CORP"});

  private SimulatedGatewayMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      usage();
      return;
    }
    SimulatedGateway gateway;
    try {
      gateway = builderFor(args).build().start();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      usage();
      System.exit(2);
      return;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stop.countDown();
    }, "sim-gateway-shutdown"));
    System.out.println("Simulated IB gateway listening on " + gateway.host() + ":"
        + gateway.port() + " account=" + gateway.accountId() + " (Ctrl+C to stop)");
    stop.await();
  }

  /**
   * The gateway configuration the command line asks for.
   *
   * @throws IllegalArgumentException naming the bad option or value
   */
  static SimulatedGateway.Builder builderFor(String[] args) {
    int port = 4002;
    String symbols = "AAPL,MSFT";
    long seed = 42;
    long intervalMs = 200;
    String account = "DU123456";
    double cash = 1_000_000;
    int serverVersion = 178;
    for (int i = 0; i < args.length; i += 2) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for option " + a);
      }
      String v = args[i + 1];
      try {
        switch (a) {
          case "--port" -> port = Integer.parseInt(v);
          case "--symbols" -> symbols = v;
          case "--seed" -> seed = Long.parseLong(v);
          case "--quote-interval-ms" -> intervalMs = Long.parseLong(v);
          case "--account" -> account = v;
          case "--cash" -> cash = Double.parseDouble(v);
          case "--server-version" -> serverVersion = Integer.parseInt(v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("option " + a + " needs a number, was " + v, e);
      }
    }
    SimulatedGateway.Builder b = SimulatedGateway.builder().port(port).seed(seed)
        .account(account).startingCash(cash).quoteInterval(Duration.ofMillis(intervalMs))
        .serverVersion(serverVersion);
    int nextConId = 900_001;
    for (String raw : symbols.split(",")) {
      String s = raw.trim().toUpperCase(Locale.ROOT);
      if (s.isEmpty()) {
        continue;
      }
      Object[] k = KNOWN.get(s);
      if (k != null) {
        b.instrument(new SimInstrument(s, (Integer) k[0], 0.01, "SMART", "NASDAQ", "USD",
            (String) k[2], (Double) k[1]));
      } else {
        b.instrument(s, nextConId++, 0.01, 100.0);
      }
    }
    return b;
  }

  private static void usage() {
    System.out.println("usage: SimulatedGatewayMain [--port 4002] [--symbols AAPL,MSFT] "
        + "[--seed 42] [--quote-interval-ms 200] [--account DU123456] [--cash 1000000] "
        + "[--server-version 178]");
  }
}
