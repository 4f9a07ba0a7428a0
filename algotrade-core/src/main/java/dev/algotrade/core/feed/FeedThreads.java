package dev.algotrade.core.feed;

import java.util.concurrent.locks.LockSupport;

/** Thread handling the live feeds share. */
final class FeedThreads {
  private FeedThreads() {}

  /**
   * Wakes a feed's live thread (parked between events) and waits until it has ended, so no data
   * is delivered after the caller returns. An interrupt while waiting does not cut the wait
   * short; it is restored afterwards. Does nothing for null or for the calling thread itself.
   */
  static void wakeAndJoin(Thread t) {
    if (t == null) {
      return;
    }
    LockSupport.unpark(t);
    if (t == Thread.currentThread()) {
      return;
    }
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
