package dev.algotrade.api.alert;

/**
 * A channel that delivers alerts (log, WhatsApp, SMS, ...). {@link #send} returns quickly and
 * never throws into the caller: a slow or failing channel delivers on its own thread and
 * reports failures in its log.
 *
 * <p>{@link #deliver} is the synchronous form for a composite that queues, retries and counts
 * on its own threads: one attempt, on the caller's thread, reporting failure by throwing
 * {@link AlertDeliveryException}. Channels that do I/O override it; the default calls
 * {@link #send}.
 */
public interface Alerter extends AutoCloseable {

  default String name() {
    return getClass().getSimpleName();
  }

  void send(Alert alert);

  /**
   * Makes one delivery attempt on the calling thread and returns when the alert was accepted
   * by the channel's destination.
   *
   * @throws AlertDeliveryException when the attempt failed; {@link
   *     AlertDeliveryException#isRetryable()} says whether another attempt may succeed
   */
  default void deliver(Alert alert) {
    send(alert);
  }

  /** Delivers what is queued (bounded wait) and releases threads. */
  @Override
  default void close() {}
}
