package dev.algotrade.core.feed;

import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.Quote;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One CSV file of quotes or bars, read lazily a line at a time (format in {@link CsvReplayFeed}).
 * Checks that rows come in non-decreasing event time. Confined to one thread at a time (the feed
 * serialises access).
 */
final class CsvSource {

  enum Kind {
    QUOTES,
    BARS
  }

  static final List<String> QUOTE_COLUMNS = List.of("time", "instrument", "bid", "ask", "bid_size", "ask_size");
  static final List<String> BAR_COLUMNS = List.of("time", "instrument", "open", "high", "low", "close", "volume");
  static final String PERIOD_COLUMN = "period_seconds";

  private final Path file;
  private final Kind kind;
  private final Duration defaultBarPeriod;
  private final int columns;
  // column index of each field, in the order of QUOTE_COLUMNS / BAR_COLUMNS (+ period at the end)
  private final int[] index;
  private final int periodIndex;
  private final String[] fields;
  private final Map<String, InstrumentId> ids = new HashMap<>();

  private BufferedReader reader;
  private long lineNumber;
  private Instant lastTime;
  private long lastTimeLine;
  private boolean finished;

  /** Reads and checks the header (then closes the file again; rows are read on demand). */
  static CsvSource open(Path file, Duration defaultBarPeriod) {
    String header;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      header = r.readLine();
    } catch (IOException e) {
      throw new CsvFormatException(file, 0, null, "cannot read: " + e);
    }
    if (header == null || header.isBlank()) {
      throw new CsvFormatException(file, 1, null, "no header line, expected one such as "
          + String.join(",", QUOTE_COLUMNS) + " or " + String.join(",", BAR_COLUMNS));
    }
    return new CsvSource(file, header, defaultBarPeriod);
  }

  private CsvSource(Path file, String header, Duration defaultBarPeriod) {
    this.file = file;
    if (!header.isEmpty() && header.charAt(0) == '\uFEFF') {
      header = header.substring(1);
    }
    String[] names = header.split(",", -1);
    List<String> cols = new ArrayList<>();
    for (String n : names) {
      cols.add(n.trim().toLowerCase(Locale.ROOT));
    }
    List<String> expected;
    if (cols.contains("bid") || cols.contains("ask")) {
      kind = Kind.QUOTES;
      expected = QUOTE_COLUMNS;
    } else if (cols.contains("open") || cols.contains("close")) {
      kind = Kind.BARS;
      expected = BAR_COLUMNS;
    } else {
      throw new CsvFormatException(file, 1, null, "header '" + header + "' is neither quotes ("
          + String.join(",", QUOTE_COLUMNS) + ") nor bars (" + String.join(",", BAR_COLUMNS)
          + "[," + PERIOD_COLUMN + "])");
    }
    for (int i = 0; i < cols.size(); i++) {
      String c = cols.get(i);
      boolean known = expected.contains(c) || (kind == Kind.BARS && c.equals(PERIOD_COLUMN));
      if (!known) {
        throw new CsvFormatException(file, 1, c, "unknown column in header '" + header + "', expected "
            + String.join(",", expected) + (kind == Kind.BARS ? "[," + PERIOD_COLUMN + "]" : ""));
      }
      if (cols.indexOf(c) != i) {
        throw new CsvFormatException(file, 1, c, "column appears twice in header '" + header + "'");
      }
    }
    index = new int[expected.size()];
    for (int i = 0; i < expected.size(); i++) {
      index[i] = cols.indexOf(expected.get(i));
      if (index[i] < 0) {
        throw new CsvFormatException(file, 1, expected.get(i), "missing from header '" + header
            + "', expected " + String.join(",", expected));
      }
    }
    periodIndex = cols.indexOf(PERIOD_COLUMN);
    if (kind == Kind.BARS && periodIndex < 0 && defaultBarPeriod == null) {
      throw new CsvFormatException(file, 1, null, "bars need a period: add a " + PERIOD_COLUMN
          + " column or set CsvReplayFeed.builder().barPeriod(..)");
    }
    this.defaultBarPeriod = defaultBarPeriod;
    this.columns = cols.size();
    this.fields = new String[columns];
  }

  Path file() {
    return file;
  }

  Kind kind() {
    return kind;
  }

  /** The next row (of any instrument), or null at the end of the file. */
  MarketData read() {
    if (finished) {
      return null;
    }
    try {
      if (reader == null) {
        reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        reader.readLine(); // header, checked when opened
        lineNumber = 1;
      }
      String line;
      do {
        line = reader.readLine();
        lineNumber++;
        if (line == null) {
          close();
          return null;
        }
      } while (line.isBlank());
      MarketData data = parse(line);
      Instant time = data.time();
      if (lastTime != null && time.isBefore(lastTime)) {
        throw new CsvFormatException(file, lineNumber, "time", "event time " + time
            + " is before " + lastTime + " on line " + lastTimeLine + "; rows must be in time order");
      }
      lastTime = time;
      lastTimeLine = lineNumber;
      return data;
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(CsvFormatException.describe(file, lineNumber, null)
          + ": read failed", e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private MarketData parse(String line) {
    int n = 0;
    int from = 0;
    while (true) {
      int comma = line.indexOf(',', from);
      if (n == columns) {
        throw new CsvFormatException(file, lineNumber, null, "expected " + columns + " fields, found more");
      }
      if (comma < 0) {
        fields[n++] = line.substring(from).trim();
        break;
      }
      fields[n++] = line.substring(from, comma).trim();
      from = comma + 1;
    }
    if (n != columns) {
      throw new CsvFormatException(file, lineNumber, null, "expected " + columns + " fields, found " + n);
    }
    Instant time = time(fields[index[0]]);
    InstrumentId id = instrument(fields[index[1]]);
    if (kind == Kind.QUOTES) {
      double bid = number(2, false);
      double ask = number(3, false);
      double bidSize = number(4, false);
      double askSize = number(5, false);
      return new Quote(id, time, bid, ask, bidSize, askSize);
    }
    double open = number(2, true);
    double high = number(3, true);
    double low = number(4, true);
    double close = number(5, true);
    double volume = number(6, false);
    Duration period = periodIndex >= 0 ? period(fields[periodIndex]) : defaultBarPeriod;
    try {
      return new Bar(id, time, period, open, high, low, close, volume);
    } catch (IllegalArgumentException e) {
      throw new CsvFormatException(file, lineNumber, null, e.getMessage());
    }
  }

  private Instant time(String s) {
    if (isInteger(s)) {
      try {
        return Instant.ofEpochMilli(Long.parseLong(s));
      } catch (RuntimeException e) {
        throw new CsvFormatException(file, lineNumber, "time", "'" + s + "' is out of range as epoch milliseconds");
      }
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new CsvFormatException(file, lineNumber, "time",
          "'" + s + "' is neither an ISO-8601 instant (e.g. 2024-01-02T14:30:00Z) nor epoch milliseconds");
    }
  }

  private static boolean isInteger(String s) {
    if (s.isEmpty()) {
      return false;
    }
    int start = s.charAt(0) == '-' ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private InstrumentId instrument(String s) {
    InstrumentId id = ids.get(s);
    if (id == null) {
      try {
        id = InstrumentId.of(s);
      } catch (IllegalArgumentException e) {
        throw new CsvFormatException(file, lineNumber, "instrument", "'" + s + "' is not a valid instrument id ("
            + e.getMessage() + ")");
      }
      ids.put(s, id);
    }
    return id;
  }

  private double number(int column, boolean strictlyPositive) {
    String s = fields[index[column]];
    String name = (kind == Kind.QUOTES ? QUOTE_COLUMNS : BAR_COLUMNS).get(column);
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new CsvFormatException(file, lineNumber, name, "'" + s + "' is not a number");
    }
    if (!Double.isFinite(v)) {
      throw new CsvFormatException(file, lineNumber, name, "'" + s + "' is not a finite number");
    }
    if (strictlyPositive ? !(v > 0) : !(v >= 0)) {
      throw new CsvFormatException(file, lineNumber, name, "'" + s + "' must be " + (strictlyPositive ? "> 0" : ">= 0"));
    }
    return v;
  }

  private Duration period(String s) {
    try {
      BigDecimal seconds = new BigDecimal(s);
      if (seconds.signum() > 0) {
        return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // reported below
    }
    throw new CsvFormatException(file, lineNumber, PERIOD_COLUMN,
        "'" + s + "' is not a positive number of seconds (at most nanosecond precision)");
  }

  /** Closes the file; later reads return null. */
  void close() {
    finished = true;
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException e) {
        // nothing to do: we only read
      }
      reader = null;
    }
  }
}
