package dev.algotrade.examples;

import dev.algotrade.core.TradingSystem;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl+C (SIGINT) and SIGTERM stop the system gracefully and let {@code main} return, so the
 * process exits with code 0 after the store is flushed. Where the JVM does not allow signal
 * handlers, a shutdown hook still stops the system gracefully (the exit code is then the
 * JVM's).
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  static void stopOnCtrlC(TradingSystem system) {
    boolean handled = false;
    try {
      for (String name : new String[] {"INT", "TERM"}) {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
          log.info("signal received, stopping gracefully signal=SIG{}", sig.getName());
          system.stop("SIG" + sig.getName());
        });
      }
      handled = true;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      log.warn("cannot install signal handlers; relying on a shutdown hook error={}", e.toString());
    }
    // a hard exit path (System.exit elsewhere, or no signal handler): still stop gracefully
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      system.stop("JVM shutdown");
      system.awaitTermination(Duration.ofSeconds(30));
    }, "algotrade-shutdown"));
    if (handled) {
      log.debug("signal handlers installed for SIGINT and SIGTERM");
    }
  }
}
