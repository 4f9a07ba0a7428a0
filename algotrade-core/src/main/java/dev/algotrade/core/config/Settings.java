package dev.algotrade.core.config;

import dev.algotrade.api.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Key/value settings: a {@code .env} file overlaid by the real environment (a variable set in
 * the environment wins). Typed getters fail with a {@link ConfigurationException} that names
 * the key and the value: {@code MAX_LEVERAGE must be > 0, was '-1'}. Immutable, thread-safe.
 */
public final class Settings {
  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Settings from a map, e.g. {@code System.getenv()} or a test's map. */
  public static Settings of(Map<String, String> env) {
    if (env == null) {
      throw new IllegalArgumentException("Settings env must not be null");
    }
    return new Settings(env);
  }

  /** {@code dotEnv} (if it exists) overlaid by {@code env}. */
  public static Settings load(Path dotEnv, Map<String, String> env) {
    if (env == null) {
      throw new IllegalArgumentException("Settings env must not be null");
    }
    Map<String, String> merged = new LinkedHashMap<>(DotEnv.read(dotEnv));
    merged.putAll(env);
    return new Settings(merged);
  }

  /** {@code .env} in the working directory overlaid by the process environment. */
  public static Settings fromEnvironment() {
    return load(Path.of(".env"), System.getenv());
  }

  /** Every entry (read-only). */
  public Map<String, String> asMap() {
    return values;
  }

  /** The value of {@code key}, trimmed; empty if unset or blank. */
  public Optional<String> get(String key) {
    String v = values.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  public boolean has(String key) {
    return get(key).isPresent();
  }

  /** The value of {@code key}; fails if it is missing. */
  public String require(String key) {
    return get(key).orElseThrow(() -> new ConfigurationException(key + " is missing: set it in .env or the environment"));
  }

  public String getString(String key, String defaultValue) {
    return get(key).orElse(defaultValue);
  }

  /** A required number in [min, max]. Underscores and commas between digits are allowed (10_000). */
  public double requireDouble(String key, double min, double max) {
    String v = require(key);
    return checkRange(key, parseDouble(key, v), v, min, max);
  }

  /** A number in [min, max], or {@code defaultValue} when unset. */
  public double getDouble(String key, double defaultValue, double min, double max) {
    Optional<String> v = get(key);
    return v.isEmpty() ? defaultValue : checkRange(key, parseDouble(key, v.get()), v.get(), min, max);
  }

  /** A whole number in [min, max], or {@code defaultValue} when unset. */
  public long getLong(String key, long defaultValue, long min, long max) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    long n;
    try {
      n = Long.parseLong(v.get().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new ConfigurationException(key + " must be a whole number, was '" + v.get() + "'");
    }
    if (n < min || n > max) {
      throw new ConfigurationException(key + " must be between " + min + " and " + max + ", was '" + v.get() + "'");
    }
    return n;
  }

  public int getInt(String key, int defaultValue, int min, int max) {
    return (int) getLong(key, defaultValue, min, max);
  }

  /** {@code yes/no}, {@code true/false}, {@code 1/0}, {@code on/off}; {@code defaultValue} when unset. */
  public boolean getBoolean(String key, boolean defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    switch (v.get().toLowerCase(Locale.ROOT)) {
      case "yes":
      case "true":
      case "1":
      case "on":
        return true;
      case "no":
      case "false":
      case "0":
      case "off":
        return false;
      default:
        throw new ConfigurationException(key + " must be yes or no, was '" + v.get() + "'");
    }
  }

  public ZoneId getZone(String key, ZoneId defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return ZoneId.of(v.get());
    } catch (RuntimeException e) {
      throw new ConfigurationException(key + " must be a time zone such as America/New_York, was '" + v.get() + "'");
    }
  }

  public LocalTime getTime(String key, LocalTime defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return LocalTime.parse(v.get());
    } catch (DateTimeParseException e) {
      throw new ConfigurationException(key + " must be a time such as 17:00, was '" + v.get() + "'");
    }
  }

  /** {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}; {@code defaultValue} when unset. */
  public Duration getDuration(String key, Duration defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    String s = v.get().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (s.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      } else if (s.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      } else if (s.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      } else if (s.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
      } else {
        throw new NumberFormatException(s);
      }
      if (d.isNegative()) {
        throw new ConfigurationException(key + " must not be negative, was '" + v.get() + "'");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ConfigurationException(key + " must look like 250ms, 10s, 5m or 1h, was '" + v.get() + "'");
    }
  }

  private static double parseDouble(String key, String v) {
    String s = v.replace("_", "").replace(",", "").replace("$", "");
    try {
      double d = Double.parseDouble(s);
      if (!Double.isFinite(d)) {
        throw new NumberFormatException(s);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ConfigurationException(key + " must be a number, was '" + v + "'");
    }
  }

  private static double checkRange(String key, double d, String raw, double min, double max) {
    if (d < min || d > max) {
      String range = max == Double.MAX_VALUE ? "must be >= " + fmt(min) : "must be between " + fmt(min) + " and " + fmt(max);
      throw new ConfigurationException(key + " " + range + ", was '" + raw + "'");
    }
    return d;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  @Override
  public String toString() {
    return "Settings" + values.keySet();
  }
}
