package dev.algotrade.ib;

import java.nio.charset.StandardCharsets;

/**
 * Test helper: payloads are written the way ib-protocol.md writes them, fields followed by
 * {@code |}; {@link #p} turns each {@code |} into the NUL that ends a field on the wire. This
 * is a notation for hand-written literals, not an encoder: no field is formatted here.
 */
public final class Wire {
  private Wire() {}

  /** {@code "4|1|11||"} -> {@code "4\0" "1\0" "11\0" "\0"}. */
  public static byte[] p(String notesNotation) {
    return notesNotation.replace('|', '\0').getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A frame: 4-byte big-endian length, then the payload. */
  public static byte[] frame(String notesNotation) {
    byte[] payload = p(notesNotation);
    byte[] f = new byte[payload.length + 4];
    int n = payload.length;
    f[0] = (byte) (n >>> 24);
    f[1] = (byte) (n >>> 16);
    f[2] = (byte) (n >>> 8);
    f[3] = (byte) n;
    System.arraycopy(payload, 0, f, 4, n);
    return f;
  }

  /** The payload of a frame in notes notation, after checking the length prefix. */
  public static String payloadOf(byte[] frame) {
    int n = ((frame[0] & 0xff) << 24) | ((frame[1] & 0xff) << 16) | ((frame[2] & 0xff) << 8) | (frame[3] & 0xff);
    if (n != frame.length - 4) {
      throw new AssertionError("length prefix " + n + " but payload has " + (frame.length - 4) + " bytes");
    }
    return new String(frame, 4, n, StandardCharsets.ISO_8859_1).replace('\0', '|');
  }
}
