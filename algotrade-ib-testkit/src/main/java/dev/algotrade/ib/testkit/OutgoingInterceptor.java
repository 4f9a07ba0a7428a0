package dev.algotrade.ib.testkit;

import java.util.List;

/**
 * A scripting hook for faults not covered by {@link Faults}' named methods: sees every server
 * message (as its fields, message id first) before it is queued for a client, and returns what
 * to send instead: the same message to pass it, nothing to drop it, two copies to duplicate it,
 * or altered fields. Called under the gateway's lock, so it must be quick and must not call back
 * into the gateway; it may be called from several threads in turn, never concurrently.
 */
@FunctionalInterface
public interface OutgoingInterceptor {

  /**
   * @param clientId the API client id of the connection (-1 before startApi)
   * @param fields the message's fields, message id first (immutable)
   * @return the messages to send in its place, in order
   */
  List<List<String>> intercept(int clientId, List<String> fields);
}
