package dev.algotrade.ib.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Builds one outgoing frame: a 4-byte big-endian length followed by NUL-terminated fields
 * (ib-protocol.md §1.5, §1.6). Doubles are written in plain decimal notation (no exponent);
 * "unset" values are written as empty fields. Strings outside printable ASCII are refused, as
 * IB's own clients do (their client error 579).
 *
 * <p>Not thread-safe; create one per message.
 */
public final class FieldWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  public FieldWriter() {
    out.write(0);
    out.write(0);
    out.write(0);
    out.write(0);
  }

  public FieldWriter add(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 32 || c > 126) && c != '\t' && c != '\n' && c != '\r') {
        throw new IllegalArgumentException(
            "IB fields must be printable ASCII, was " + (int) c + " at index " + i + " of '" + s + "'");
      }
      out.write(c);
    }
    out.write(0);
    return this;
  }

  public FieldWriter add(int v) {
    return add(Integer.toString(v));
  }

  public FieldWriter add(long v) {
    return add(Long.toString(v));
  }

  public FieldWriter add(boolean v) {
    return add(v ? "1" : "0");
  }

  /** A double in plain decimal notation, e.g. {@code 0.0}, {@code 150.25}. */
  public FieldWriter add(double v) {
    return add(plain(v));
  }

  /** A double, or an empty field when {@code v} is NaN (unset). */
  public FieldWriter addOrEmpty(double v) {
    return Double.isNaN(v) ? empty() : add(plain(v));
  }

  /** A Decimal quantity without exponent or trailing zeros, e.g. {@code 100}, {@code 0.5}. */
  public FieldWriter addDecimal(double v) {
    return add(decimal(v));
  }

  public FieldWriter empty() {
    out.write(0);
    return this;
  }

  /** The frame bytes with the length prefix filled in. */
  public byte[] toFrame() {
    byte[] b = out.toByteArray();
    int len = b.length - 4;
    b[0] = (byte) (len >>> 24);
    b[1] = (byte) (len >>> 16);
    b[2] = (byte) (len >>> 8);
    b[3] = (byte) len;
    return b;
  }

  static String plain(double v) {
    if (!Double.isFinite(v)) {
      if (v == Double.POSITIVE_INFINITY) {
        return "Infinity";
      }
      throw new IllegalArgumentException("cannot send a non-finite double to IB, was " + v);
    }
    String s = Double.toString(v);
    if (s.indexOf('E') < 0) {
      return s;
    }
    return new BigDecimal(s).toPlainString();
  }

  static String decimal(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("cannot send a non-finite quantity to IB, was " + v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
