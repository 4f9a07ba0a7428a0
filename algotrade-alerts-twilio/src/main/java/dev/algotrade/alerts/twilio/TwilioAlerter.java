package dev.algotrade.alerts.twilio;

import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.AlertDeliveryException;
import dev.algotrade.api.alert.Alerter;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts as WhatsApp messages (when {@link TwilioConfig#from()} starts with {@code
 * whatsapp:}) or SMS through Twilio's Messages API, one message per recipient.
 *
 * <p>A message is short and readable on a phone:
 *
 * <pre>
 * [CRITICAL] Circuit breaker tripped
 * reason=DAILY_LOSS_LIMIT pnl=-512.40 limit=500.00
 * 14:32:05 EST
 * </pre>
 *
 * (severity and title, the alert's text, the alert's time in the configured zone), cut to
 * {@link TwilioConfig#maxLength()} characters.
 *
 * <p>Two ways to use it:
 *
 * <ul>
 *   <li>As a channel of the core composite alerter, which calls {@link #deliver}: one attempt
 *       per recipient on the caller's thread, failures thrown as {@link
 *       AlertDeliveryException}: retryable for 5xx, 429, timeouts and connection errors,
 *       permanent for other 4xx (bad number, bad credentials). A retry skips recipients that
 *       already have the message.
 *   <li>On its own through {@link #send}: queued (bounded, {@link
 *       TwilioConfig#queueCapacity()}) on its own thread, each recipient retried with
 *       exponential backoff up to {@link TwilioConfig#maxAttempts()}, failures logged and
 *       counted; never blocks or throws.
 * </ul>
 *
 * <p>The auth token never appears in a log line, an exception message or {@link #toString()}.
 * Thread-safe.
 */
public final class TwilioAlerter implements Alerter {

  private static final Logger log = LoggerFactory.getLogger(TwilioAlerter.class);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss z", Locale.US);
  private static final int REMEMBERED_ALERTS = 256;

  private final TwilioConfig config;
  private final OneAttemptHttpClient http;
  private final TwilioRestClient client;
  private final ScheduledThreadPoolExecutor executor;
  private final Map<Alert, Set<String>> settled = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Alert, Set<String>> eldest) {
      return size() > REMEMBERED_ALERTS;
    }
  };
  private final AtomicInteger pending = new AtomicInteger();
  private final ReentrantLock drainLock = new ReentrantLock();
  private final Condition drained = drainLock.newCondition();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  private TwilioAlerter(TwilioConfig config) {
    this.config = config;
    this.http = new OneAttemptHttpClient(config.timeout(), config.endpoint());
    this.client = new TwilioRestClient.Builder(config.accountSid(), config.authToken()).httpClient(http).build();
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "algotrade-twilio");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
  }

  /** An alerter for {@code config}; close it to release its thread and connections. */
  public static TwilioAlerter create(TwilioConfig config) {
    return new TwilioAlerter(Objects.requireNonNull(config, "config must not be null"));
  }

  @Override
  public String name() {
    return config.whatsapp() ? "twilio-whatsapp" : "twilio-sms";
  }

  public TwilioConfig config() {
    return config;
  }

  /** The message body for {@code alert}: severity, title, text, time; at most maxLength. */
  public String format(Alert alert) {
    String header = "[" + alert.severity() + "] " + alert.title().strip();
    String time = TIME.format(alert.time().atZone(config.zone()));
    String text = alert.text().strip();
    int max = config.maxLength();
    int fixed = header.length() + 1 + time.length();
    if (fixed + (text.isEmpty() ? 0 : text.length() + 1) <= max) {
      return text.isEmpty() ? header + "\n" + time : header + "\n" + text + "\n" + time;
    }
    if (fixed + 2 <= max && !text.isEmpty()) {
      return header + "\n" + cut(text, max - fixed - 1) + "\n" + time;
    }
    return cut(header, max - time.length() - 1) + "\n" + time;
  }

  /**
   * The template variables as Twilio's {@code ContentVariables} JSON: 1 = severity and title,
   * 2 = text, 3 = time. WhatsApp refuses empty values and line breaks in variables, so blank
   * text becomes "-" and whitespace runs become one space.
   */
  public String contentVariables(Alert alert) {
    String header = oneLine("[" + alert.severity() + "] " + alert.title());
    String text = oneLine(alert.text());
    String time = TIME.format(alert.time().atZone(config.zone()));
    int room = Math.max(10, config.maxLength() - header.length() - time.length());
    return "{\"1\":" + jsonString(cut(header, config.maxLength() / 2)) + ",\"2\":"
        + jsonString(text.isEmpty() ? "-" : cut(text, room)) + ",\"3\":" + jsonString(time) + "}";
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }

  private static String jsonString(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static String cut(String s, int length) {
    if (s.length() <= length) {
      return s;
    }
    return s.substring(0, Math.max(0, length - 1)).stripTrailing() + "\u2026";
  }

  /**
   * One attempt for each recipient that has not yet got (or permanently refused) this alert.
   *
   * @throws AlertDeliveryException if a recipient failed; retryable when any failure was
   */
  @Override
  public void deliver(Alert alert) {
    String body = format(alert);
    Set<String> done;
    synchronized (settled) {
      done = new HashSet<>(settled.getOrDefault(alert, Set.of()));
    }
    List<String> failures = new ArrayList<>();
    boolean anyRetryable = false;
    AlertDeliveryException first = null;
    for (String to : config.to()) {
      if (done.contains(to)) {
        continue;
      }
      try {
        sendOne(to, body, alert, 1);
        done.add(to);
      } catch (AlertDeliveryException e) {
        failures.add(to);
        if (e.isRetryable()) {
          anyRetryable = true;
        } else {
          done.add(to); // permanent: a retry would fail the same way
        }
        if (first == null) {
          first = e;
        }
      }
    }
    synchronized (settled) {
      if (failures.isEmpty() || !anyRetryable) {
        settled.remove(alert);
      } else {
        settled.put(alert, Set.copyOf(done));
      }
    }
    if (first != null) {
      throw new AlertDeliveryException(
          name() + " failed for " + failures.size() + " of " + config.to().size() + " recipients "
              + failures + ": " + first.getMessage(),
          anyRetryable, first.getCause());
    }
  }

  /** Queues the alert for every recipient; returns at once, never throws. */
  @Override
  public void send(Alert alert) {
    if (alert == null) {
      return;
    }
    try {
      String body = format(alert);
      for (String to : config.to()) {
        boolean isClosed = closed;
        boolean full = false;
        if (!isClosed && pending.incrementAndGet() > config.queueCapacity()) {
          pending.decrementAndGet();
          full = true;
        }
        if (isClosed || full) {
          long n = dropped.incrementAndGet();
          log.warn("twilio message dropped channel={} reason={} to={} key={} dropped={}",
              name(), isClosed ? "closed" : "queue full", to, alert.key(), n);
          continue;
        }
        try {
          executor.execute(() -> attempt(to, body, alert, 1));
        } catch (RejectedExecutionException e) {
          finished();
          dropped.incrementAndGet();
          log.warn("twilio message dropped, alerter closed channel={} to={} key={}", name(), to, alert.key());
        }
      }
    } catch (RuntimeException e) {
      log.warn("twilio alert could not be queued channel={} key={} error={}", name(), alert.key(), e.toString());
    }
  }

  private void attempt(String to, String body, Alert alert, int attempt) {
    boolean finished = true;
    try {
      sendOne(to, body, alert, attempt);
    } catch (AlertDeliveryException e) {
      if (e.isRetryable() && attempt < config.maxAttempts()) {
        long delay = backoffMillis(attempt);
        try {
          executor.schedule(() -> attempt(to, body, alert, attempt + 1), delay, TimeUnit.MILLISECONDS);
          retries.incrementAndGet();
          finished = false;
          log.info("twilio message retry channel={} to={} key={} attempt={} delayMs={} error={}",
              name(), to, alert.key(), attempt, delay, e.getMessage());
        } catch (RejectedExecutionException rejected) {
          failed.incrementAndGet();
          log.warn("twilio message abandoned at shutdown channel={} to={} key={} attempts={}",
              name(), to, alert.key(), attempt);
        }
      } else {
        failed.incrementAndGet();
        log.warn("twilio message failed channel={} to={} key={} attempts={} retryable={} error={}",
            name(), to, alert.key(), attempt, e.isRetryable(), e.getMessage());
      }
    } catch (RuntimeException | Error e) {
      failed.incrementAndGet(); // the executor would swallow it silently: say it here
      log.warn("twilio message failed channel={} to={} key={} error={}", name(), to, alert.key(), redact(e.toString()));
    } finally {
      if (finished) {
        finished();
      }
    }
  }

  /** initialBackoff * 2^(attempt-1), capped at maxBackoff, in milliseconds. */
  long backoffMillis(int attempt) {
    long initial = config.initialBackoff().toMillis();
    long max = config.maxBackoff().toMillis();
    long d = initial;
    for (int i = 1; i < attempt && d < max; i++) {
      d *= 2;
    }
    return Math.max(1, Math.min(d, max));
  }

  private void finished() {
    if (pending.decrementAndGet() == 0 && closed) {
      drainLock.lock();
      try {
        drained.signalAll();
      } finally {
        drainLock.unlock();
      }
    }
  }

  /** One HTTP request: one message to one recipient. */
  private void sendOne(String to, String body, Alert alert, int attempt) {
    String prefix = config.whatsapp() ? TwilioConfig.WHATSAPP : "";
    try {
      MessageCreator creator;
      if (config.contentSid() == null) {
        creator = Message.creator(new PhoneNumber(prefix + to), new PhoneNumber(config.from()), body);
      } else {
        creator = Message.creator(new PhoneNumber(prefix + to), new PhoneNumber(config.from()), (String) null)
            .setContentSid(config.contentSid())
            .setContentVariables(contentVariables(alert));
      }
      Message m = creator.create(client);
      sent.incrementAndGet();
      log.info("twilio message accepted channel={} to={} key={} sid={} status={} attempt={}",
          name(), to, alert.key(), m.getSid(), m.getStatus(), attempt);
    } catch (ApiException e) {
      Integer status = e.getStatusCode();
      boolean retryable = status == null || status == 429 || status >= 500;
      String what = status == null
          ? "request failed (" + rootCause(e) + ")"
          : "Twilio answered " + status + (e.getCode() == null ? "" : " code=" + e.getCode())
              + (e.getMessage() == null ? "" : " (" + redact(e.getMessage()) + ")");
      throw new AlertDeliveryException(what + " to=" + to, retryable, sanitized(e));
    } catch (TwilioException e) {
      throw new AlertDeliveryException("request failed (" + rootCause(e) + ") to=" + to, true, sanitized(e));
    }
  }

  /** The cause's class and message, with the token cut out should it ever appear there. */
  private String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return redact(t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
  }

  private String redact(String s) {
    return s == null ? null : s.replace(config.authToken(), "<redacted>");
  }

  /** Keeps the cause only if its messages cannot carry the token. */
  private Throwable sanitized(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(config.authToken())) {
        return null;
      }
    }
    return e;
  }

  /** Counters of the standalone path and of {@link #deliver}. */
  public Stats stats() {
    return new Stats(sent.get(), failed.get(), retries.get(), dropped.get(), pending.get());
  }

  /**
   * Counters.
   *
   * @param sent messages Twilio accepted (one per recipient)
   * @param failed messages given up on by the standalone path
   * @param retries retries scheduled by the standalone path
   * @param dropped messages dropped because the queue was full or the alerter closed
   * @param pending messages queued or in flight on the standalone path
   */
  public record Stats(long sent, long failed, long retries, long dropped, int pending) {}

  /** Waits up to the request timeout times the attempts for queued messages, then stops. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    long left = config.timeout().toNanos() * 2;
    drainLock.lock();
    try {
      while (pending.get() > 0 && left > 0) {
        left = drained.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      drainLock.unlock();
    }
    if (pending.get() > 0) {
      log.warn("twilio alerter closed with undelivered messages channel={} pending={}", name(), pending.get());
    }
    executor.shutdownNow();
    http.close();
  }

  @Override
  public String toString() {
    return "TwilioAlerter[" + name() + ", from=" + config.from() + ", to=" + config.to()
        + ", accountSid=" + config.accountSid() + "]";
  }
}
