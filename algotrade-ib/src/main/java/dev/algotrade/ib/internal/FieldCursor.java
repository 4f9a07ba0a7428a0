package dev.algotrade.ib.internal;

import java.nio.charset.StandardCharsets;

/**
 * Reads NUL-terminated fields straight from a payload byte array, parsing numbers from the bytes
 * without creating a {@code String} per field (the tick hot path allocates nothing here).
 * Unset conventions follow ib-protocol.md §1.7: an empty int is 0, an empty double is 0.0 unless
 * read with {@link #nextDoubleOrUnset()}, and a Decimal (size, quantity) that is empty or one of
 * the "max" literals reads as {@code NaN}.
 *
 * <p>Not thread-safe: one cursor per reader thread, {@link #reset reset} for every payload.
 */
public final class FieldCursor {

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18
  };

  private byte[] buf;
  private int pos;
  private int end;
  /** Bounds of the field last scanned by {@link #scan()}. */
  private int fieldStart;
  private int fieldEnd;

  /** Points the cursor at {@code buf[offset .. offset+length)}. */
  public FieldCursor reset(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
    return this;
  }

  /** Whether another field follows. */
  public boolean hasMore() {
    return pos < end;
  }

  /** Offset of the next field. */
  public int position() {
    return pos;
  }

  private void scan() {
    int p = pos;
    byte[] b = buf;
    int e = end;
    if (p >= e) {
      throw new MalformedMessageException("missing field at offset " + p);
    }
    while (p < e && b[p] != 0) {
      p++;
    }
    if (p >= e) {
      throw new MalformedMessageException("field at offset " + pos + " is not NUL-terminated");
    }
    fieldStart = pos;
    fieldEnd = p;
    pos = p + 1;
  }

  /** Skips one field. */
  public void skip() {
    scan();
  }

  /** Skips {@code n} fields. */
  public void skip(int n) {
    for (int i = 0; i < n; i++) {
      scan();
    }
  }

  /** Whether the next field is empty (does not consume it). */
  public boolean peekEmpty() {
    return pos < end && buf[pos] == 0;
  }

  /** The next field as text (UTF-8, replacing malformed bytes). */
  public String nextString() {
    scan();
    int len = fieldEnd - fieldStart;
    if (len == 0) {
      return "";
    }
    return new String(buf, fieldStart, len, StandardCharsets.UTF_8);
  }

  /** The next field as text with IB's {@code \\uXXXX} escapes decoded (error text, longName). */
  public String nextEscapedString() {
    return unescape(nextString());
  }

  /** The next field as an int; empty is 0. */
  public int nextInt() {
    long v = nextLong();
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      throw new MalformedMessageException("int field out of range: " + v);
    }
    return (int) v;
  }

  /** The next field as a long; empty is 0. */
  public long nextLong() {
    scan();
    int p = fieldStart;
    int e = fieldEnd;
    if (p == e) {
      return 0;
    }
    boolean neg = false;
    if (buf[p] == '-') {
      neg = true;
      p++;
    } else if (buf[p] == '+') {
      p++;
    }
    if (p == e || e - p > 19) {
      throw bad("integer");
    }
    long v = 0;
    for (; p < e; p++) {
      int d = buf[p] - '0';
      if (d < 0 || d > 9) {
        throw bad("integer");
      }
      v = v * 10 + d;
      if (v < 0) {
        throw bad("integer");
      }
    }
    return neg ? -v : v;
  }

  /** The next field as a boolean (integer text, non-zero = true; empty = false). */
  public boolean nextBool() {
    return nextLong() != 0;
  }

  /** The next field as a double; empty is 0.0; the max-double literal stays {@code Double.MAX_VALUE}. */
  public double nextDouble() {
    scan();
    if (fieldStart == fieldEnd) {
      return 0.0;
    }
    return parseDouble(fieldStart, fieldEnd);
  }

  /** The next field as a double; empty or the max-double literal is {@code NaN} (unset). */
  public double nextDoubleOrUnset() {
    scan();
    if (fieldStart == fieldEnd) {
      return Double.NaN;
    }
    double v = parseDouble(fieldStart, fieldEnd);
    return v == Double.MAX_VALUE ? Double.NaN : v;
  }

  /**
   * The next field as an IB Decimal (size, quantity, position): empty, {@code 2147483647},
   * {@code 9223372036854775807} or the max-double literal read as {@code NaN} (unset).
   */
  public double nextDecimal() {
    scan();
    if (fieldStart == fieldEnd) {
      return Double.NaN;
    }
    double v = parseDouble(fieldStart, fieldEnd);
    if (v == Double.MAX_VALUE || v == 2147483647.0 || v == 9223372036854775807.0) {
      return Double.NaN;
    }
    return v;
  }

  private double parseDouble(int start, int e) {
    // Fast path: [-]digits[.digits] with at most 18 significant digits. A mantissa below 2^53
    // divided by an exact power of ten is correctly rounded (Clinger's fast path).
    int p = start;
    boolean neg = false;
    if (buf[p] == '-') {
      neg = true;
      p++;
    }
    long mant = 0;
    int digits = 0;
    int fracDigits = 0;
    boolean dot = false;
    boolean fast = p < e;
    for (; p < e; p++) {
      byte c = buf[p];
      if (c >= '0' && c <= '9') {
        if (digits > 0 || c != '0') {
          digits++;
        }
        mant = mant * 10 + (c - '0');
        if (dot) {
          fracDigits++;
        }
        if (digits > 15 || fracDigits > 18) {
          fast = false;
          break;
        }
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        fast = false;
        break;
      }
    }
    if (fast) {
      double v = fracDigits == 0 ? (double) mant : mant / POW10[fracDigits];
      return neg ? -v : v;
    }
    String s = new String(buf, start, e - start, StandardCharsets.US_ASCII);
    try {
      if (s.equals("Infinity") || s.equals("Infinite")) {
        return Double.POSITIVE_INFINITY;
      }
      return Double.parseDouble(s);
    } catch (NumberFormatException ex) {
      throw new MalformedMessageException("not a number: '" + s + "'", ex);
    }
  }

  private MalformedMessageException bad(String what) {
    return new MalformedMessageException(
        "not an " + what + ": '" + new String(buf, fieldStart, fieldEnd - fieldStart, StandardCharsets.UTF_8) + "'");
  }

  /** Decodes {@code \\uXXXX} escapes (server version >= 153 sends non-ASCII text this way). */
  static String unescape(String s) {
    int i = s.indexOf("\\u");
    if (i < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    int from = 0;
    while (i >= 0) {
      sb.append(s, from, i);
      if (i + 6 <= s.length()) {
        try {
          sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
          from = i + 6;
        } catch (NumberFormatException e) {
          sb.append("\\u");
          from = i + 2;
        }
      } else {
        sb.append("\\u");
        from = i + 2;
      }
      i = s.indexOf("\\u", from);
    }
    sb.append(s, from, s.length());
    return sb.toString();
  }
}
