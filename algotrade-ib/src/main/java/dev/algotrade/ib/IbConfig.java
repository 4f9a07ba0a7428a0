package dev.algotrade.ib;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.ib.internal.FrameReader;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of one IB connection. Build with {@link #builder()} (every setter validates at once
 * and names the bad value) or load from environment variables with {@link #fromEnv(Map)}.
 *
 * <p>Environment variables: {@code IB_HOST} (default 127.0.0.1), {@code IB_PORT} (7497),
 * {@code IB_CLIENT_ID} (1), {@code IB_ACCOUNT} (optional; default: the first managed account),
 * {@code IB_CONNECT_TIMEOUT_SECONDS} (10), {@code IB_MAX_MESSAGES_PER_SECOND} (45),
 * {@code IB_MARKET_DATA_TYPE} (LIVE, FROZEN, DELAYED, DELAYED_FROZEN), and
 * {@code ALGOTRADE_LIVE} ({@code yes} is one of the two switches live trading needs).
 * Reconnecting and keepalive: {@code IB_RECONNECT} ({@code true}; {@code false} makes one
 * connection only), {@code IB_RECONNECT_INITIAL_SECONDS} (1), {@code IB_RECONNECT_MAX_SECONDS}
 * (60), {@code IB_KEEPALIVE_INTERVAL_SECONDS} (10; 0 switches the keepalive off),
 * {@code IB_KEEPALIVE_TIMEOUT_SECONDS} (20), {@code IB_DAILY_RESTART} ({@code HH:mm}, the TWS /
 * Gateway auto-restart time; unset = no window) and {@code IB_DAILY_RESTART_ZONE}
 * (America/New_York).
 *
 * <p><b>Live guard.</b> Ports 7496 (TWS live) and 4001 (IB Gateway live) are refused unless
 * {@link Builder#liveTrading(boolean) liveTrading(true)} is set <em>and</em> the environment
 * has {@code ALGOTRADE_LIVE=yes}. The same two switches are needed to trade an account whose id
 * does not start with {@code D} (IB paper accounts do), whatever the port.
 *
 * <p>Immutable and thread-safe; the {@link Builder} is not thread-safe.
 *
 * @param host TWS / IB Gateway host
 * @param port API port (paper 7497 TWS / 4002 Gateway; live 7496 / 4001)
 * @param clientId API client id; each connection to one TWS needs its own
 * @param account account to trade, or empty for the first managed account
 * @param connectTimeout socket connect plus handshake plus nextValidId/managedAccounts
 * @param maxMessagesPerSecond outgoing pacing limit (1..50; IB allows 50)
 * @param maxMessageLength configured cap on an inbound frame (<= 0xFFFFFF); longer frames are skipped
 * @param marketDataType requested market data type (live, frozen, delayed, delayed-frozen)
 * @param commissionTimeout how long a fill waits for its commissionReport before going out with 0
 * @param noDataWarning after this long without a tick on a subscription, warn "No market data received"
 * @param exchangeZone zone whose midnight starts "today" for the executions request
 * @param liveTrading the code-side live switch
 * @param liveEnvironment the environment-side live switch ({@code ALGOTRADE_LIVE=yes})
 * @param reconnect backoff between connection attempts ({@link ReconnectPolicy#ofDefaults()})
 * @param keepaliveInterval after this long without any inbound message (client clock), send
 *     reqCurrentTime; {@code Duration.ZERO} switches the keepalive off
 * @param keepaliveTimeout after this long without any inbound message, and at least
 *     {@code keepaliveTimeout - keepaliveInterval} after the unanswered reqCurrentTime, the socket
 *     is declared dead (half-open), closed and reconnected; must exceed keepaliveInterval
 * @param dailyRestart TWS / Gateway daily auto-restart window: drops inside it are logged as
 *     expected ({@link RestartWindow#none()} by default)
 */
public record IbConfig(
    String host,
    int port,
    int clientId,
    String account,
    Duration connectTimeout,
    int maxMessagesPerSecond,
    int maxMessageLength,
    IbMarketDataType marketDataType,
    Duration commissionTimeout,
    Duration noDataWarning,
    ZoneId exchangeZone,
    boolean liveTrading,
    boolean liveEnvironment,
    ReconnectPolicy reconnect,
    Duration keepaliveInterval,
    Duration keepaliveTimeout,
    RestartWindow dailyRestart) {

  public static final int TWS_PAPER_PORT = 7497;
  public static final int TWS_LIVE_PORT = 7496;
  public static final int GATEWAY_PAPER_PORT = 4002;
  public static final int GATEWAY_LIVE_PORT = 4001;
  /** Length of the window {@code IB_DAILY_RESTART} sets up (TWS is usually back within minutes). */
  public static final Duration DEFAULT_RESTART_LENGTH = Duration.ofMinutes(15);

  public IbConfig {
    if (host == null || host.isBlank()) {
      throw new ConfigurationException("IbConfig.host must not be blank, was " + quote(host));
    }
    checkRange("IbConfig.port", port, 1, 65535);
    if (account == null) {
      throw new ConfigurationException("IbConfig.account must not be null (use empty for the first account)");
    }
    checkPositive("IbConfig.connectTimeout", connectTimeout);
    checkRange("IbConfig.maxMessagesPerSecond", maxMessagesPerSecond, 1, 50);
    checkRange("IbConfig.maxMessageLength", maxMessageLength, 1024, FrameReader.HARD_MAX_LENGTH);
    if (marketDataType == null) {
      throw new ConfigurationException("IbConfig.marketDataType must not be null");
    }
    checkPositive("IbConfig.commissionTimeout", commissionTimeout);
    checkPositive("IbConfig.noDataWarning", noDataWarning);
    if (exchangeZone == null) {
      throw new ConfigurationException("IbConfig.exchangeZone must not be null");
    }
    if (isLivePort(port) && !(liveTrading && liveEnvironment)) {
      throw new ConfigurationException(liveRefusal("IB port " + port + " is a live-trading port"));
    }
    if (reconnect == null) {
      throw new ConfigurationException("IbConfig.reconnect must not be null (use ReconnectPolicy.disabled())");
    }
    checkNonNegative("IbConfig.keepaliveInterval", keepaliveInterval);
    checkPositive("IbConfig.keepaliveTimeout", keepaliveTimeout);
    if (!keepaliveInterval.isZero() && keepaliveTimeout.compareTo(keepaliveInterval) <= 0) {
      throw new ConfigurationException("IbConfig.keepaliveTimeout must be > keepaliveInterval " + keepaliveInterval
          + ", was " + keepaliveTimeout);
    }
    if (dailyRestart == null) {
      throw new ConfigurationException("IbConfig.dailyRestart must not be null (use RestartWindow.none())");
    }
  }

  /** Whether the keepalive (reqCurrentTime after silence) is on. */
  public boolean keepaliveEnabled() {
    return !keepaliveInterval.isZero();
  }

  /** Whether {@code port} is one of IB's default live ports (7496, 4001). */
  public static boolean isLivePort(int port) {
    return port == TWS_LIVE_PORT || port == GATEWAY_LIVE_PORT;
  }

  /** Whether both live switches are on. */
  public boolean liveAllowed() {
    return liveTrading && liveEnvironment;
  }

  /** The refusal text, naming exactly how to switch live trading on. */
  static String liveRefusal(String what) {
    return what + "; refused because live trading is off. To trade live, set both "
        + "IbConfig.builder().liveTrading(true) in code and the environment variable ALGOTRADE_LIVE=yes. "
        + "For paper trading use port 7497 (TWS) or 4002 (IB Gateway) and a paper account (DU...).";
  }

  /** Defaults: 127.0.0.1:7497, client 1, live off. */
  public static Builder builder() {
    return new Builder();
  }

  /** Loads the variables listed in the class javadoc; anything absent keeps its default. */
  public static IbConfig fromEnv(Map<String, String> env) {
    return builder().env(env).build();
  }

  private static void checkRange(String field, int v, int min, int max) {
    if (v < min || v > max) {
      throw new ConfigurationException(field + " must be in " + min + ".." + max + ", was " + v);
    }
  }

  private static void checkPositive(String field, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new ConfigurationException(field + " must be > 0, was " + d);
    }
  }

  private static void checkNonNegative(String field, Duration d) {
    if (d == null || d.isNegative()) {
      throw new ConfigurationException(field + " must be >= 0, was " + d);
    }
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }

  /** Builder; every setter validates its argument at once. Not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = TWS_PAPER_PORT;
    private int clientId = 1;
    private String account = "";
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxMessagesPerSecond = 45;
    private int maxMessageLength = 8 * 1024 * 1024;
    private IbMarketDataType marketDataType = IbMarketDataType.LIVE;
    private Duration commissionTimeout = Duration.ofSeconds(2);
    private Duration noDataWarning = Duration.ofSeconds(30);
    private ZoneId exchangeZone = ZoneId.of("America/New_York");
    private boolean liveTrading;
    private boolean liveEnvironment = "yes".equalsIgnoreCase(System.getenv("ALGOTRADE_LIVE"));
    private ReconnectPolicy reconnect = ReconnectPolicy.ofDefaults();
    private Duration keepaliveInterval = Duration.ofSeconds(10);
    private Duration keepaliveTimeout = Duration.ofSeconds(20);
    private RestartWindow dailyRestart = RestartWindow.none();

    private Builder() {}

    /** The reconnect backoff ({@link ReconnectPolicy#disabled()} for a one-shot connection). */
    public Builder reconnect(ReconnectPolicy value) {
      if (value == null) {
        throw new ConfigurationException("IbConfig.reconnect must not be null (use ReconnectPolicy.disabled())");
      }
      reconnect = value;
      return this;
    }

    /**
     * Keepalive: reqCurrentTime after {@code interval} of inbound silence, socket declared dead
     * after {@code timeout} of silence ({@code interval} zero switches it off).
     */
    public Builder keepalive(Duration interval, Duration timeout) {
      checkNonNegative("IbConfig.keepaliveInterval", interval);
      checkPositive("IbConfig.keepaliveTimeout", timeout);
      if (!interval.isZero() && timeout.compareTo(interval) <= 0) {
        throw new ConfigurationException("IbConfig.keepaliveTimeout must be > keepaliveInterval " + interval
            + ", was " + timeout);
      }
      keepaliveInterval = interval;
      keepaliveTimeout = timeout;
      return this;
    }

    /** The TWS / Gateway daily auto-restart window (drops in it are logged as expected). */
    public Builder dailyRestart(RestartWindow value) {
      if (value == null) {
        throw new ConfigurationException("IbConfig.dailyRestart must not be null (use RestartWindow.none())");
      }
      dailyRestart = value;
      return this;
    }

    public Builder host(String value) {
      if (value == null || value.isBlank()) {
        throw new ConfigurationException("IbConfig.host must not be blank, was " + quote(value));
      }
      host = value.trim();
      return this;
    }

    public Builder port(int value) {
      checkRange("IbConfig.port", value, 1, 65535);
      port = value;
      return this;
    }

    public Builder clientId(int value) {
      clientId = value;
      return this;
    }

    /** The account to trade; empty means the first managed account. */
    public Builder account(String value) {
      if (value == null) {
        throw new ConfigurationException("IbConfig.account must not be null (use empty for the first account)");
      }
      account = value.trim();
      return this;
    }

    public Builder connectTimeout(Duration value) {
      checkPositive("IbConfig.connectTimeout", value);
      connectTimeout = value;
      return this;
    }

    public Builder maxMessagesPerSecond(int value) {
      checkRange("IbConfig.maxMessagesPerSecond", value, 1, 50);
      maxMessagesPerSecond = value;
      return this;
    }

    public Builder maxMessageLength(int value) {
      checkRange("IbConfig.maxMessageLength", value, 1024, FrameReader.HARD_MAX_LENGTH);
      maxMessageLength = value;
      return this;
    }

    public Builder marketDataType(IbMarketDataType value) {
      if (value == null) {
        throw new ConfigurationException("IbConfig.marketDataType must not be null");
      }
      marketDataType = value;
      return this;
    }

    public Builder commissionTimeout(Duration value) {
      checkPositive("IbConfig.commissionTimeout", value);
      commissionTimeout = value;
      return this;
    }

    public Builder noDataWarning(Duration value) {
      checkPositive("IbConfig.noDataWarning", value);
      noDataWarning = value;
      return this;
    }

    public Builder exchangeZone(ZoneId value) {
      if (value == null) {
        throw new ConfigurationException("IbConfig.exchangeZone must not be null");
      }
      exchangeZone = value;
      return this;
    }

    /** The code-side live switch; live also needs {@code ALGOTRADE_LIVE=yes} in the environment. */
    public Builder liveTrading(boolean value) {
      liveTrading = value;
      return this;
    }

    /**
     * Reads the {@code IB_*} variables and {@code ALGOTRADE_LIVE} from {@code env} (which also
     * replaces the process environment for the live check). Collects every bad value into one
     * exception.
     */
    public Builder env(Map<String, String> env) {
      if (env == null) {
        throw new ConfigurationException("IbConfig env must not be null");
      }
      List<String> errors = new ArrayList<>();
      String v = env.get("IB_HOST");
      if (v != null && !v.isBlank()) {
        host = v.trim();
      }
      port = intVar(env, "IB_PORT", port, errors);
      clientId = intVar(env, "IB_CLIENT_ID", clientId, errors);
      v = env.get("IB_ACCOUNT");
      if (v != null) {
        account = v.trim();
      }
      int timeout = intVar(env, "IB_CONNECT_TIMEOUT_SECONDS", (int) connectTimeout.toSeconds(), errors);
      if (timeout <= 0) {
        errors.add("IB_CONNECT_TIMEOUT_SECONDS must be > 0, was " + timeout);
      } else {
        connectTimeout = Duration.ofSeconds(timeout);
      }
      maxMessagesPerSecond = intVar(env, "IB_MAX_MESSAGES_PER_SECOND", maxMessagesPerSecond, errors);
      v = env.get("IB_MARKET_DATA_TYPE");
      if (v != null && !v.isBlank()) {
        try {
          marketDataType = IbMarketDataType.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          errors.add("IB_MARKET_DATA_TYPE must be one of LIVE, FROZEN, DELAYED, DELAYED_FROZEN, was '" + v + "'");
        }
      }
      liveEnvironment = "yes".equalsIgnoreCase(String.valueOf(env.get("ALGOTRADE_LIVE")).trim());
      readReconnectEnv(env, errors);
      if (!errors.isEmpty()) {
        throw new ConfigurationException("invalid IB settings: " + String.join("; ", errors));
      }
      return this;
    }

    private void readReconnectEnv(Map<String, String> env, List<String> errors) {
      String v = env.get("IB_RECONNECT");
      boolean enabled = reconnect.enabled();
      if (v != null && !v.isBlank()) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("yes") || t.equals("on")) {
          enabled = true;
        } else if (t.equals("false") || t.equals("no") || t.equals("off")) {
          enabled = false;
        } else {
          errors.add("IB_RECONNECT must be true or false, was '" + v + "'");
        }
      }
      int initial = intVar(env, "IB_RECONNECT_INITIAL_SECONDS", (int) reconnect.initialDelay().toSeconds(), errors);
      int max = intVar(env, "IB_RECONNECT_MAX_SECONDS", (int) reconnect.maxDelay().toSeconds(), errors);
      if (initial <= 0) {
        errors.add("IB_RECONNECT_INITIAL_SECONDS must be > 0, was " + initial);
      } else if (max < initial) {
        errors.add("IB_RECONNECT_MAX_SECONDS must be >= IB_RECONNECT_INITIAL_SECONDS " + initial + ", was " + max);
      } else if (env.containsKey("IB_RECONNECT_INITIAL_SECONDS") || env.containsKey("IB_RECONNECT_MAX_SECONDS")) {
        reconnect = reconnect.withDelays(Duration.ofSeconds(initial), Duration.ofSeconds(max));
      }
      reconnect = reconnect.withEnabled(enabled);
      int interval = intVar(env, "IB_KEEPALIVE_INTERVAL_SECONDS", (int) keepaliveInterval.toSeconds(), errors);
      int timeout = intVar(env, "IB_KEEPALIVE_TIMEOUT_SECONDS", (int) keepaliveTimeout.toSeconds(), errors);
      if (interval < 0) {
        errors.add("IB_KEEPALIVE_INTERVAL_SECONDS must be >= 0 (0 = off), was " + interval);
      } else if (timeout <= 0 || (interval > 0 && timeout <= interval)) {
        errors.add("IB_KEEPALIVE_TIMEOUT_SECONDS must be > IB_KEEPALIVE_INTERVAL_SECONDS " + interval + ", was "
            + timeout);
      } else {
        keepaliveInterval = Duration.ofSeconds(interval);
        keepaliveTimeout = Duration.ofSeconds(timeout);
      }
      v = env.get("IB_DAILY_RESTART");
      if (v != null && !v.isBlank()) {
        ZoneId zone = ZoneId.of("America/New_York");
        String z = env.get("IB_DAILY_RESTART_ZONE");
        if (z != null && !z.isBlank()) {
          try {
            zone = ZoneId.of(z.trim());
          } catch (RuntimeException e) {
            errors.add("IB_DAILY_RESTART_ZONE must be a time zone id such as America/New_York, was '" + z + "'");
          }
        }
        try {
          dailyRestart = RestartWindow.daily(LocalTime.parse(v.trim()), DEFAULT_RESTART_LENGTH, zone);
        } catch (DateTimeParseException e) {
          errors.add("IB_DAILY_RESTART must be a local time HH:mm such as 23:45, was '" + v + "'");
        }
      }
    }

    private static int intVar(Map<String, String> env, String name, int dflt, List<String> errors) {
      String v = env.get(name);
      if (v == null || v.isBlank()) {
        return dflt;
      }
      try {
        return Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        errors.add(name + " must be an integer, was '" + v + "'");
        return dflt;
      }
    }

    /** Validates combinations (live port without both live switches) and builds. */
    public IbConfig build() {
      return new IbConfig(host, port, clientId, account, connectTimeout, maxMessagesPerSecond,
          maxMessageLength, marketDataType, commissionTimeout, noDataWarning, exchangeZone, liveTrading,
          liveEnvironment, reconnect, keepaliveInterval, keepaliveTimeout, dailyRestart);
    }
  }
}
