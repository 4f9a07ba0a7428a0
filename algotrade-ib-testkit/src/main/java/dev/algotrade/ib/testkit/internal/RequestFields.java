package dev.algotrade.ib.testkit.internal;

/**
 * A read cursor over the fields of one client request. Empty numeric fields read as 0 (or as
 * "unset" for the {@code *OrUnset} variants). Not thread-safe.
 */
public final class RequestFields {

  private final String[] fields;
  private int pos;

  public RequestFields(String[] fields) {
    this.fields = fields;
  }

  public boolean hasMore() {
    return pos < fields.length;
  }

  public int position() {
    return pos;
  }

  public int size() {
    return fields.length;
  }

  /** The next field, or "" past the end (a short request reads as empty fields). */
  public String str() {
    return pos < fields.length ? fields[pos++] : nextPastEnd();
  }

  private String nextPastEnd() {
    pos++;
    return "";
  }

  public void skip(int n) {
    pos += n;
  }

  public int intValue() {
    String s = str().trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return (int) Math.round(parseDouble(s, 0));
    }
  }

  public long longValue() {
    String s = str().trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return Math.round(parseDouble(s, 0));
    }
  }

  public boolean bool() {
    String s = str().trim();
    return !s.isEmpty() && !s.equals("0") && !s.equalsIgnoreCase("false");
  }

  /** A double; empty reads as 0. */
  public double doubleValue() {
    return parseDouble(str().trim(), 0);
  }

  /** A double; empty or the max literal reads as {@link Double#NaN} ("not set"). */
  public double doubleOrUnset() {
    double v = parseDouble(str().trim(), Double.NaN);
    return v == Double.MAX_VALUE || v >= 1e300 ? Double.NaN : v;
  }

  private static double parseDouble(String s, double empty) {
    if (s.isEmpty()) {
      return empty;
    }
    if (s.equals("Infinity") || s.equals("Infinite") || s.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
