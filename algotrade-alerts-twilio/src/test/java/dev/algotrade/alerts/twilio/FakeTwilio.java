package dev.algotrade.alerts.twilio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A stand-in for Twilio's REST API on 127.0.0.1 and an ephemeral port. Records every request
 * and answers from a script (201 with a Message resource by default). Thread-safe.
 */
final class FakeTwilio implements AutoCloseable {

  record Recorded(String method, String path, String authorization, String contentType, Map<String, String> form) {
    /** The user name of the basic-auth header. */
    String basicUser() {
      return basicCredentials().split(":", 2)[0];
    }

    String basicCredentials() {
      if (authorization == null || !authorization.startsWith("Basic ")) {
        return "";
      }
      return new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
    }
  }

  /** One scripted answer; {@code hang} makes the server wait (until closed) without answering. */
  record Reply(int status, String body, boolean hang) {
    static Reply error(int status, int code, String message) {
      return new Reply(status,
          "{\"code\":" + code + ",\"message\":\"" + message + "\",\"more_info\":\"https://www.twilio.com/docs/errors/"
              + code + "\",\"status\":" + status + "}", false);
    }

    static Reply hanging() {
      return new Reply(0, "", true);
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Recorded> requests = new ArrayList<>();
  private final Deque<Reply> script = new ArrayDeque<>();
  private Reply always;
  private final CountDownLatch closing = new CountDownLatch(1);

  FakeTwilio() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers the next requests with these replies, in order, then 201s (or {@link #always}). */
  synchronized FakeTwilio then(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  synchronized FakeTwilio always(Reply reply) {
    always = reply;
    return this;
  }

  synchronized List<Recorded> requests() {
    return List.copyOf(requests);
  }

  synchronized int count() {
    return requests.size();
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Recorded rec = new Recorded(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
        ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"),
        parseForm(body));
    Reply reply;
    synchronized (this) {
      requests.add(rec);
      reply = script.isEmpty() ? always : script.poll();
    }
    if (reply == null) {
      reply = new Reply(201, created(rec), false);
    }
    if (reply.hang()) {
      try {
        closing.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
      return;
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
    ex.close();
  }

  private static String created(Recorded rec) {
    return "{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"status\":\"queued\",\"to\":\"" + json(rec.form().get("To"))
        + "\",\"from\":\"" + json(rec.form().get("From")) + "\",\"body\":\"" + json(rec.form().get("Body"))
        + "\",\"num_segments\":\"1\",\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\"}";
  }

  private static String json(String s) {
    return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  static Map<String, String> parseForm(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return out;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  /** Polls until the condition holds; fails after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
