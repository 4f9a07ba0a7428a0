/**
 * Wire code of the simulated gateway: framing, request field cursors and server message
 * encoders. Public only so tests and tools can reuse it; not API.
 */
package dev.algotrade.ib.testkit.internal;
