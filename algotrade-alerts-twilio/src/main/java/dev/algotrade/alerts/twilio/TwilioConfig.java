package dev.algotrade.alerts.twilio;

import dev.algotrade.api.ConfigurationException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of a {@link TwilioAlerter}. Load them with {@link #fromEnv(Map)} (keys {@value
 * #ACCOUNT_SID}, {@value #AUTH_TOKEN}, {@value #FROM}, {@value #TO}, optional {@value
 * #TIMEZONE} and {@value #CONTENT_SID}) or {@link #load(Path)} ({@code .env} file plus the process environment), or
 * build them with {@link #builder()}.
 *
 * <p>The auth token is a secret: {@link #toString()} and every validation message leave it out.
 *
 * @param accountSid Twilio account SID, {@code AC} followed by 32 hex digits
 * @param authToken the account's auth token (secret)
 * @param from sender: {@code whatsapp:+E164} for WhatsApp, {@code +E164} for SMS
 * @param to recipients in E.164 form ({@code +15551234567}); each gets the channel of {@code
 *     from}, a {@code whatsapp:} prefix here is optional
 * @param zone the trader's time zone, for the time printed in a message
 * @param timeout connect and read timeout of one HTTP request
 * @param maxLength longest message body; longer text is cut with an ellipsis
 * @param maxAttempts attempts per recipient when used on its own ({@link TwilioAlerter#send})
 * @param initialBackoff delay before the first retry, doubled per retry
 * @param maxBackoff longest delay between retries
 * @param queueCapacity messages queued or in flight before new ones are dropped (own use)
 * @param endpoint where requests go instead of Twilio's hosts, or null for Twilio; for tests
 *     and forwarding proxies. Plain {@code http} only to a loopback host, so the token never
 *     crosses a network in clear text.
 * @param contentSid optional approved content template ({@code HX} + 32 hex digits, env
 *     {@value #CONTENT_SID}); when set, messages carry {@code ContentSid} and {@code
 *     ContentVariables} 1 = severity and title, 2 = text, 3 = time, instead of a free-form
 *     {@code Body}. WhatsApp needs this for business-initiated messages outside the 24-hour
 *     customer service window.
 */
public record TwilioConfig(
    String accountSid,
    String authToken,
    String from,
    List<String> to,
    ZoneId zone,
    Duration timeout,
    int maxLength,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    int queueCapacity,
    URI endpoint,
    String contentSid) {

  public static final String ACCOUNT_SID = "TWILIO_ACCOUNT_SID";
  public static final String AUTH_TOKEN = "TWILIO_AUTH_TOKEN";
  public static final String FROM = "TWILIO_FROM";
  public static final String TO = "ALERT_TO";
  public static final String TIMEZONE = "ALERT_TIMEZONE";
  public static final String CONTENT_SID = "TWILIO_CONTENT_SID";

  static final String WHATSAPP = "whatsapp:";
  private static final Pattern SID = Pattern.compile("AC[0-9a-fA-F]{32}");
  private static final Pattern CONTENT = Pattern.compile("HX[0-9a-fA-F]{32}");
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  public TwilioConfig {
    List<String> errors = new ArrayList<>();
    if (accountSid == null || !SID.matcher(accountSid).matches()) {
      errors.add("accountSid (" + ACCOUNT_SID + ") must be 'AC' followed by 32 hex digits, was " + quote(accountSid));
    }
    if (authToken == null || authToken.isBlank()) {
      errors.add("authToken (" + AUTH_TOKEN + ") must not be blank");
    } else if (authToken.strip().length() != authToken.length() || authToken.chars().anyMatch(Character::isWhitespace)) {
      errors.add("authToken (" + AUTH_TOKEN + ") must not contain whitespace (value not shown)");
    }
    if (from == null || !E164.matcher(stripWhatsapp(from)).matches()) {
      errors.add("from (" + FROM + ") must be +E164 (SMS) or whatsapp:+E164, e.g. whatsapp:+14155238886, was " + quote(from));
    }
    if (to == null || to.isEmpty()) {
      errors.add("to (" + TO + ") must name at least one number, was " + (to == null ? "null" : "empty"));
    } else {
      List<String> normalized = new ArrayList<>();
      for (String n : to) {
        if (n == null || !E164.matcher(stripWhatsapp(n.strip())).matches()) {
          errors.add("to (" + TO + ") entries must be +E164 numbers like +15551234567, was " + quote(n));
        } else {
          normalized.add(stripWhatsapp(n.strip()));
        }
      }
      to = List.copyOf(normalized);
    }
    if (zone == null) {
      errors.add("zone (" + TIMEZONE + ") must not be null");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      errors.add("timeout must be > 0 and <= 5 min, was " + timeout);
    }
    if (maxLength < 40 || maxLength > 1600) {
      errors.add("maxLength must be in 40..1600 (Twilio's limit), was " + maxLength);
    }
    if (maxAttempts < 1 || maxAttempts > 20) {
      errors.add("maxAttempts must be in 1..20, was " + maxAttempts);
    }
    if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
      errors.add("initialBackoff must be > 0, was " + initialBackoff);
    }
    if (maxBackoff == null || initialBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
      errors.add("maxBackoff must be >= initialBackoff " + initialBackoff + ", was " + maxBackoff);
    }
    if (queueCapacity < 1) {
      errors.add("queueCapacity must be > 0, was " + queueCapacity);
    }
    if (endpoint != null) {
      String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
      String host = endpoint.getHost();
      if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
        errors.add("endpoint must be an http(s)://host[:port] URI, was " + endpoint);
      } else if (scheme.equals("http") && !isLoopback(host)) {
        errors.add("endpoint may use plain http only on a loopback host (the token would travel in clear text), was " + endpoint);
      }
    }
    if (contentSid != null && !CONTENT.matcher(contentSid).matches()) {
      errors.add("contentSid (" + CONTENT_SID + ") must be 'HX' followed by 32 hex digits, was " + quote(contentSid));
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("TwilioConfig: " + String.join("; ", errors));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from the values of {@code base}. */
  public static Builder builder(TwilioConfig base) {
    return new Builder().copy(base);
  }

  /** True when messages go out over WhatsApp (the sender starts with {@code whatsapp:}). */
  public boolean whatsapp() {
    return from.startsWith(WHATSAPP);
  }

  /**
   * Reads the settings from environment-style keys: {@value #ACCOUNT_SID}, {@value
   * #AUTH_TOKEN}, {@value #FROM}, {@value #TO} (one or several numbers separated by commas,
   * semicolons or spaces) and optional {@value #TIMEZONE} (an IANA zone such as {@code
   * America/New_York}; default UTC) and {@value #CONTENT_SID}. Other settings take their
   * defaults.
   *
   * @throws ConfigurationException naming every missing or malformed key (never the token)
   */
  public static TwilioConfig fromEnv(Map<String, String> env) {
    Objects.requireNonNull(env, "env must not be null");
    List<String> missing = new ArrayList<>();
    for (String key : List.of(ACCOUNT_SID, AUTH_TOKEN, FROM, TO)) {
      String v = env.get(key);
      if (v == null || v.isBlank()) {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      throw new ConfigurationException("Twilio alerts need " + String.join(", ", missing) + " (environment or .env)");
    }
    Builder b = builder()
        .accountSid(env.get(ACCOUNT_SID).strip())
        .authToken(env.get(AUTH_TOKEN).strip())
        .from(env.get(FROM).strip())
        .to(splitNumbers(env.get(TO)));
    String content = env.get(CONTENT_SID);
    if (content != null && !content.isBlank()) {
      b.contentSid(content.strip());
    }
    String zone = env.get(TIMEZONE);
    if (zone != null && !zone.isBlank()) {
      try {
        b.zone(ZoneId.of(zone.strip()));
      } catch (DateTimeException e) {
        throw new ConfigurationException(TIMEZONE + " must be a time zone like America/New_York, was " + quote(zone));
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage(), e);
    }
  }

  /**
   * Reads {@code dotEnv} if it exists (lines {@code KEY=value}, {@code #} comments, optional
   * quotes and {@code export}), lets the process environment override it, and calls {@link
   * #fromEnv(Map)}.
   */
  public static TwilioConfig load(Path dotEnv) {
    Map<String, String> merged = new HashMap<>();
    if (dotEnv != null && Files.isRegularFile(dotEnv)) {
      merged.putAll(readDotEnv(dotEnv));
    }
    merged.putAll(System.getenv());
    return fromEnv(merged);
  }

  /** Parses a {@code .env} file. */
  static Map<String, String> readDotEnv(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> out = new HashMap<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      } else {
        int hash = value.indexOf(" #");
        if (hash >= 0) {
          value = value.substring(0, hash).strip();
        }
      }
      out.put(key, value);
    }
    return out;
  }

  static List<String> splitNumbers(String s) {
    List<String> out = new ArrayList<>();
    for (String part : s.split("[,;\\s]+")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return out;
  }

  static String stripWhatsapp(String number) {
    return number.startsWith(WHATSAPP) ? number.substring(WHATSAPP.length()) : number;
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }

  /** Leaves the auth token out. */
  @Override
  public String toString() {
    return "TwilioConfig[accountSid=" + accountSid + ", authToken=<redacted>, from=" + from + ", to=" + to
        + ", zone=" + zone + ", timeout=" + timeout + ", maxLength=" + maxLength + ", maxAttempts=" + maxAttempts
        + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", queueCapacity=" + queueCapacity
        + ", endpoint=" + (endpoint == null ? "twilio" : endpoint)
        + (contentSid == null ? "" : ", contentSid=" + contentSid) + "]";
  }

  /**
   * Builds a {@link TwilioConfig}; {@link #build()} validates every field at once and names
   * each bad value (never the token). Not thread-safe.
   */
  public static final class Builder {
    private String accountSid;
    private String authToken;
    private String from;
    private List<String> to = List.of();
    private ZoneId zone = ZoneId.of("UTC");
    private Duration timeout = Duration.ofSeconds(10);
    private int maxLength = 320;
    private int maxAttempts = 4;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private int queueCapacity = 100;
    private URI endpoint;
    private String contentSid;

    private Builder() {}

    private Builder copy(TwilioConfig base) {
      accountSid = base.accountSid;
      authToken = base.authToken;
      from = base.from;
      to = base.to;
      zone = base.zone;
      timeout = base.timeout;
      maxLength = base.maxLength;
      maxAttempts = base.maxAttempts;
      initialBackoff = base.initialBackoff;
      maxBackoff = base.maxBackoff;
      queueCapacity = base.queueCapacity;
      endpoint = base.endpoint;
      contentSid = base.contentSid;
      return this;
    }

    public Builder accountSid(String accountSid) {
      this.accountSid = accountSid;
      return this;
    }

    public Builder authToken(String authToken) {
      this.authToken = authToken;
      return this;
    }

    /** {@code whatsapp:+E164} for WhatsApp, {@code +E164} for SMS. */
    public Builder from(String from) {
      this.from = from;
      return this;
    }

    public Builder to(List<String> to) {
      this.to = to == null ? null : new ArrayList<>(to);
      return this;
    }

    public Builder to(String... to) {
      return to(List.of(to));
    }

    /** The trader's zone for the time in a message (default UTC). */
    public Builder zone(ZoneId zone) {
      this.zone = zone;
      return this;
    }

    /** Connect and read timeout of one request (default 10 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Longest message body (default 320, two SMS segments). */
    public Builder maxLength(int maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    /** Attempts per recipient and backoff when used on its own (default 4, 1 s doubling to 30 s). */
    public Builder retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
      this.maxAttempts = maxAttempts;
      this.initialBackoff = initialBackoff;
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** Messages queued or in flight when used on its own (default 100). */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** Sends requests to this base URI instead of Twilio's hosts (tests, proxies). */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** An approved content template to send instead of a free-form body (null for none). */
    public Builder contentSid(String contentSid) {
      this.contentSid = contentSid;
      return this;
    }

    public TwilioConfig build() {
      return new TwilioConfig(accountSid, authToken, from, to, zone, timeout, maxLength, maxAttempts,
          initialBackoff, maxBackoff, queueCapacity, endpoint, contentSid);
    }
  }
}
