package dev.algotrade.ib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.core.time.SimulatedClock;
import dev.algotrade.ib.internal.Inbound;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IbHistoryTest {

  private static final InstrumentId AAPL = InstrumentId.of("AAPL");
  private static final ZoneId NY = ZoneId.of("America/New_York");

  @Test
  void barsFromEpochDailyAndTextDates() {
    List<Bar> bars = IbHistory.toBars(AAPL, BarSize.MINUTES_1, List.of(
        new Inbound.HistoricalBar("1704205800", 150.0, 150.5, 149.9, 150.25, 1200, 150.2, 35),
        new Inbound.HistoricalBar("20240102 09:31:00 US/Eastern", 150.25, 150.75, 150.1, 150.7, 800, 150.4, 20),
        new Inbound.HistoricalBar("20240102  09:32:00", 150.7, 150.8, 150.6, 150.7, -1, -1, 0),
        new Inbound.HistoricalBar("1704205980", -1, -1, -1, -1, 0, 0, 0)), NY);
    assertThat(bars).containsExactly(
        new Bar(AAPL, Instant.parse("2024-01-02T14:30:00Z"), Duration.ofMinutes(1), 150.0, 150.5, 149.9, 150.25, 1200),
        new Bar(AAPL, Instant.parse("2024-01-02T14:31:00Z"), Duration.ofMinutes(1), 150.25, 150.75, 150.1, 150.7, 800),
        new Bar(AAPL, Instant.parse("2024-01-02T14:32:00Z"), Duration.ofMinutes(1), 150.7, 150.8, 150.6, 150.7, 0));
    assertThat(IbHistory.barStart("20240102", NY)).isEqualTo(Instant.parse("2024-01-02T05:00:00Z"));
  }

  @Test
  void csvFormat(@TempDir Path dir) throws Exception {
    List<Bar> bars = List.of(
        new Bar(AAPL, Instant.parse("2024-01-02T14:30:00Z"), Duration.ofMinutes(1), 150.0, 150.5, 149.9, 150.25, 1200));
    StringWriter w = new StringWriter();
    BarCsv.write(w, bars);
    assertThat(w.toString()).isEqualTo("time,open,high,low,close,volume\n2024-01-02T14:30:00Z,150.0,150.5,149.9,150.25,1200.0\n");
    Path f = dir.resolve("aapl.csv");
    BarCsv.write(f, bars);
    assertThat(Files.readString(f)).isEqualTo(w.toString());
  }

  @Test
  void requestValidation() {
    assertThatThrownBy(() -> HistoryRequest.trades("1 day", BarSize.MINUTES_1))
        .hasMessageContaining("HistoryRequest.duration").hasMessageContaining("1 day");
  }

  @Test
  void overTheWire() throws Exception {
    try (FakeTws tws = new FakeTws()) {
      IbConfig config = IbConfig.builder().port(tws.port()).clientId(4).build();
      try (IbClient client = IbClient.create(config, SimulatedClock.atDefaultStart())) {
        IbHistory history = IbHistory.on(client);
        CompletableFuture<List<Bar>> f = history.bars(Instrument.stock("AAPL"),
            HistoryRequest.trades("1 D", BarSize.MINUTES_1).endingAt(Instant.parse("2024-01-02T21:00:00Z")));
        tws.handshake("DU123456", 10);
        assertThat(tws.read())
            .isEqualTo("20|10|0|AAPL|STK||0.0|||SMART||USD|||0|20240102-21:00:00|1 min|1 D|1|TRADES|2|0||");
        tws.send("17|10|20240102 09:30:00|20240102 09:32:00|2|"
            + "1704205800|150.0|150.5|149.9|150.25|1200|150.2|35|"
            + "1704205860|150.25|150.75|150.1|150.7|800|150.4|20|");
        assertThat(f.get(5, TimeUnit.SECONDS)).hasSize(2);

        CompletableFuture<List<Bar>> g = history.bars(Instrument.stock("AAPL"),
            HistoryRequest.trades("2 D", BarSize.DAYS_1));
        assertThat(tws.read()).isEqualTo("20|11|0|AAPL|STK||0.0|||SMART||USD|||0||1 day|2 D|1|TRADES|1|0||");
        tws.send("4|2|11|162|Historical Market Data Service error message:HMDS query returned no data||");
        assertThatThrownBy(() -> g.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause().hasMessageContaining("IB error 162");
      }
    }
  }
}
