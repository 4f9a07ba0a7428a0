package dev.algotrade.ib.internal;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Builds one outgoing frame: a 4-byte big-endian length followed by NUL-terminated fields
 * (ib-protocol.md §1.5, §1.6). Doubles are written in plain decimal notation (no exponent);
 * "unset" values are written as empty fields. Strings outside printable ASCII are refused, as
 * IB's own clients do (their client error 579).
 *
 * <p>Bytes go into a plain growable array and integers are written digit by digit, so building
 * a frame (placeOrder is on the tick-to-order path) takes no locks and allocates only the
 * buffer and the final frame.
 *
 * <p>Not thread-safe; create one per message.
 */
public final class FieldWriter {

  private byte[] buf = new byte[256];
  private int size = 4; // room for the length prefix

  public FieldWriter() {}

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }
  }

  public FieldWriter add(String s) {
    int n = s.length();
    ensure(n + 1);
    byte[] b = buf;
    int at = size;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if ((c < 32 || c > 126) && c != '\t' && c != '\n' && c != '\r') {
        throw new IllegalArgumentException(
            "IB fields must be printable ASCII, was " + (int) c + " at index " + i + " of '" + s + "'");
      }
      b[at++] = (byte) c;
    }
    b[at++] = 0;
    size = at;
    return this;
  }

  public FieldWriter add(int v) {
    return add((long) v);
  }

  public FieldWriter add(long v) {
    if (v == Long.MIN_VALUE) {
      return add(Long.toString(v));
    }
    ensure(21);
    byte[] b = buf;
    int at = size;
    if (v < 0) {
      b[at++] = '-';
      v = -v;
    }
    int digits = 1;
    for (long t = v; t >= 10; t /= 10) {
      digits++;
    }
    for (int i = at + digits - 1; i >= at; i--) {
      b[i] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    }
    at += digits;
    b[at++] = 0;
    size = at;
    return this;
  }

  public FieldWriter add(boolean v) {
    ensure(2);
    buf[size++] = (byte) (v ? '1' : '0');
    buf[size++] = 0;
    return this;
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
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return add((long) v); // the usual whole quantity, without a String
    }
    return add(decimal(v));
  }

  public FieldWriter empty() {
    ensure(1);
    buf[size++] = 0;
    return this;
  }

  /** The frame bytes with the length prefix filled in. */
  public byte[] toFrame() {
    byte[] b = Arrays.copyOf(buf, size);
    int len = size - 4;
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
