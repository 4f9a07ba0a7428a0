/**
 * The IB wire layer (not API): framing, field encoding and decoding at server version 178,
 * typed inbound messages, the outbound pacer. Layouts follow shared/ib-protocol.md.
 */
package dev.algotrade.ib.internal;
