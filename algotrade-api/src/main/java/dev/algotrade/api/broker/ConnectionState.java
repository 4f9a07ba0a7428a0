package dev.algotrade.api.broker;

/** State of a broker connection. */
public enum ConnectionState {
  CONNECTING,
  CONNECTED,
  /** The socket is up but the broker lost its own upstream (IB 1100). */
  DEGRADED,
  DISCONNECTED,
  CLOSED
}
