package dev.algotrade.core.config;

import dev.algotrade.api.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tiny {@code .env} parser: {@code KEY=VALUE} lines, optional {@code export } prefix, blank
 * lines and {@code #} comments, values in single quotes (taken as they are) or double quotes
 * ({@code \n}, {@code \"} and {@code \\} escapes), and {@code #} comments after an unquoted
 * value when preceded by a space. A malformed line fails with its file and line number.
 * Stateless, thread-safe.
 */
public final class DotEnv {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

  private DotEnv() {}

  /** The entries of {@code file}, in file order; an empty map if the file does not exist. */
  public static Map<String, String> read(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("DotEnv.read file must not be null");
    }
    if (!Files.exists(file)) {
      return Map.of();
    }
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new ConfigurationException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /** Parses {@code .env} text; {@code source} names it in error messages. */
  public static Map<String, String> parse(String text, String source) {
    Map<String, String> out = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      String where = source + " line " + (n + 1);
      if (eq <= 0) {
        throw new ConfigurationException(where + ": expected KEY=VALUE, was '" + lines[n] + "'");
      }
      String key = line.substring(0, eq).strip();
      if (!KEY.matcher(key).matches()) {
        throw new ConfigurationException(where + ": '" + key + "' is not a valid key (letters, digits, _ and .)");
      }
      out.put(key, value(line.substring(eq + 1).strip(), where, key));
    }
    return Collections.unmodifiableMap(out);
  }

  private static String value(String raw, String where, String key) {
    if (raw.isEmpty()) {
      return "";
    }
    char q = raw.charAt(0);
    if (q == '\'' || q == '"') {
      int end = closingQuote(raw, q);
      if (end < 0) {
        throw new ConfigurationException(where + ": value of " + key + " has no closing " + q + ", was " + raw);
      }
      String rest = raw.substring(end + 1).strip();
      if (!rest.isEmpty() && !rest.startsWith("#")) {
        throw new ConfigurationException(where + ": text after the closing quote of " + key + ", was " + raw);
      }
      String inner = raw.substring(1, end);
      return q == '\'' ? inner : unescape(inner);
    }
    int hash = raw.indexOf(" #");
    if (hash < 0) {
      hash = raw.indexOf("\t#");
    }
    return (hash >= 0 ? raw.substring(0, hash) : raw).strip();
  }

  private static int closingQuote(String raw, char q) {
    for (int i = 1; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && q == '"') {
        i++;
      } else if (c == q) {
        return i;
      }
    }
    return -1;
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char d = s.charAt(++i);
        sb.append(d == 'n' ? '\n' : d == 't' ? '\t' : d);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
