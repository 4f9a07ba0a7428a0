package dev.algotrade.ib.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedGatewayMainTest {

  @Test
  void commandLineOptionsConfigureTheGateway() throws IOException {
    try (SimulatedGateway gw = SimulatedGatewayMain.builderFor(new String[] {"--port", "0",
        "--symbols", "aapl,XYZ", "--seed", "7", "--quote-interval-ms", "0", "--account",
        "DU999", "--cash", "5000"}).build().start();
        RawClient c = RawClient.connect(gw.port())) {
      assertThat(gw.accountId()).isEqualTo("DU999");
      assertThat(gw.cash()).isEqualTo(5000);
      c.hello("v157..178");
      c.read();
      c.send("71|2|0||");
      c.expect("15|1|DU999|");
      c.readUntil("9");
      c.send("9|8|1|0|AAPL|STK||0.0|||SMART||USD|||0|||");
      List<String> aapl = c.readUntil("10");
      assertThat(aapl.get(12)).isEqualTo("265598");
      assertThat(aapl.get(19)).isEqualTo("APPLE INC");
      c.send("9|8|2|0|XYZ|STK||0.0|||SMART||USD|||0|||");
      assertThat(c.readUntil("10").get(12)).isEqualTo("900001");
    }
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> SimulatedGatewayMain.builderFor(new String[] {"--port", "x"}))
        .hasMessageContaining("--port").hasMessageContaining("x");
    assertThatThrownBy(() -> SimulatedGatewayMain.builderFor(new String[] {"--nope", "1"}))
        .hasMessageContaining("--nope");
    assertThatThrownBy(() -> SimulatedGatewayMain.builderFor(new String[] {"--seed"}))
        .hasMessageContaining("--seed");
  }
}
