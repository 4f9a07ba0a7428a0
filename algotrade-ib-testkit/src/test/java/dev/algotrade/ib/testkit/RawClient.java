package dev.algotrade.ib.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately dumb test client: writes frames given as text with {@code |} standing for NUL
 * (as the protocol notes write them) and reads frames back as field lists. It shares no code
 * with the gateway. Confined to the test thread.
 */
final class RawClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(5000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static RawClient connect(int port) throws IOException {
    return new RawClient(new Socket("127.0.0.1", port));
  }

  /** Writes raw bytes exactly as given. */
  void writeBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** {@code API\0}, 4-byte length, then the version text (no NUL). */
  void hello(String versionText) throws IOException {
    byte[] text = versionText.getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[8 + text.length];
    b[0] = 'A';
    b[1] = 'P';
    b[2] = 'I';
    b[3] = 0;
    b[7] = (byte) text.length;
    System.arraycopy(text, 0, b, 8, text.length);
    writeBytes(b);
  }

  /** Sends one frame; {@code pipes} is the payload with each NUL written as {@code |}. */
  void send(String pipes) throws IOException {
    byte[] payload = pipes.replace('|', '\0').getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[4 + payload.length];
    int n = payload.length;
    b[0] = (byte) (n >>> 24);
    b[1] = (byte) (n >>> 16);
    b[2] = (byte) (n >>> 8);
    b[3] = (byte) n;
    System.arraycopy(payload, 0, b, 4, n);
    writeBytes(b);
  }

  /** Sends fields (each followed by NUL). */
  void sendFields(List<String> fields) throws IOException {
    send(String.join("|", fields) + "|");
  }

  /** Reads one frame as fields; the payload must end with NUL. */
  List<String> read() throws IOException {
    int len = in.readInt();
    assertThat(len).as("frame length").isBetween(1, 1 << 20);
    byte[] payload = new byte[len];
    in.readFully(payload);
    assertThat(payload[len - 1]).as("payload ends with NUL").isEqualTo((byte) 0);
    List<String> fields = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < len; i++) {
      if (payload[i] == 0) {
        fields.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return fields;
  }

  /** Reads one frame and asserts it equals {@code pipes} (NUL written as {@code |}). */
  List<String> expect(String pipes) throws IOException {
    List<String> f = read();
    assertThat(String.join("|", f) + "|").isEqualTo(pipes);
    return f;
  }

  /** Reads frames until one starts with {@code msgId}; returns it. */
  List<String> readUntil(String msgId) throws IOException {
    for (int i = 0; i < 200; i++) {
      List<String> f = read();
      if (f.get(0).equals(msgId)) {
        return f;
      }
    }
    throw new AssertionError("no message " + msgId + " in 200 frames");
  }

  /** True if the peer closed the connection (EOF) before anything else arrived. */
  boolean closedByPeer() throws IOException {
    try {
      int b = in.read();
      return b < 0;
    } catch (EOFException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /** Asserts nothing arrives within {@code millis}. */
  void expectSilence(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      int b = in.read();
      throw new AssertionError("expected silence but got byte " + b);
    } catch (SocketTimeoutException e) {
      // expected
    } finally {
      socket.setSoTimeout(5000);
    }
  }

  /** Handshake v157..178 + startApi for {@code clientId}; consumes the 5-message burst. */
  static RawClient started(int port, int clientId) throws IOException {
    RawClient c = connect(port);
    c.hello("v157..178");
    c.read();
    c.send("71|2|" + clientId + "||");
    c.readUntil("15");
    c.readUntil("9");
    c.readUntil("4");
    c.readUntil("4");
    c.readUntil("4");
    return c;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
