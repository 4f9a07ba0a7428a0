package dev.algotrade.ib.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one server message: each field is written as text and followed by a NUL. Not
 * thread-safe; build one message per instance.
 */
public final class MessageBuilder {

  private final List<String> fields = new ArrayList<>(32);

  public MessageBuilder(int messageId) {
    add(messageId);
  }

  public MessageBuilder add(String s) {
    fields.add(s == null ? "" : Wire.escapeNonAscii(s));
    return this;
  }

  public MessageBuilder add(int v) {
    fields.add(Integer.toString(v));
    return this;
  }

  public MessageBuilder add(long v) {
    fields.add(Long.toString(v));
    return this;
  }

  /** A double in plain decimal; {@link Double#MAX_VALUE} is written as the unset literal. */
  public MessageBuilder add(double v) {
    fields.add(Wire.decimal(v));
    return this;
  }

  public MessageBuilder add(boolean v) {
    fields.add(v ? "1" : "0");
    return this;
  }

  /** The unset-double literal {@link Wire#UNSET_DOUBLE}. */
  public MessageBuilder unsetDouble() {
    fields.add(Wire.UNSET_DOUBLE);
    return this;
  }

  /** A price, or the unset literal when {@code v} is 0 or NaN. */
  public MessageBuilder priceOrUnset(double v) {
    return v == 0 || Double.isNaN(v) ? unsetDouble() : add(v);
  }

  public MessageBuilder empty() {
    fields.add("");
    return this;
  }

  public int fieldCount() {
    return fields.size();
  }

  /** The fields as written (for tests and logging). */
  public List<String> fields() {
    return List.copyOf(fields);
  }

  /** The payload without its length prefix. */
  public byte[] payload() {
    StringBuilder sb = new StringBuilder(fields.size() * 8);
    for (String f : fields) {
      sb.append(f).append('\0');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Length prefix + payload, ready for the socket. */
  public byte[] frame() {
    return Wire.frame(payload());
  }
}
