package dev.algotrade.ib.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.ib.Wire;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The inbound path fed garbage: random bytes, truncated and bit-flipped versions of real
 * messages, and absurd length prefixes. No exception may escape {@link Decoder#decode} (a bad
 * message is counted as malformed and skipped), the frame reader never allocates beyond its
 * configured cap, and the only errors it raises are the two that mean "drop the connection":
 * a length above the hard cap, or the stream ending inside a frame.
 */
class DecoderFuzzTest {

  /** Real message shapes (from the protocol notes, as in DecoderTest) to mutate. */
  private static final List<String> CORPUS = List.of(
      "1|6|5|1|150.25|100|1|", "2|6|5|0|300|", "45|6|5|49|0.0|", "46|6|5|45|1704205865|",
      "57|1|5|", "58|1|5|3|", "81|5|0.01|9c0001|3|", "4|2|-1|2104|Market data farm connection is OK:usfarm||",
      "4|2|7|201|Order rejected - reason: margin||", "9|1|42|", "15|1|DU123456|", "49|1|1704205865|",
      "3|7|Filled|40|0|150.25|1376541291|0|150.25|7||0|", "61|3|DU123456|265598|AAPL|STK||0.0|||NASDAQ|USD|AAPL|NMS|100|150.0|",
      "62|1|", "63|1|1|DU123456|NetLiquidation|1000000.00|USD|", "64|1|1|",
      DecoderTest.EXEC_DETAILS, DecoderTest.CONTRACT_DATA, DecoderTest.OPEN_ORDER);

  private final Decoder decoder = new Decoder();
  private final DecoderTest.Recorder handler = new DecoderTest.Recorder();

  private void decodeMustNotThrow(byte[] b, int len) {
    // any exception here fails the test: decode() must contain it
    decoder.decode(b, 0, len, handler);
  }

  @Test
  void randomBytesNeverEscapeTheDecoder() {
    SplittableRandom r = new SplittableRandom(20261124L);
    for (int i = 0; i < 200_000; i++) {
      int len = r.nextInt(0, 200);
      byte[] b = new byte[len];
      for (int k = 0; k < len; k++) {
        // mostly digits, NULs and signs, so many inputs get past the message id
        int pick = r.nextInt(10);
        b[k] = pick < 5 ? (byte) ('0' + r.nextInt(10)) : pick < 8 ? 0 : pick == 8 ? (byte) '-' : (byte) r.nextInt(256);
      }
      decodeMustNotThrow(b, len);
    }
    assertThat(decoder.malformedCount() + decoder.unknownCount() + decoder.ignoredCount() + decoder.decodedCount())
        .as("every input was accounted for").isPositive();
  }

  @Test
  void everyTruncationAndBitFlipOfRealMessagesIsContained() {
    SplittableRandom r = new SplittableRandom(7);
    long before = decoder.malformedCount();
    for (String m : CORPUS) {
      byte[] full = Wire.p(m);
      for (int cut = 0; cut < full.length; cut++) {
        decodeMustNotThrow(full.clone(), cut);
      }
      for (int i = 0; i < 2_000; i++) {
        byte[] b = full.clone();
        int flips = 1 + r.nextInt(3);
        for (int f = 0; f < flips; f++) {
          b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        decodeMustNotThrow(b, b.length);
      }
    }
    assertThat(decoder.malformedCount()).as("truncated messages are counted as malformed").isGreaterThan(before);
  }

  @Test
  void absurdLengthPrefixesFailFastWithoutAllocating() throws IOException {
    for (long len : new long[] {0xFFFFFFFFL, 0x7FFFFFFFL, 0x01000000L}) {
      byte[] header = {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
      FrameReader fr = new FrameReader(new ByteArrayInputStream(header), 1 << 16);
      assertThatThrownBy(fr::next).isInstanceOf(FrameReader.FrameTooLongException.class)
          .hasMessageContaining(Long.toString(len));
      assertThat(fr.buffer().length).as("no buffer grown for a length that was refused").isLessThanOrEqualTo(4096);
    }
  }

  @Test
  void oversizeFramesAreSkippedWithoutGrowingTheBufferAndTheStreamStaysInSync() throws IOException {
    int cap = 1024;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] big = new byte[200_000];
    out.write(new byte[] {0, 3, 0x0d, 0x40}); // 200,000: under the hard cap, over ours
    out.write(big);
    out.write(Wire.frame("9|1|42|"));
    FrameReader fr = new FrameReader(new ByteArrayInputStream(out.toByteArray()), cap);
    assertThat(fr.next()).isEqualTo(FrameReader.Result.OVERSIZE);
    assertThat(fr.buffer().length).isLessThanOrEqualTo(4096);
    assertThat(fr.next()).isEqualTo(FrameReader.Result.FRAME);
    assertThat(decoder.decode(fr.buffer(), 0, fr.length(), handler)).isTrue();
  }

  @Test
  void aRandomStreamOfFramesNeverGrowsTheBufferBeyondTheCapAndOnlyEndsWithEof() throws IOException {
    SplittableRandom r = new SplittableRandom(99);
    int cap = 8192;
    for (int run = 0; run < 50; run++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      List<Integer> lengths = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = r.nextInt(10) == 0 ? r.nextInt(cap, 4 * cap) : r.nextInt(0, 300);
        lengths.add(n);
        out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        byte[] payload = new byte[n];
        for (int k = 0; k < n; k++) {
          payload[k] = r.nextInt(4) == 0 ? 0 : (byte) ('0' + r.nextInt(10));
        }
        out.write(payload);
      }
      byte[] all = out.toByteArray();
      // cut the stream somewhere: the reader must end with EOF, never with anything else
      int cut = r.nextInt(all.length);
      FrameReader fr = new FrameReader(new ByteArrayInputStream(all, 0, cut), cap);
      int frames = 0;
      try {
        while (true) {
          FrameReader.Result res = fr.next();
          assertThat(fr.buffer().length).isLessThanOrEqualTo(Math.max(4096, cap));
          if (res == FrameReader.Result.FRAME) {
            assertThat(fr.length()).isEqualTo(lengths.get(frames));
            decodeMustNotThrow(fr.buffer(), fr.length());
          }
          frames++;
        }
      } catch (EOFException expected) {
        assertThat(frames).isLessThanOrEqualTo(lengths.size());
      }
    }
  }
}
