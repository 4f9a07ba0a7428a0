package dev.algotrade.testkit;

import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.MarketDataFeed;
import dev.algotrade.api.market.Quote;
import dev.algotrade.core.feed.CsvReplayFeed;
import dev.algotrade.core.feed.CsvWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV replay against the feed contract: a quotes file (AAPL, MSFT) and a bars file (MSFT)
 * written by {@link CsvWriter}, 3,000 seconds of data replayed live at 1000x.
 */
class CsvReplayFeedContractTest extends FeedContractTest {

  static final Instrument AAPL = Instrument.stock("AAPL");
  static final Instrument MSFT = Instrument.stock("MSFT");
  static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  @TempDir Path dir;
  Path quotes;
  Path bars;

  @BeforeEach
  void writeFiles() throws IOException {
    quotes = dir.resolve("quotes.csv");
    bars = dir.resolve("bars.csv");
    try (CsvWriter q = CsvWriter.quotes(quotes); CsvWriter b = CsvWriter.bars(bars)) {
      for (int i = 0; i < 3_000; i++) {
        Instant t = T0.plusSeconds(i);
        double p = 100 + (i % 50) * 0.01;
        q.write(new Quote(AAPL.id(), t, p, p + 0.01, 100, 200));
        q.write(new Quote(MSFT.id(), t, 2 * p, 2 * p + 0.02, 10, 20));
        if (i % 60 == 0) {
          b.write(new Bar(MSFT.id(), t, Duration.ofMinutes(1), 2 * p, 2 * p + 1, 2 * p - 1, 2 * p, 1_000));
        }
      }
    }
  }

  @Override
  protected MarketDataFeed createFeed() {
    return CsvReplayFeed.builder().name("csv-contract").file(quotes).file(bars).speed(1000).build();
  }

  @Override
  protected List<Instrument> instruments() {
    return List.of(AAPL, MSFT);
  }
}
