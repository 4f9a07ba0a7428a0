package dev.algotrade.api.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.api.market.InstrumentId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OrderRequestTest {
  private static final InstrumentId AAPL = InstrumentId.of("AAPL");

  @Test
  void factoriesBuildValidRequests() {
    OrderRequest r = OrderRequest.stopLimit(AAPL, Side.SELL, 10, 99.5, 99.0).withTimeInForce(TimeInForce.GTC).withTag("t");
    assertThat(r.type()).isEqualTo(OrderType.STOP_LIMIT);
    assertThat(r.signedQuantity()).isEqualTo(-10);
    assertThat(r.describe()).isEqualTo("SELL 10 AAPL STOP_LIMIT stop=99.5 limit=99.0 GTC tag=t");
  }

  @Test
  void badInputNamesTheFieldAndTheValue() {
    assertThatThrownBy(() -> OrderRequest.market(AAPL, Side.BUY, -5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OrderRequest.quantity").hasMessageContaining("-5.0");
    assertThatThrownBy(() -> OrderRequest.market(AAPL, Side.BUY, Double.NaN))
        .hasMessageContaining("OrderRequest.quantity").hasMessageContaining("NaN");
    assertThatThrownBy(() -> OrderRequest.limit(AAPL, Side.BUY, 1, 0))
        .hasMessageContaining("limitPrice").hasMessageContaining("0.0");
    assertThatThrownBy(() -> new OrderRequest(AAPL, Side.BUY, 1, OrderType.MARKET, 10, Double.NaN, TimeInForce.DAY, ""))
        .hasMessageContaining("limitPrice must be NaN for a MARKET order, was 10.0");
    assertThatThrownBy(() -> OrderRequest.stop(AAPL, Side.BUY, 1, Double.POSITIVE_INFINITY))
        .hasMessageContaining("stopPrice");
    assertThatThrownBy(() -> OrderRequest.market(null, Side.BUY, 1)).hasMessageContaining("OrderRequest.instrument");
  }

  @Test
  void orderSnapshotChecksFilledQuantity() {
    OrderRequest r = OrderRequest.market(AAPL, Side.BUY, 10);
    Instant t = Instant.EPOCH;
    assertThatThrownBy(() -> new Order(ClientOrderId.of("a"), null, r, OrderStatus.FILLED, 11, 100, t, t, ""))
        .hasMessageContaining("filledQuantity must be <= quantity 10.0, was 11.0");
    Order o = new Order(ClientOrderId.of("a"), null, r, OrderStatus.PARTIALLY_FILLED, 4, 100, t, t, "");
    assertThat(o.remainingQuantity()).isEqualTo(6);
    Order done = new Order(ClientOrderId.of("a"), null, r, OrderStatus.CANCELLED, 4, 100, t, t, "");
    assertThat(done.remainingQuantity()).isZero();
  }

  @Test
  void fillNeedsAnExecutionIdAndPositiveQuantity() {
    assertThatThrownBy(() -> new Fill(null, " ", AAPL, Side.BUY, 1, 1, 0, Instant.EPOCH))
        .hasMessageContaining("Fill.executionId");
    assertThatThrownBy(() -> new Fill(null, "e1", AAPL, Side.BUY, 0, 1, 0, Instant.EPOCH))
        .hasMessageContaining("Fill.quantity must be finite and > 0, was 0.0");
    assertThatThrownBy(() -> new Fill(null, "e1", AAPL, Side.BUY, 1, 1, -0.5, Instant.EPOCH))
        .hasMessageContaining("Fill.commission");
  }
}
