package dev.algotrade.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How this Linux host lets an idle CPU sleep, for the headers of the latency benchmarks: the
 * figures depend on it more than on our code. On a KVM guest with the {@code haltpoll} cpuidle
 * driver, {@code guest_halt_poll_ns} is how long an idle virtual CPU polls before it halts; a
 * halted one costs whoever wakes it tens of microseconds (docs/performance.md).
 */
final class HostIdle {

  private static final Path DRIVER = Path.of("/sys/devices/system/cpu/cpuidle/current_driver");
  private static final Path HALT_POLL = Path.of("/sys/module/haltpoll/parameters/guest_halt_poll_ns");

  private HostIdle() {}

  /** For example {@code cpuidle driver haltpoll, guest_halt_poll_ns 0}; "unknown" parts when unreadable. */
  static String describe() {
    String driver = read(DRIVER);
    String line = "cpuidle driver " + (driver == null ? "unknown" : driver);
    String poll = read(HALT_POLL);
    if (poll != null) {
      line += ", guest_halt_poll_ns " + poll
          + ("0".equals(poll) ? " (idle vCPUs halt at once: waking one is slow)" : "");
    }
    return line;
  }

  private static String read(Path p) {
    try {
      return Files.isReadable(p) ? Files.readString(p).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
