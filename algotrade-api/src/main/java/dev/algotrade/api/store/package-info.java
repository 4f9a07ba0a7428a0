/**
 * Persistence: the {@link dev.algotrade.api.store.Store} that keeps the audit trail and gives a
 * restarted process what it needs ({@link dev.algotrade.api.store.RecoveryState}).
 */
package dev.algotrade.api.store;
