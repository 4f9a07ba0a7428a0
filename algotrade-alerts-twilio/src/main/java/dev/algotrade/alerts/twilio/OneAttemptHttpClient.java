package dev.algotrade.alerts.twilio;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.apache.http.HttpHost;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.config.SocketConfig;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * twilio-java's HTTP client with our timeouts, exactly one attempt per request (the SDK's own
 * retry of 5xx answers is switched off: {@link TwilioAlerter} and the composite alerter decide
 * about retries), and optionally every request routed to another host and port, keeping the
 * path, headers and form body Twilio's SDK built. Thread-safe.
 */
final class OneAttemptHttpClient extends NetworkHttpClient {

  OneAttemptHttpClient(Duration timeout, URI endpoint) {
    super(builder(timeout, endpoint));
  }

  private static HttpClientBuilder builder(Duration timeout, URI endpoint) {
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    RequestConfig requestConfig =
        RequestConfig.custom().setConnectTimeout(ms).setSocketTimeout(ms).setConnectionRequestTimeout(ms).build();
    PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
    connections.setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(ms).build());
    connections.setDefaultMaxPerRoute(4);
    connections.setMaxTotal(8);
    HttpClientBuilder b = HttpClientBuilder.create()
        .setConnectionManager(connections)
        .setDefaultRequestConfig(requestConfig)
        .disableAutomaticRetries();
    if (endpoint == null) {
      b.useSystemProperties();
    } else {
      boolean secure = endpoint.getScheme().toLowerCase(Locale.ROOT).equals("https");
      int port = endpoint.getPort() > 0 ? endpoint.getPort() : secure ? 443 : 80;
      HttpHost target = new HttpHost(endpoint.getHost(), port, secure ? "https" : "http");
      b.setRoutePlanner((host, request, context) -> new HttpRoute(target, null, secure));
    }
    return b;
  }

  @Override
  public Response reliableRequest(Request request) {
    return makeRequest(request);
  }

  @Override
  public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
    return makeRequest(request);
  }

  void close() {
    if (client instanceof Closeable c) {
      try {
        c.close();
      } catch (IOException e) {
        // nothing left to release
      }
    }
  }
}
