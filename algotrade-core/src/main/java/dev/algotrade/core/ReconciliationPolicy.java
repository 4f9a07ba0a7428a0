package dev.algotrade.core;

/**
 * What to do when reconciliation finds that the broker and the engine disagree (docs/risk.md,
 * "Reconciliation", lists the rules). Every confirmed finding is logged, stored as a
 * {@code RECONCILIATION} risk event and alerted whatever the policy. Set it with
 * {@link TradingSystem.Builder#reconciliationPolicy} or {@code RECONCILIATION_POLICY=adopt|halt}.
 */
public enum ReconciliationPolicy {
  /**
   * Take the broker's view: its position replaces ours, and an order working here that the
   * broker no longer lists is closed here as cancelled. Orders at the broker that this system
   * did not place are only reported: they are not ours to manage (never cancelled, never
   * counted as working).
   */
  ADOPT_BROKER,
  /** Keep our book as it is and halt trading (reducing orders only) until a human looks. */
  HALT
}
