package dev.algotrade.api.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderStatusTest {

  @Test
  void terminalStatesHaveNoWayOut() {
    for (OrderStatus from : OrderStatus.values()) {
      if (!from.isTerminal()) {
        continue;
      }
      for (OrderStatus to : OrderStatus.values()) {
        assertThat(from.canTransitionTo(to)).as(from + " -> " + to).isFalse();
      }
    }
  }

  @Test
  void exactlyTheDocumentedTransitionsAreLegal() {
    Set<String> legal = Set.of(
        "PENDING_SUBMIT>ACCEPTED", "PENDING_SUBMIT>PARTIALLY_FILLED", "PENDING_SUBMIT>FILLED",
        "PENDING_SUBMIT>CANCELLED", "PENDING_SUBMIT>REJECTED", "PENDING_SUBMIT>EXPIRED",
        "ACCEPTED>PARTIALLY_FILLED", "ACCEPTED>FILLED", "ACCEPTED>CANCELLED", "ACCEPTED>REJECTED",
        "ACCEPTED>EXPIRED", "PARTIALLY_FILLED>PARTIALLY_FILLED", "PARTIALLY_FILLED>FILLED",
        "PARTIALLY_FILLED>CANCELLED", "PARTIALLY_FILLED>EXPIRED", "PARTIALLY_FILLED>REJECTED");
    for (OrderStatus from : OrderStatus.values()) {
      for (OrderStatus to : OrderStatus.values()) {
        assertThat(from.canTransitionTo(to)).as(from + " -> " + to).isEqualTo(legal.contains(from + ">" + to));
      }
    }
  }

  @Test
  void illegalTransitionNamesBothStates() {
    assertThatThrownBy(() -> OrderStatus.FILLED.transitionTo(OrderStatus.CANCELLED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FILLED -> CANCELLED");
    assertThatThrownBy(() -> OrderStatus.ACCEPTED.transitionTo(OrderStatus.PENDING_SUBMIT))
        .hasMessageContaining("ACCEPTED -> PENDING_SUBMIT");
  }

  @Test
  void workingAndTerminalPartitionTheStates() {
    EnumSet<OrderStatus> working = EnumSet.noneOf(OrderStatus.class);
    for (OrderStatus s : OrderStatus.values()) {
      assertThat(s.isWorking()).isNotEqualTo(s.isTerminal());
      if (s.isWorking()) {
        working.add(s);
      }
    }
    assertThat(working).containsExactlyInAnyOrder(OrderStatus.PENDING_SUBMIT, OrderStatus.ACCEPTED,
        OrderStatus.PARTIALLY_FILLED);
  }
}
