package dev.algotrade.api.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MarketDataTest {
  private static final InstrumentId ID = InstrumentId.of("AAPL");
  private static final Instant T = Instant.parse("2024-01-02T14:30:00Z");

  @Test
  void quoteValidatesEveryPriceAndSize() {
    assertThatThrownBy(() -> new Quote(ID, T, -1, 1, 1, 1)).hasMessageContaining("Quote.bid").hasMessageContaining("-1.0");
    assertThatThrownBy(() -> new Quote(ID, T, 1, Double.NaN, 1, 1)).hasMessageContaining("Quote.ask").hasMessageContaining("NaN");
    assertThatThrownBy(() -> new Quote(ID, T, 1, 2, 1, Double.POSITIVE_INFINITY)).hasMessageContaining("Quote.askSize");
    assertThatThrownBy(() -> new Quote(null, T, 1, 2, 1, 1)).hasMessageContaining("Quote.instrument");
    assertThatThrownBy(() -> new Quote(ID, null, 1, 2, 1, 1)).hasMessageContaining("Quote.time");
  }

  @Test
  void midFallsBackToTheQuotedSide() {
    assertThat(new Quote(ID, T, 99, 101, 1, 1).mid()).isEqualTo(100);
    assertThat(new Quote(ID, T, 0, 101, 0, 1).mid()).isEqualTo(101);
    assertThat(new Quote(ID, T, 99, 0, 1, 0).mid()).isEqualTo(99);
    assertThat(new Quote(ID, T, 101, 100, 1, 1).isTwoSided()).isTrue(); // crossed books happen
  }

  @Test
  void barChecksItsRangeAndClosesAtStartPlusPeriod() {
    Bar b = new Bar(ID, T, Duration.ofMinutes(1), 10, 11, 9, 10.5, 100);
    assertThat(b.time()).isEqualTo(T.plusSeconds(60));
    assertThatThrownBy(() -> new Bar(ID, T, Duration.ofMinutes(1), 10, 9.5, 9, 10, 1))
        .hasMessageContaining("low <= open, close <= high").hasMessageContaining("high=9.5");
    assertThatThrownBy(() -> new Bar(ID, T, Duration.ZERO, 10, 11, 9, 10, 1)).hasMessageContaining("Bar.period");
  }

  @Test
  void instrumentIdRejectsSpacesAndControlCharacters() {
    assertThatThrownBy(() -> InstrumentId.of("AA PL")).hasMessageContaining("'AA PL'");
    assertThatThrownBy(() -> InstrumentId.of("")).hasMessageContaining("InstrumentId.value");
    assertThat(InstrumentId.of("ES.2026Z").value()).isEqualTo("ES.2026Z");
  }

  @Test
  void instrumentRoundsToItsGrid() {
    Instrument i = Instrument.stock("AAPL").withTickSize(0.05).withLotSize(10);
    assertThat(i.roundPrice(100.03)).isCloseTo(100.05, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(i.isOnTick(100.05)).isTrue();
    assertThat(i.isOnTick(100.07)).isFalse();
    assertThat(i.roundQuantityDown(29.9999999999)).isEqualTo(30);
    assertThat(i.roundQuantityDown(39)).isEqualTo(30);
    assertThat(i.roundQuantityDown(-39)).isEqualTo(-30);
    assertThat(i.isWholeLots(40)).isTrue();
    assertThat(i.isWholeLots(45)).isFalse();
    assertThatThrownBy(() -> Instrument.stock("X").withTickSize(0)).hasMessageContaining("Instrument.tickSize");
  }
}
