package dev.algotrade.ib.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.ib.testkit.internal.MessageBuilder;
import dev.algotrade.ib.testkit.internal.ServerMessages;
import dev.algotrade.ib.testkit.internal.Wire;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatedGatewayBuilderTest {

  @Test
  void settersNameTheBadValue() {
    SimulatedGateway.Builder b = SimulatedGateway.builder();
    assertThatThrownBy(() -> b.port(70_000)).hasMessageContaining("port").hasMessageContaining(
        "70000");
    assertThatThrownBy(() -> b.serverVersion(200)).hasMessageContaining("200");
    assertThatThrownBy(() -> b.quoteInterval(Duration.ofMillis(-1))).hasMessageContaining(
        "quoteInterval");
    assertThatThrownBy(() -> b.startingCash(-5)).hasMessageContaining("-5");
    assertThatThrownBy(() -> b.account(" ")).hasMessageContaining("account");
    assertThatThrownBy(() -> b.maxCommissionRate(2)).hasMessageContaining("2.0");
    b.instrument("AAPL", 1, 0.01, 10);
    assertThatThrownBy(() -> b.instrument("aapl", 2, 0.01, 10)).hasMessageContaining("aapl");
    assertThatThrownBy(() -> b.instrument("MSFT", 1, 0.01, 10)).hasMessageContaining("conId");
    assertThatThrownBy(() -> SimulatedGateway.builder().build())
        .hasMessageContaining("instrument");
    assertThatThrownBy(() -> SimulatedGateway.builder().instrument("A", 1, 0.01, 1)
        .position("B", 1, 1).build()).hasMessageContaining("B");
  }

  @Test
  void startingPositionsAreReported() {
    try (SimulatedGateway gw = SimulatedGateway.builder().instrument("AAPL", 1, 0.01, 100)
        .position("AAPL", -50, 101.5).startingCash(10_000).build()) {
      assertThat(gw.positions()).singleElement().satisfies(p -> {
        assertThat(p.quantity()).isEqualTo(-50);
        assertThat(p.averageCost()).isEqualTo(101.5);
      });
      assertThat(gw.cash()).isEqualTo(10_000);
    }
  }

  @Test
  void randomWalkIsReproducibleForASeed() {
    SimInstrument i = SimInstrument.stock("X", 1, 0.01, 50);
    RandomWalkMarket a = RandomWalkMarket.seeded(9);
    RandomWalkMarket b = RandomWalkMarket.seeded(9);
    SimQuote qa = a.initial(i);
    SimQuote qb = b.initial(i);
    for (int k = 0; k < 100; k++) {
      assertThat(qa).isEqualTo(qb);
      assertThat(qa.ask()).isGreaterThan(qa.bid());
      assertThat(Math.abs(qa.bid() / 0.01 - Math.rint(qa.bid() / 0.01))).isLessThan(1e-6);
      qa = a.next(i, qa);
      qb = b.next(i, qb);
    }
  }

  @Test
  void versionTextParsing() {
    assertThat(Wire.parseVersionText("v157..178")).isEqualTo(new Wire.Hello(157, 178, ""));
    assertThat(Wire.parseVersionText("v178")).isEqualTo(new Wire.Hello(178, 178, ""));
    assertThat(Wire.parseVersionText("v100..193 +PACEAPI"))
        .isEqualTo(new Wire.Hello(100, 193, "+PACEAPI"));
    assertThat(Wire.parseVersionText("v178..157")).isNull();
    assertThat(Wire.parseVersionText("x")).isNull();
  }

  @Test
  void numbersAreWrittenWithoutExponent() {
    assertThat(Wire.decimal(100.0)).isEqualTo("100");
    assertThat(Wire.decimal(150.25)).isEqualTo("150.25");
    assertThat(Wire.decimal(0.0001)).isEqualTo("0.0001");
    assertThat(Wire.decimal(Double.MAX_VALUE)).isEqualTo("1.7976931348623157E308");
    assertThat(Wire.escapeNonAscii("Soci\u00e9t\u00e9")).isEqualTo("Soci\\u00e9t\\u00e9");
  }

  @Test
  void openOrderHas127FieldsAt178And128At176() {
    SimInstrument i = SimInstrument.stock("X", 1, 0.01, 50);
    SimOrder o = new SimOrder(1, 0, 5, "DU1", "X", 1, "BUY", 1, "MKT", 0, 0, "DAY", "", "Submitted",
        0, 0);
    MessageBuilder at178 = ServerMessages.openOrder(178, o, i);
    assertThat(at178.fieldCount()).isEqualTo(127);
    assertThat(at178.fields().get(85)).isEqualTo("Submitted");
    assertThat(ServerMessages.openOrder(176, o, i).fieldCount()).isEqualTo(128);
  }
}
