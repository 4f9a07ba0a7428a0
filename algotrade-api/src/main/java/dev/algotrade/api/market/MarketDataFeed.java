package dev.algotrade.api.market;

/**
 * A source of market data: a simulated market, a file replay, a broker's stream, or a failover
 * wrapper of two feeds. Lifecycle: {@link #subscribe} the instruments, {@link #start} once,
 * {@link #stop} (idempotent). A live feed owns its threads and pushes to the listener from them.
 */
public interface MarketDataFeed extends AutoCloseable {

  /** A short name for logs and alerts. */
  default String name() {
    return getClass().getSimpleName();
  }

  /** Asks for data on this instrument; may be called before or after {@link #start}. */
  void subscribe(Instrument instrument);

  /** Begins delivering data and status to {@code listener}. Called at most once. */
  void start(MarketDataListener listener);

  /** Stops delivering and releases threads and connections. Idempotent. */
  void stop();

  @Override
  default void close() {
    stop();
  }
}
