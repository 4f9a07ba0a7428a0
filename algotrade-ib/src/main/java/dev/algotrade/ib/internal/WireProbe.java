package dev.algotrade.ib.internal;

/**
 * An observer of frames crossing the socket, for latency benchmarks (not API). {@code IbClient}
 * calls {@link #frameRead} on the reader thread just after a complete inbound frame is in the
 * buffer and before it is decoded, and {@link #frameWritten} on the writer thread just after an
 * outbound frame went to the socket (flushed, or buffered when more frames were queued right
 * behind it; those go out with the next flush). Both get {@link #nanoTime()} taken at that
 * moment.
 *
 * <p>Implementations run on the IB threads, in the measured path: they must be quick, must not
 * block and must not throw. {@link #NONE} is the default; with it the client skips the clock
 * read, so an unset probe costs one volatile read per frame.
 */
public interface WireProbe {

  /** Observes nothing. */
  WireProbe NONE = new WireProbe() {};

  /** A complete inbound frame was read (reader thread), before decoding. */
  default void frameRead(long nanoTime) {}

  /**
   * An outbound frame was written (writer thread). {@code frame} is the whole frame, 4-byte
   * length prefix included; do not modify it.
   */
  default void frameWritten(byte[] frame, long nanoTime) {}

  /** The probe's time base, {@link System#nanoTime()} (wire code may read the clock). */
  static long nanoTime() {
    return System.nanoTime();
  }
}
