package dev.algotrade.ib;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A scripted fake TWS on 127.0.0.1 and an ephemeral port: the test accepts the client's
 * connection, checks its bytes and answers with frames written by hand from ib-protocol.md.
 * Single-threaded: the test thread drives it.
 */
final class FakeTws implements AutoCloseable {

  private final ServerSocket server;
  private Socket socket;
  private DataInputStream in;
  private OutputStream out;

  FakeTws() throws IOException {
    this(0);
  }

  /** A fake whose accepted socket has a receive buffer of {@code receiveBufferBytes} (0: the default). */
  FakeTws(int receiveBufferBytes) throws IOException {
    server = new ServerSocket();
    if (receiveBufferBytes > 0) {
      server.setReceiveBufferSize(receiveBufferBytes);
    }
    server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
    server.setSoTimeout(10_000);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Accepts the client's connection. */
  void accept() throws IOException {
    socket = server.accept();
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Reads {@code API\0}, the length and the version range; returns the raw 8+N bytes. */
  byte[] readHandshake() throws IOException {
    byte[] head = new byte[8];
    in.readFully(head);
    int n = ((head[4] & 0xff) << 24) | ((head[5] & 0xff) << 16) | ((head[6] & 0xff) << 8) | (head[7] & 0xff);
    byte[] all = new byte[8 + n];
    System.arraycopy(head, 0, all, 0, 8);
    in.readFully(all, 8, n);
    return all;
  }

  /** Reads one client message; returns its payload in notes notation ({@code |} for NUL). */
  String read() throws IOException {
    int n = in.readInt();
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.ISO_8859_1).replace('\0', '|');
  }

  /** Sends one frame written in notes notation. */
  void send(String notesNotation) throws IOException {
    out.write(Wire.frame(notesNotation));
    out.flush();
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * The usual start: accept, read the handshake, answer 178, read startApi, send
   * managedAccounts and nextValidId.
   */
  void handshake(String account, int nextValidId) throws IOException {
    accept();
    readHandshake();
    send("178|20260105 09:30:00 EST|");
    String startApi = read();
    if (!startApi.startsWith("71|2|")) {
      throw new AssertionError("expected startApi, got " + startApi);
    }
    send("15|1|" + account + "|");
    send("9|1|" + nextValidId + "|");
  }

  void closeClientSocket() throws IOException {
    socket.close();
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
    }
    server.close();
  }
}
