package dev.algotrade.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.risk.TradingState;
import dev.algotrade.api.store.BreakerState;
import dev.algotrade.core.time.SimulatedClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kill switch in live mode on a simulated clock: halt, cancel, optional flatten, clean stop, restart rules. */
class KillSwitchTest {
  static final Instrument AAPL = Instrument.stock("AAPL");
  static final InstrumentId ID = AAPL.id();
  static final Instant T0 = Instant.parse("2024-01-02T15:00:00Z");

  static TradingSystem live(Path stop, Probe p, Recorder rec, SimulatedClock clock, boolean flatten) {
    return TradingSystem.builder().instrument(AAPL).strategy(p).store(rec).alerter(rec).clock(clock)
        .feed(new ListFeed(ListFeed.quotes(ID, T0, 100, 100, 100))).killSwitchFile(stop).flattenOnKillSwitch(flatten)
        .build();
  }

  static void awaitCondition(String what, java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(2);
    }
  }

  /** Moves the engine clock in poll-sized steps until the system stops (at most 10 s of real time). */
  static void pollUntilStopped(TradingSystem sys, SimulatedClock clock) {
    for (int i = 0; i < 100 && !sys.awaitTermination(Duration.ofMillis(100)); i++) {
      clock.advance(Duration.ofMillis(250));
    }
    assertThat(sys.awaitTermination(Duration.ofSeconds(1))).as("stopped").isTrue();
  }

  static Alert killAlert(Recorder rec) {
    return rec.alerts.stream().filter(a -> a.title().equals("Kill switch used")).findFirst().orElseThrow();
  }

  @Test
  void withTheFlattenFlagPositionsAreFlattenedBeforeTheCleanStop(@TempDir Path dir) throws Exception {
    Path stop = dir.resolve("STOP");
    Probe p = new Probe().at(1, (ctx, q) -> ctx.targetPosition(ID, 10));
    Recorder rec = new Recorder();
    SimulatedClock clock = new SimulatedClock(T0);
    TradingSystem sys = live(stop, p, rec, clock, true);
    sys.start();
    awaitCondition("position", () -> sys.status().positions().size() == 1);
    Files.createFile(stop);
    pollUntilStopped(sys, clock);
    assertThat(sys.status().positions()).isEmpty();
    assertThat(sys.status().tradingState()).isEqualTo(TradingState.HALTED);
    assertThat(rec.fills).extracting(f -> f.side() + " " + (long) f.quantity()).containsExactly("BUY 10", "SELL 10");
    assertThat(killAlert(rec).text()).contains("KILL_SWITCH", "flattening");
    BreakerState b = rec.recoverBreaker;
    assertThat(b.state()).isEqualTo(TradingState.HALTED);
    assertThat(b.reason()).startsWith("KILL_SWITCH: file=").endsWith("flatten=true");
    assertThat(rec.closed).as("store closed after a clean stop").isTrue();
  }

  @Test
  void withoutTheFlagPositionsStayOpenAndAreListedThenARestartNeedsTheFileGone(@TempDir Path dir) throws Exception {
    Path stop = dir.resolve("STOP");
    Probe p = new Probe().at(1, (ctx, q) -> ctx.targetPosition(ID, 10));
    Recorder rec = new Recorder();
    SimulatedClock clock = new SimulatedClock(T0);
    TradingSystem sys = live(stop, p, rec, clock, false);
    sys.start();
    awaitCondition("position", () -> sys.status().positions().size() == 1);
    Files.createFile(stop);
    pollUntilStopped(sys, clock);
    assertThat(sys.status().positions()).singleElement().satisfies(pos -> assertThat(pos.quantity()).isEqualTo(10));
    assertThat(killAlert(rec).text()).contains("NOT flattened", "AAPL");

    // a restart with the file present refuses and says why
    Recorder rec2 = new Recorder();
    rec2.recoverBreaker = rec.recoverBreaker;
    assertThatThrownBy(() -> live(stop, new Probe(), rec2, new SimulatedClock(T0.plusSeconds(60)), false).start())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("is present: refusing to trade")
        .hasMessageContaining("Remove it");

    // once the file is removed, the same trading day trades again: the removal is the reset
    Files.delete(stop);
    Probe again = new Probe().at(1, (ctx, q) -> ctx.targetPosition(ID, 20));
    SimulatedClock clock3 = new SimulatedClock(T0.plusSeconds(120));
    Recorder rec3 = new Recorder();
    rec3.recoverBreaker = rec.recoverBreaker;
    TradingSystem sys3 = live(stop, again, rec3, clock3, false);
    sys3.start();
    awaitCondition("position", () -> sys3.status().positions().size() == 1);
    assertThat(again.stateAtStart).isEqualTo(TradingState.ACTIVE);
    sys3.close();
    assertThat(rec3.riskEvents).anySatisfy(e -> assertThat(e.kind() + " " + e.code()).isEqualTo("BREAKER_RESET KILL_SWITCH"));
  }

  @Test
  void aKillSwitchAfterABreakerTripKeepsTheTripAcrossARestart(@TempDir Path dir) throws Exception {
    Path stop = dir.resolve("STOP");
    java.util.concurrent.atomic.AtomicReference<TradingSystem> ref = new java.util.concurrent.atomic.AtomicReference<>();
    Probe p = new Probe().at(1, (ctx, q) -> ref.get().circuitBreaker().trip("desk says stop"));
    Recorder rec = new Recorder();
    SimulatedClock clock = new SimulatedClock(T0);
    TradingSystem sys = live(stop, p, rec, clock, false);
    ref.set(sys);
    sys.start();
    awaitCondition("trip", () -> sys.circuitBreaker().isTripped());
    Files.createFile(stop);
    pollUntilStopped(sys, clock);
    assertThat(rec.recoverBreaker.reason()).startsWith("MANUAL: desk says stop | then KILL_SWITCH: file=");

    Files.delete(stop);
    Recorder rec2 = new Recorder();
    rec2.recoverBreaker = rec.recoverBreaker;
    Probe again = new Probe();
    TradingSystem sys2 = live(stop, again, rec2, new SimulatedClock(T0.plusSeconds(60)), false);
    sys2.start();
    assertThat(again.stateAtStart).isEqualTo(TradingState.HALTED);
    sys2.close();
  }
}
