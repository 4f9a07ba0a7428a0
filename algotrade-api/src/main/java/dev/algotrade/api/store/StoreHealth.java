package dev.algotrade.api.store;

/**
 * Optional for a {@link Store}: the figures a health monitor needs to tell that the store's
 * write queue is backing up. A store that has a queue implements this next to {@link Store};
 * the monitor asks about once a second. Implementations are thread-safe and cheap.
 */
public interface StoreHealth {

  /** Records waiting to be written now. */
  int queueDepth();

  /** The queue's bound. */
  int queueCapacity();

  /** Records dropped since the store opened because the queue was full. */
  long dropped();
}
