package dev.algotrade.core.store;

import dev.algotrade.api.store.Store;

/**
 * A store that keeps nothing: the default when a system has no store. Every method is the
 * interface's no-op default; recovery is always empty. Thread-safe.
 */
public final class NoOpStore implements Store {
  public static final NoOpStore INSTANCE = new NoOpStore();

  private NoOpStore() {}

  @Override
  public String toString() {
    return "NoOpStore";
  }
}
