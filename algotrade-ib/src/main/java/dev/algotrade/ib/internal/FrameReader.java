package dev.algotrade.ib.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads length-prefixed frames (ib-protocol.md §1.5) from a stream into one reusable buffer.
 * A length above {@link #HARD_MAX_LENGTH} (0xFFFFFF, the official clients' limit) is fatal: the
 * stream cannot be trusted any more. A length above the configured lower cap but within the
 * hard cap is skipped (its bytes read and discarded) and reported as {@link Result#OVERSIZE}, so
 * framing stays intact and the connection lives.
 *
 * <p>Confined to the reader thread.
 */
public final class FrameReader {

  /** 16 MiB - 1: larger lengths are a protocol violation. */
  public static final int HARD_MAX_LENGTH = 0xFFFFFF;

  /** Outcome of {@link #next()}. */
  public enum Result {
    FRAME,
    OVERSIZE
  }

  private final InputStream in;
  private final int maxLength;
  private byte[] buf = new byte[4096];
  private int length;
  private final byte[] header = new byte[4];

  public FrameReader(InputStream in, int maxLength) {
    if (maxLength < 1 || maxLength > HARD_MAX_LENGTH) {
      throw new IllegalArgumentException(
          "FrameReader.maxLength must be in 1.." + HARD_MAX_LENGTH + ", was " + maxLength);
    }
    this.in = in;
    this.maxLength = maxLength;
  }

  /**
   * Reads the next frame.
   *
   * @throws EOFException at end of stream (also in the middle of a frame)
   * @throws FrameTooLongException if the length exceeds the hard cap
   */
  public Result next() throws IOException {
    readFully(header, 0, 4);
    long len = ((header[0] & 0xffL) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8)
        | (header[3] & 0xff);
    if (len > HARD_MAX_LENGTH) {
      throw new FrameTooLongException("IB frame length " + len + " exceeds the hard cap " + HARD_MAX_LENGTH);
    }
    if (len > maxLength) {
      long left = len;
      byte[] scratch = buf;
      while (left > 0) {
        int n = (int) Math.min(left, scratch.length);
        readFully(scratch, 0, n);
        left -= n;
      }
      length = (int) len;
      return Result.OVERSIZE;
    }
    int n = (int) len;
    if (n > buf.length) {
      buf = new byte[Math.max(n, Math.min(buf.length * 2, maxLength))];
    }
    readFully(buf, 0, n);
    length = n;
    return Result.FRAME;
  }

  /** The buffer holding the last frame's payload at offset 0 (valid until the next call). */
  public byte[] buffer() {
    return buf;
  }

  /** The last frame's payload length. */
  public int length() {
    return length;
  }

  private void readFully(byte[] b, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int r = in.read(b, off + done, len - done);
      if (r < 0) {
        throw new EOFException("IB connection closed by peer after " + done + " of " + len + " bytes");
      }
      done += r;
    }
  }

  /** A frame longer than 0xFFFFFF bytes: the connection must be dropped. */
  public static final class FrameTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    public FrameTooLongException(String message) {
      super(message);
    }
  }
}
