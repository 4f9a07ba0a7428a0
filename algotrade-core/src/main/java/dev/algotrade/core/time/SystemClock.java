package dev.algotrade.core.time;

import dev.algotrade.api.time.Clock;
import java.time.Instant;

/** The wall clock (UTC) and {@link System#nanoTime()}. Thread-safe singleton. */
public final class SystemClock implements Clock {

  private static final SystemClock INSTANCE = new SystemClock();

  private SystemClock() {}

  public static SystemClock instance() {
    return INSTANCE;
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public long millis() {
    return System.currentTimeMillis();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public String toString() {
    return "SystemClock";
  }
}
