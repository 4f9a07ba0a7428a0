package dev.algotrade.ib.internal;

import static dev.algotrade.ib.Wire.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

  /** Hands out at most 3 bytes per read, like a slow TCP stream. */
  static final class Trickle extends InputStream {
    private final InputStream in;

    Trickle(byte[] b) {
      in = new ByteArrayInputStream(b);
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, Math.min(3, len));
    }
  }

  @Test
  void reassemblesPartialReads() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(frame("9|1|100|"));
    all.write(frame("15|1|DU123456|"));
    FrameReader r = new FrameReader(new Trickle(all.toByteArray()), 1024);
    assertThat(r.next()).isEqualTo(FrameReader.Result.FRAME);
    assertThat(new String(r.buffer(), 0, r.length(), StandardCharsets.US_ASCII)).isEqualTo("9\u00001\u0000100\u0000");
    assertThat(r.next()).isEqualTo(FrameReader.Result.FRAME);
    assertThat(r.length()).isEqualTo(14);
    assertThatThrownBy(r::next).isInstanceOf(EOFException.class);
  }

  @Test
  void frameAboveTheConfiguredCapIsSkippedAndTheNextOneRead() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(frame("46|6|5|45|" + "x".repeat(2000) + "|"));
    all.write(frame("9|1|100|"));
    FrameReader r = new FrameReader(new ByteArrayInputStream(all.toByteArray()), 1024);
    assertThat(r.next()).isEqualTo(FrameReader.Result.OVERSIZE);
    assertThat(r.next()).isEqualTo(FrameReader.Result.FRAME);
    assertThat(r.length()).isEqualTo(8);
  }

  @Test
  void lengthAboveTheHardCapIsFatal() {
    byte[] b = {0x01, 0x00, 0x00, 0x00, 'x'};
    FrameReader r = new FrameReader(new ByteArrayInputStream(b), FrameReader.HARD_MAX_LENGTH);
    assertThatThrownBy(r::next).isInstanceOf(FrameReader.FrameTooLongException.class)
        .hasMessageContaining("16777216");
  }

  @Test
  void eofInsideAFrame() {
    byte[] b = {0, 0, 0, 10, '1'};
    FrameReader r = new FrameReader(new ByteArrayInputStream(b), 1024);
    assertThatThrownBy(r::next).isInstanceOf(EOFException.class);
  }
}
