/** Stores in core: the {@link dev.algotrade.core.store.NoOpStore} used when none is configured. */
package dev.algotrade.core.store;
