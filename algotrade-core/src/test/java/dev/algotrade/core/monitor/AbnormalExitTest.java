package dev.algotrade.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AbnormalExitTest {

  @Test
  void runningWithoutAStopRequestIsAbnormal() {
    assertThat(AbnormalExit.isAbnormal(true, false, false)).isTrue();
  }

  @Test
  void aStopRequestedOnlyOnceTheJvmWasGoingIsStillAbnormal() {
    assertThat(AbnormalExit.isAbnormal(true, true, true)).isTrue();
  }

  @Test
  void aStopRequestedBeforeTheShutdownIsGraceful() {
    assertThat(AbnormalExit.isAbnormal(true, true, false)).isFalse();
  }

  @Test
  void aSystemThatAlreadyStoppedIsGraceful() {
    assertThat(AbnormalExit.isAbnormal(false, true, false)).isFalse();
    assertThat(AbnormalExit.isAbnormal(false, false, false)).isFalse();
  }

  @Test
  void theProbeSaysTheTestJvmIsNotShuttingDown() {
    assertThat(AbnormalExit.jvmShuttingDown()).isFalse();
  }
}
