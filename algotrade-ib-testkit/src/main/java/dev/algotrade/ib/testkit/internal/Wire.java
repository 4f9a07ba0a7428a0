package dev.algotrade.ib.testkit.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Framing of the TWS socket protocol: the {@code API\0} handshake prefix, 4-byte big-endian
 * length frames and NUL-terminated fields, plus the number formats the server writes. Stateless;
 * thread-safe.
 */
public final class Wire {

  /** Largest payload either side accepts (0xFFFFFF bytes). */
  public static final int MAX_LENGTH = 0xFFFFFF;

  /** The literal TWS writes for an unset double (Double.MAX_VALUE as Java prints it). */
  public static final String UNSET_DOUBLE = "1.7976931348623157E308";

  /** The literal for an unset int (Integer.MAX_VALUE). */
  public static final String UNSET_INT = "2147483647";

  private Wire() {}

  /** The client's opening bytes: {@code API\0}, then the length-prefixed version text. */
  public record Hello(int minVersion, int maxVersion, String connectOptions) {}

  /**
   * Reads the client handshake. Returns null if the bytes are not a v100+ handshake or the
   * version text cannot be parsed.
   */
  public static Hello readHello(DataInputStream in) throws IOException {
    byte[] prefix = new byte[4];
    in.readFully(prefix);
    if (prefix[0] != 'A' || prefix[1] != 'P' || prefix[2] != 'I' || prefix[3] != 0) {
      return null;
    }
    int len = in.readInt();
    if (len <= 0 || len > 4096) {
      return null;
    }
    byte[] text = new byte[len];
    in.readFully(text);
    return parseVersionText(new String(text, StandardCharsets.US_ASCII));
  }

  /** Parses {@code v<min>..<max>} or {@code v<n>}, optionally followed by a space and options. */
  public static Hello parseVersionText(String text) {
    String s = text;
    String options = "";
    int space = s.indexOf(' ');
    if (space >= 0) {
      options = s.substring(space + 1);
      s = s.substring(0, space);
    }
    if (!s.startsWith("v")) {
      return null;
    }
    s = s.substring(1);
    try {
      int dots = s.indexOf("..");
      if (dots < 0) {
        int v = Integer.parseInt(s);
        return new Hello(v, v, options);
      }
      int min = Integer.parseInt(s.substring(0, dots));
      int max = Integer.parseInt(s.substring(dots + 2));
      return min <= max ? new Hello(min, max, options) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Reads one frame and splits it into fields (the empty element after the final NUL is
   * dropped). Returns null on a clean end of stream before a frame starts.
   *
   * @throws IOException if the stream ends inside a frame or the length is out of range
   */
  public static String[] readFrame(InputStream raw) throws IOException {
    DataInputStream in = raw instanceof DataInputStream d ? d : new DataInputStream(raw);
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    int len = (b0 << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8)
        | in.readUnsignedByte();
    if (len < 0 || len > MAX_LENGTH) {
      throw new IOException("frame length out of range length=" + len);
    }
    byte[] payload = new byte[len];
    in.readFully(payload);
    return splitFields(payload);
  }

  /** Splits a payload on NUL; a trailing NUL terminates the last field. */
  public static String[] splitFields(byte[] payload) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < payload.length; i++) {
      if (payload[i] == 0) {
        out.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < payload.length) {
      out.add(new String(payload, start, payload.length - start, StandardCharsets.UTF_8));
    }
    return out.toArray(new String[0]);
  }

  /** Prefixes a payload with its 4-byte big-endian length. */
  public static byte[] frame(byte[] payload) {
    byte[] out = new byte[payload.length + 4];
    int n = payload.length;
    out[0] = (byte) (n >>> 24);
    out[1] = (byte) (n >>> 16);
    out[2] = (byte) (n >>> 8);
    out[3] = (byte) n;
    System.arraycopy(payload, 0, out, 4, n);
    return out;
  }

  /** Reads exactly {@code n} bytes or throws {@link EOFException}. */
  public static byte[] readExactly(InputStream in, int n) throws IOException {
    byte[] b = new byte[n];
    new DataInputStream(in).readFully(b);
    return b;
  }

  /**
   * A double as plain decimal text without exponent and without a trailing {@code .0}
   * ({@code 150.25}, {@code 100}); {@link Double#MAX_VALUE} becomes {@link #UNSET_DOUBLE}.
   */
  public static String decimal(double v) {
    if (v == Double.MAX_VALUE) {
      return UNSET_DOUBLE;
    }
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /** Escapes characters outside printable ASCII as {@code \\uXXXX} (what TWS does since 153). */
  public static String escapeNonAscii(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean plain = c >= 32 && c < 127 || c == '\t' || c == '\n' || c == '\r';
      if (!plain || c == 0) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        sb.append(String.format("\\u%04x", (int) c));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }
}
