package dev.algotrade.sqlite.internal.time;

import dev.algotrade.api.time.Clock;
import java.time.Instant;

/**
 * The system clock, the store's default when the builder is given none (the SQLite module may
 * not depend on core's SystemClock). Thread-safe and stateless.
 */
public final class WallClock implements Clock {
  public static final WallClock INSTANCE = new WallClock();

  private WallClock() {}

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }
}
