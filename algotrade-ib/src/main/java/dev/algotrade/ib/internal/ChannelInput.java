package dev.algotrade.ib.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A buffered {@link InputStream} over a <em>non-blocking</em> socket channel, for the reader
 * thread. The channel is non-blocking so that other threads can write to it without ever
 * waiting on the network (see {@code IbClient}); this side waits for bytes in its own
 * {@link Selector}. One read system call fetches everything the kernel has (up to the buffer),
 * so a burst of small frames costs one call instead of two per frame.
 *
 * <p>{@link #timeout(long)} bounds how long a read may wait ({@link SocketTimeoutException});
 * 0 waits for ever. {@link #wakeup()} (any thread) makes a waiting read look at the channel
 * again: a closed channel then ends the read with {@link ClosedChannelException}.
 *
 * <p>Reading is confined to one thread.
 */
public final class ChannelInput extends InputStream {

  private final SocketChannel channel;
  private final Selector selector;
  private final ByteBuffer buf;
  private long timeoutNanos;

  /** Wraps {@code channel}, which must already be in non-blocking mode. */
  public ChannelInput(SocketChannel channel, int bufferBytes) throws IOException {
    if (channel.isBlocking()) {
      throw new IllegalArgumentException("ChannelInput needs a non-blocking channel");
    }
    if (bufferBytes < 64) {
      throw new IllegalArgumentException("ChannelInput.bufferBytes must be >= 64, was " + bufferBytes);
    }
    this.channel = channel;
    this.selector = Selector.open();
    try {
      channel.register(selector, SelectionKey.OP_READ);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
    this.buf = ByteBuffer.allocateDirect(bufferBytes);
    buf.flip(); // empty
  }

  /** How long one read may wait for bytes; 0: no limit. */
  public void timeout(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("ChannelInput.timeout must be >= 0, was " + millis);
    }
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /** Any thread: a read waiting for bytes looks again (and fails if the channel was closed). */
  public void wakeup() {
    selector.wakeup();
  }

  @Override
  public int read() throws IOException {
    if (!buf.hasRemaining() && fill() < 0) {
      return -1;
    }
    return buf.get() & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!buf.hasRemaining() && fill() < 0) {
      return -1;
    }
    int n = Math.min(len, buf.remaining());
    buf.get(b, off, n);
    return n;
  }

  @Override
  public int available() {
    return buf.remaining();
  }

  /** Reads what the kernel has, waiting if it has nothing; -1 at end of stream. */
  private int fill() throws IOException {
    buf.clear();
    long deadline = timeoutNanos == 0 ? 0 : System.nanoTime() + timeoutNanos;
    try {
      while (true) {
        int r = channel.read(buf);
        if (r != 0) {
          return r;
        }
        if (!channel.isOpen()) {
          throw new ClosedChannelException();
        }
        if (deadline == 0) {
          selector.select();
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new SocketTimeoutException("no bytes from IB within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                + " ms");
          }
          selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        selector.selectedKeys().clear();
        if (!channel.isOpen()) {
          throw new ClosedChannelException();
        }
      }
    } finally {
      buf.flip();
    }
  }

  /** Closes the selector (not the channel). */
  @Override
  public void close() throws IOException {
    selector.close();
  }
}
