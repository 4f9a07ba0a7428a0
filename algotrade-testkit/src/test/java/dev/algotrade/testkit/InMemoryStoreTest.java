package dev.algotrade.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.algotrade.api.market.Quote;
import dev.algotrade.api.order.Side;
import dev.algotrade.api.store.Store;

/** The in-memory store passes the store contract; a reopen shares the data, as a file would. */
class InMemoryStoreTest extends StoreContractTest {

  @Override
  protected Store createStore() {
    return new InMemoryStore();
  }

  @Override
  protected Store reopen(Store closed) {
    assertThat(((InMemoryStore) closed).isClosed()).isTrue();
    return ((InMemoryStore) closed).reopened();
  }

  @org.junit.jupiter.api.Test
  void keepsWhatItWasGivenForInspection() {
    InMemoryStore s = (InMemoryStore) store;
    s.recordMarketData(new Quote(AAPL, t(0), 1, 2, 3, 4));
    s.recordFill(fill("O-1", "E1", AAPL, Side.BUY, 1, 10, 0), 0, DAY);
    s.recordFill(fill("O-1", "E1", AAPL, Side.BUY, 1, 10, 0), 0, DAY);
    assertThat(s.marketData()).hasSize(1);
    assertThat(s.fills()).hasSize(1);
    assertThat(s.duplicateFills()).isEqualTo(1);
    assertThat(InMemoryStore.withoutMarketData().marketData()).isEmpty();
  }
}
