package dev.algotrade.api.alert;

/**
 * A channel that delivers alerts (log, WhatsApp, SMS, ...). {@link #send} returns quickly and
 * never throws into the caller: a slow or failing channel delivers on its own thread and
 * reports failures in its log.
 */
public interface Alerter extends AutoCloseable {

  default String name() {
    return getClass().getSimpleName();
  }

  void send(Alert alert);

  /** Delivers what is queued (bounded wait) and releases threads. */
  @Override
  default void close() {}
}
