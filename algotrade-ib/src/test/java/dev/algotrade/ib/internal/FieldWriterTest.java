package dev.algotrade.ib.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The frame builder's own encodings: integers digit by digit, growth past the first buffer, the length prefix. */
class FieldWriterTest {

  private static String payload(byte[] frame) {
    return new String(frame, 4, frame.length - 4, StandardCharsets.US_ASCII).replace('\0', '|');
  }

  private static int lengthPrefix(byte[] f) {
    return ((f[0] & 0xff) << 24) | ((f[1] & 0xff) << 16) | ((f[2] & 0xff) << 8) | (f[3] & 0xff);
  }

  @Test
  void integersMatchTheirDecimalText() {
    long[] values = {0, 7, 9, 10, 99, 100, -1, -10, 123_456_789, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000_000_000L};
    FieldWriter w = new FieldWriter();
    StringBuilder expected = new StringBuilder();
    for (long v : values) {
      w.add(v);
      expected.append(v).append('|');
    }
    w.add(-42).add(2_000_000_000);
    expected.append("-42|2000000000|");
    assertThat(payload(w.toFrame())).isEqualTo(expected.toString());
  }

  @Test
  void wholeAndFractionalQuantities() {
    byte[] f = new FieldWriter().addDecimal(100).addDecimal(0.5).addDecimal(-3).addDecimal(1e15).addDecimal(-0.0)
        .toFrame();
    assertThat(payload(f)).isEqualTo("100|0.5|-3|1000000000000000|0|");
  }

  @Test
  void growsPastTheFirstBufferAndPrefixesTheLength() {
    FieldWriter w = new FieldWriter();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      w.add("field" + i).add(i % 2 == 0).empty();
      expected.append("field").append(i).append('|').append(i % 2 == 0 ? '1' : '0').append("||");
    }
    byte[] f = w.toFrame();
    assertThat(payload(f)).isEqualTo(expected.toString());
    assertThat(lengthPrefix(f)).isEqualTo(f.length - 4);
  }
}
