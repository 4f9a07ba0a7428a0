package dev.algotrade.core.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.FeedState;
import dev.algotrade.api.market.FeedStatus;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.MarketDataListener;
import dev.algotrade.api.market.Quote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReplayFeedTest {

  static final Instrument AAPL = Instrument.stock("AAPL");
  static final Instrument MSFT = Instrument.stock("MSFT");
  static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

  @TempDir Path dir;

  Path write(String name, String... lines) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  static List<MarketData> drain(CsvReplayFeed feed) {
    List<MarketData> out = new ArrayList<>();
    MarketData d;
    while ((d = feed.next()) != null) {
      out.add(d);
    }
    return out;
  }

  @Test
  void readsQuotesWithIsoAndEpochMillisTimesForSubscribedInstrumentsOnly() throws IOException {
    Path f = write("quotes.csv",
        "time,instrument,bid,ask,bid_size,ask_size",
        "2024-01-02T14:30:00Z,AAPL,190.01,190.02,100,200",
        "2024-01-02T14:30:00.500Z,MSFT,370.5,370.6,1,2",
        "",
        "1704205801000, AAPL ,190.03,190.05,0,7",
        "2024-01-02T14:30:02Z,AAPL,0,190.06,0,3");
    CsvReplayFeed feed = CsvReplayFeed.of(f);
    feed.subscribe(AAPL);
    assertThat(drain(feed)).containsExactly(
        new Quote(AAPL.id(), T0, 190.01, 190.02, 100, 200),
        new Quote(AAPL.id(), T0.plusSeconds(1), 190.03, 190.05, 0, 7),
        new Quote(AAPL.id(), T0.plusSeconds(2), 0, 190.06, 0, 3));
    assertThat(feed.next()).isNull();
    assertThat(feed.next()).isNull();
  }

  @Test
  void barsTakeTheirPeriodFromTheColumnOrTheBuilderAndAreTimedAtTheirClose() throws IOException {
    Path withColumn = write("bars1.csv",
        "time,instrument,open,high,low,close,volume,period_seconds",
        "2024-01-02T14:30:00Z,AAPL,10,11,9,10.5,1000,60",
        "2024-01-02T14:31:00Z,AAPL,10.5,10.5,10,10,0,0.5");
    Path without = write("bars2.csv",
        "instrument,time,volume,open,high,low,close", // any column order
        "MSFT,2024-01-02T14:30:00Z,5,20,21,19,20");
    CsvReplayFeed feed = CsvReplayFeed.builder().file(withColumn).file(without).barPeriod(Duration.ofMinutes(5)).build();
    feed.subscribe(AAPL);
    feed.subscribe(MSFT);
    List<MarketData> all = drain(feed);
    assertThat(all).containsExactly(
        new Bar(AAPL.id(), T0, Duration.ofMinutes(1), 10, 11, 9, 10.5, 1000),
        new Bar(AAPL.id(), T0.plusSeconds(60), Duration.ofMillis(500), 10.5, 10.5, 10, 10, 0),
        new Bar(MSFT.id(), T0, Duration.ofMinutes(5), 20, 21, 19, 20, 5));
  }

  @Test
  void mergesFilesByEventTimeWithTiesToTheFirstFile() throws IOException {
    Path quotes = write("q.csv",
        "time,instrument,bid,ask,bid_size,ask_size",
        "2024-01-02T14:30:30Z,AAPL,1,2,1,1",
        "2024-01-02T14:31:00Z,AAPL,1,2,1,1",
        "2024-01-02T14:31:30Z,AAPL,1,2,1,1");
    Path bars = write("b.csv",
        "time,instrument,open,high,low,close,volume,period_seconds",
        "2024-01-02T14:30:00Z,AAPL,1,1,1,1,1,60",
        "2024-01-02T14:31:00Z,AAPL,1,1,1,1,1,60");
    CsvReplayFeed feed = CsvReplayFeed.builder().file(quotes).file(bars).build();
    feed.subscribe(AAPL);
    List<MarketData> all = drain(feed);
    assertThat(all).extracting(d -> d.getClass().getSimpleName() + "@" + d.time()).containsExactly(
        "Quote@2024-01-02T14:30:30Z",
        "Quote@2024-01-02T14:31:00Z",
        "Bar@2024-01-02T14:31:00Z",
        "Quote@2024-01-02T14:31:30Z",
        "Bar@2024-01-02T14:32:00Z");
  }

  @Test
  void aBadFieldIsReportedWithFileLineAndField() throws IOException {
    Path f = write("quotes.csv",
        "time,instrument,bid,ask,bid_size,ask_size",
        "2024-01-02T14:30:00Z,AAPL,190.01,190.02,100,200",
        "2024-01-02T14:30:01Z,AAPL,abc,190.02,100,200");
    CsvReplayFeed feed = CsvReplayFeed.of(f);
    feed.subscribe(AAPL);
    assertThat(feed.next()).isNotNull();
    assertThatThrownBy(feed::next)
        .isInstanceOf(CsvFormatException.class)
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("quotes.csv line 3 field bid: 'abc' is not a number")
        .satisfies(e -> {
          CsvFormatException c = (CsvFormatException) e;
          assertThat(c.line()).isEqualTo(3);
          assertThat(c.field()).isEqualTo("bid");
          assertThat(c.file()).isEqualTo(f);
        });
  }

  @Test
  void eachKindOfBadRowNamesWhereItIs() throws IOException {
    String q = "time,instrument,bid,ask,bid_size,ask_size";
    assertThat(firstError(write("a.csv", q, "yesterday,AAPL,1,2,1,1")))
        .isEqualTo("a.csv line 2 field time: 'yesterday' is neither an ISO-8601 instant (e.g. 2024-01-02T14:30:00Z) nor epoch milliseconds");
    assertThat(firstError(write("b.csv", q, "2024-01-02T14:30:00Z,AA PL,1,2,1,1")))
        .startsWith("b.csv line 2 field instrument: 'AA PL' is not a valid instrument id");
    assertThat(firstError(write("c.csv", q, "2024-01-02T14:30:00Z,AAPL,1,-2,1,1")))
        .isEqualTo("c.csv line 2 field ask: '-2' must be >= 0");
    assertThat(firstError(write("d.csv", q, "2024-01-02T14:30:00Z,AAPL,1,2,1")))
        .isEqualTo("d.csv line 2: expected 6 fields, found 5");
    assertThat(firstError(write("e.csv", q, "2024-01-02T14:30:00Z,AAPL,1,2,1,1,9")))
        .isEqualTo("e.csv line 2: expected 6 fields, found more");
    assertThat(firstError(write("f.csv", q, "2024-01-02T14:30:00Z,AAPL,1,2,1,NaN")))
        .isEqualTo("f.csv line 2 field ask_size: 'NaN' is not a finite number");
    String b = "time,instrument,open,high,low,close,volume,period_seconds";
    assertThat(firstError(write("g.csv", b, "2024-01-02T14:30:00Z,AAPL,10,9,11,10,1,60")))
        .startsWith("g.csv line 2: Bar prices must satisfy low <= open, close <= high");
    assertThat(firstError(write("h.csv", b, "2024-01-02T14:30:00Z,AAPL,10,11,9,10,1,-60")))
        .startsWith("h.csv line 2 field period_seconds: '-60' is not a positive number of seconds");
    assertThat(firstError(write("i.csv", b, "2024-01-02T14:30:00Z,AAPL,0,11,9,10,1,60")))
        .isEqualTo("i.csv line 2 field open: '0' must be > 0");
  }

  @Test
  void rowsOutOfTimeOrderAreRejectedNamingBothLines() throws IOException {
    Path f = write("late.csv",
        "time,instrument,bid,ask,bid_size,ask_size",
        "2024-01-02T14:30:05Z,AAPL,1,2,1,1",
        "2024-01-02T14:30:05Z,MSFT,1,2,1,1",
        "2024-01-02T14:30:04Z,MSFT,1,2,1,1");
    assertThat(firstError(f)).isEqualTo("late.csv line 4 field time: event time 2024-01-02T14:30:04Z"
        + " is before 2024-01-02T14:30:05Z on line 3; rows must be in time order");
  }

  @Test
  void badHeadersFailAtBuild() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.csv"));
    assertThatThrownBy(() -> CsvReplayFeed.of(empty))
        .isInstanceOf(CsvFormatException.class).hasMessageStartingWith("empty.csv line 1: no header line");
    assertThatThrownBy(() -> CsvReplayFeed.of(write("blank.csv", "")))
        .isInstanceOf(CsvFormatException.class).hasMessageStartingWith("blank.csv line 1: no header line");
    assertThatThrownBy(() -> CsvReplayFeed.of(write("x.csv", "when,what")))
        .hasMessageStartingWith("x.csv line 1: header 'when,what' is neither quotes");
    assertThatThrownBy(() -> CsvReplayFeed.of(write("y.csv", "time,instrument,bid,ask,bid_size")))
        .hasMessageStartingWith("y.csv line 1 field ask_size: missing from header");
    assertThatThrownBy(() -> CsvReplayFeed.of(write("z.csv", "time,instrument,bid,ask,bid_size,ask_size,venue")))
        .hasMessageStartingWith("z.csv line 1 field venue: unknown column");
    assertThatThrownBy(() -> CsvReplayFeed.of(write("w.csv", "time,instrument,open,high,low,close,volume")))
        .hasMessage("w.csv line 1: bars need a period: add a period_seconds column or set CsvReplayFeed.builder().barPeriod(..)");
    assertThatThrownBy(() -> CsvReplayFeed.builder().build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("at least one file");
    assertThatThrownBy(() -> CsvReplayFeed.builder().file(dir.resolve("missing.csv")))
        .hasMessageContaining("must be a readable file");
    assertThatThrownBy(() -> CsvReplayFeed.builder().speed(-1))
        .hasMessage("CsvReplayFeed.speed must be > 0 (Infinity = as fast as possible), was -1.0");
  }

  @Test
  void readsLazilySoALateBadRowOnlyFailsWhenReached() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("time,instrument,bid,ask,bid_size,ask_size");
    for (int i = 0; i < 50_000; i++) {
      lines.add(T0.plusMillis(i) + ",AAPL,1,2,1,1");
    }
    lines.add("garbage");
    CsvReplayFeed feed = CsvReplayFeed.of(write("long.csv", lines.toArray(new String[0])));
    feed.subscribe(AAPL);
    assertThat(feed.next()).isEqualTo(new Quote(AAPL.id(), T0, 1, 2, 1, 1));
    int n = 1;
    try {
      while (feed.next() != null) {
        n++;
      }
      throw new AssertionError("the bad row was not reported");
    } catch (CsvFormatException e) {
      assertThat(e.line()).isEqualTo(50_002);
    }
    assertThat(n).isEqualTo(50_000);
  }

  @Test
  void liveStartDeliversEverythingThenReportsTheEnd() throws Exception {
    Path f = write("quotes.csv",
        "time,instrument,bid,ask,bid_size,ask_size",
        "2024-01-02T14:30:00Z,AAPL,1,2,1,1",
        "2024-01-02T14:30:01Z,MSFT,1,2,1,1",
        "2024-01-02T14:30:02Z,AAPL,1,2,1,1");
    CsvReplayFeed feed = CsvReplayFeed.builder().file(f).name("rec").asFastAsPossible().build();
    feed.subscribe(AAPL);
    Listener l = new Listener();
    feed.start(l);
    assertThat(l.ended.await(10, TimeUnit.SECONDS)).isTrue();
    feed.stop();
    assertThat(l.data).extracting(MarketData::time).containsExactly(T0, T0.plusSeconds(2));
    assertThat(l.statuses).extracting(FeedStatus::state).containsExactly(FeedState.CONNECTED, FeedState.STOPPED);
    assertThat(l.statuses.get(1).detail()).isEqualTo("end of data after 2 events");
    assertThat(l.statuses).extracting(FeedStatus::feed).containsOnly("rec");
    assertThatThrownBy(feed::next).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void liveBadRowEndsWithADisconnectedStatusNamingTheLine() throws Exception {
    Path f = write("bad.csv",
        "time,instrument,bid,ask,bid_size,ask_size",
        "2024-01-02T14:30:00Z,AAPL,1,2,1,1",
        "2024-01-02T14:30:01Z,AAPL,x,2,1,1");
    CsvReplayFeed feed = CsvReplayFeed.builder().file(f).asFastAsPossible().build();
    feed.subscribe(AAPL);
    Listener l = new Listener();
    feed.start(l);
    assertThat(l.ended.await(10, TimeUnit.SECONDS)).isTrue();
    feed.stop();
    assertThat(l.data).hasSize(1);
    FeedStatus last = l.statuses.get(l.statuses.size() - 1);
    assertThat(last.state()).isEqualTo(FeedState.DISCONNECTED);
    assertThat(last.detail()).contains("bad.csv line 3 field bid");
  }

  @Test
  void writerOutputReplaysToTheSameEvents() throws IOException {
    Path qf = dir.resolve("w-quotes.csv");
    Path bf = dir.resolve("w-bars.csv");
    List<MarketData> written = new ArrayList<>();
    try (CsvWriter quotes = CsvWriter.quotes(qf); CsvWriter bars = CsvWriter.bars(bf)) {
      double[] prices = {190.01, 1e-7, 12_345_678.5, 0.1 + 0.2, 3e20, 100};
      for (int i = 0; i < prices.length; i++) {
        Quote q = new Quote(InstrumentId.of(i % 2 == 0 ? "AAPL" : "MSFT"), T0.plusNanos(1_000_123L * i),
            prices[i], prices[i] + 0.01, i, 1.5 * i);
        quotes.write(q);
        written.add(q);
      }
      Bar bar = new Bar(AAPL.id(), T0, Duration.ofMillis(1500), 10, 12.25, 9.5, 11, 12345.5);
      bars.write((MarketData) bar);
      written.add(bar);
      assertThat(quotes.rows()).isEqualTo(6);
      assertThatThrownBy(() -> quotes.write(bar)).isInstanceOf(IllegalStateException.class);
    }
    assertThat(Files.readAllLines(bf).get(0)).isEqualTo("time,instrument,open,high,low,close,volume,period_seconds");
    assertThat(Files.readAllLines(bf).get(1)).isEqualTo("2024-01-02T14:30:00Z,AAPL,10,12.25,9.5,11,12345.5,1.5");
    assertThat(String.join("\n", Files.readAllLines(qf))).doesNotContain("E");
    CsvReplayFeed feed = CsvReplayFeed.builder().file(qf).file(bf).build();
    feed.subscribe(AAPL);
    feed.subscribe(MSFT);
    assertThat(drain(feed)).containsExactlyInAnyOrderElementsOf(written);
  }

  private String firstError(Path f) {
    CsvReplayFeed feed = CsvReplayFeed.of(f);
    feed.subscribe(AAPL);
    feed.subscribe(MSFT);
    try {
      drain(feed);
    } catch (CsvFormatException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for " + f);
  }

  static final class Listener implements MarketDataListener {
    final List<MarketData> data = new CopyOnWriteArrayList<>();
    final List<FeedStatus> statuses = new CopyOnWriteArrayList<>();
    final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public void onMarketData(MarketData d) {
      data.add(d);
    }

    @Override
    public void onFeedStatus(FeedStatus s) {
      statuses.add(s);
      if (s.state() != FeedState.CONNECTED) {
        ended.countDown();
      }
    }
  }
}
