package dev.algotrade.core;

import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.Alerter;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.strategy.Strategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * Child JVM for {@link AbnormalExitChildJvmTest}: starts a live system whose alert channel
 * appends to a file, then either exits with {@code System.exit(3)} while it runs ({@code exit})
 * or stops it gracefully first ({@code graceful}).
 */
final class ExitChild {

  private ExitChild() {}

  public static void main(String[] args) {
    Path alerts = Path.of(args[0]);
    Alerter toFile = new Alerter() {
      @Override
      public void send(Alert a) {
        try {
          Files.writeString(alerts, a.severity() + " " + a.title() + "\n", StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    Instrument aapl = Instrument.stock("AAPL");
    TradingSystem sys = TradingSystem.builder().instrument(aapl).strategy(new Strategy() {})
        .feed(new ListFeed(ListFeed.quotes(aapl.id(), Instant.parse("2024-01-02T14:30:00Z"), 100)))
        .alerter(toFile).killSwitchFile(null).build();
    sys.start();
    if (args[1].equals("graceful")) {
      sys.stop("test");
      sys.awaitTermination(Duration.ofSeconds(20));
      System.exit(0);
    }
    System.exit(3);
  }
}
