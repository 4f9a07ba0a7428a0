package dev.algotrade.core.monitor;

/**
 * Decides whether a JVM shutdown is an abnormal exit of a live system: the system was running
 * and nobody had asked it to stop before the JVM began to shut down (a {@code System.exit}
 * somewhere, a SIGTERM without the application's signal handler, an error that ended
 * {@code main}). A stop asked for by another shutdown hook still counts as abnormal: the JVM
 * was already going. Stateless and thread-safe.
 */
public final class AbnormalExit {

  private AbnormalExit() {}

  /**
   * @param running whether the system's engine was still running when the hook ran
   * @param stopRequested whether a graceful stop had been requested
   * @param stopRequestedDuringShutdown whether that request came after the JVM began shutting down
   */
  public static boolean isAbnormal(boolean running, boolean stopRequested, boolean stopRequestedDuringShutdown) {
    if (!running) {
      return false; // stopped before the JVM went: a graceful end
    }
    return !stopRequested || stopRequestedDuringShutdown;
  }

  /** Whether the JVM is shutting down (probed by trying to register a hook). */
  public static boolean jvmShuttingDown() {
    Thread probe = new Thread(() -> { }, "algotrade-shutdown-probe");
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
