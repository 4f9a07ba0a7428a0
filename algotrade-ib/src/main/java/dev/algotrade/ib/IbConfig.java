package dev.algotrade.ib;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.ib.internal.FrameReader;
import java.time.Duration;
import java.time.ZoneId;
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
    boolean liveEnvironment) {

  public static final int TWS_PAPER_PORT = 7497;
  public static final int TWS_LIVE_PORT = 7496;
  public static final int GATEWAY_PAPER_PORT = 4002;
  public static final int GATEWAY_LIVE_PORT = 4001;

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

    private Builder() {}

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
      if (!errors.isEmpty()) {
        throw new ConfigurationException("invalid IB settings: " + String.join("; ", errors));
      }
      return this;
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
          liveEnvironment);
    }
  }
}
