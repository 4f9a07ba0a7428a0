package dev.algotrade.api.strategy;

/** A scheduled action that can be cancelled. */
public interface Timer {

  /** Stops further runs; idempotent. */
  void cancel();

  boolean isCancelled();
}
