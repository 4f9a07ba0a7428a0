package dev.algotrade.api.broker;

import dev.algotrade.api.ConfigurationException;
import java.util.Locale;
import java.util.Map;

/**
 * Paper first: refuses anything that would trade a live (or possibly live) account unless live
 * trading was switched on twice, in code ({@code allowLiveTrading(true)}) and in the environment
 * ({@value #ENV_VARIABLE}{@code =yes}). It lives in the API so that every adapter (the IB
 * module checks its live ports with it) and the core apply one rule with one message. The
 * environment is a parameter so tests need not touch real variables. Immutable, thread-safe.
 */
public final class LiveTradingGuard {

  /** The environment variable that must say {@code yes} for live trading. */
  public static final String ENV_VARIABLE = "ALGOTRADE_LIVE";

  private final boolean allowedInCode;
  private final String envValue;

  private LiveTradingGuard(boolean allowedInCode, String envValue) {
    this.allowedInCode = allowedInCode;
    this.envValue = envValue;
  }

  /** A guard reading {@value #ENV_VARIABLE} from {@code env} (e.g. {@code System.getenv()}). */
  public static LiveTradingGuard of(boolean allowedInCode, Map<String, String> env) {
    if (env == null) {
      throw new IllegalArgumentException("LiveTradingGuard env must not be null");
    }
    return new LiveTradingGuard(allowedInCode, env.get(ENV_VARIABLE));
  }

  /** A guard reading the process environment. */
  public static LiveTradingGuard of(boolean allowedInCode) {
    return of(allowedInCode, System.getenv());
  }

  /** Whether {@code mode} may move real money: LIVE, and UNKNOWN too (unknown counts as live). */
  public static boolean isLive(AccountMode mode) {
    return mode != AccountMode.PAPER;
  }

  /** Whether both switches are on. */
  public boolean liveAllowed() {
    return allowedInCode && envValue != null && envValue.trim().toLowerCase(Locale.ROOT).equals("yes");
  }

  /**
   * Passes for a paper account; for a live or unknown one, passes only when live trading is
   * switched on, else throws a {@link ConfigurationException} saying how to switch it on.
   *
   * @param source what reported the mode, e.g. {@code broker=ib}
   */
  public void check(AccountMode mode, String source) {
    if (mode == null) {
      throw new IllegalArgumentException("LiveTradingGuard.check mode must not be null");
    }
    if (isLive(mode)) {
      requireLiveAllowed(source + " accountMode=" + mode);
    }
  }

  /**
   * Throws unless live trading is switched on. For a target known to be live, e.g.
   * {@code "IB port 7496 (TWS live)"}.
   */
  public void requireLiveAllowed(String what) {
    if (!liveAllowed()) {
      throw new ConfigurationException(refusal(what));
    }
  }

  /** The refusal message for {@code what}: why, and how to switch live trading on. */
  public String refusal(String what) {
    return "live trading refused: " + what + " is (or may be) a live account, and live trading is not switched on"
        + " (allowLiveTrading in code=" + allowedInCode + ", " + ENV_VARIABLE + "="
        + (envValue == null ? "<unset>" : "'" + envValue + "'") + "). Paper is the default. To trade real money,"
        + " call allowLiveTrading(true) on the builder AND set the environment variable " + ENV_VARIABLE + "=yes.";
  }

  @Override
  public String toString() {
    return "LiveTradingGuard[allowedInCode=" + allowedInCode + " env=" + envValue + " liveAllowed=" + liveAllowed() + "]";
  }
}
