package dev.algotrade.core.feed;

import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.MarketData;
import dev.algotrade.api.market.Quote;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Writes quotes or bars in the CSV format that {@link CsvReplayFeed} reads (see there): a header,
 * then one row per event, times as ISO-8601 instants, numbers in plain decimal notation. Bars
 * carry a {@code period_seconds} column so the file describes itself. A writer holds one kind;
 * it creates or truncates its file. Rows should be written in time order, or the replay will
 * reject them.
 *
 * <p>Not thread-safe: confined to one thread. I/O errors surface as
 * {@link UncheckedIOException}.
 */
public final class CsvWriter implements AutoCloseable {

  private final Path file;
  private final CsvSource.Kind kind;
  private final BufferedWriter out;
  private final StringBuilder row = new StringBuilder(128);
  private long rows;

  private CsvWriter(Path file, CsvSource.Kind kind) {
    this.file = file;
    this.kind = kind;
    try {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      if (kind == CsvSource.Kind.QUOTES) {
        out.write(String.join(",", CsvSource.QUOTE_COLUMNS));
      } else {
        out.write(String.join(",", CsvSource.BAR_COLUMNS) + "," + CsvSource.PERIOD_COLUMN);
      }
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
  }

  /** Creates (or truncates) a quotes file and writes its header. */
  public static CsvWriter quotes(Path file) {
    return new CsvWriter(check(file), CsvSource.Kind.QUOTES);
  }

  /** Creates (or truncates) a bars file and writes its header. */
  public static CsvWriter bars(Path file) {
    return new CsvWriter(check(file), CsvSource.Kind.BARS);
  }

  private static Path check(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("CsvWriter.file must not be null");
    }
    return file;
  }

  /** Writes one quote (quotes writers only). */
  public void write(Quote q) {
    if (kind != CsvSource.Kind.QUOTES) {
      throw new IllegalStateException("CsvWriter for " + file + " writes bars, not quotes");
    }
    row.setLength(0);
    row.append(q.time()).append(',').append(q.instrument().value()).append(',');
    number(q.bid()).append(',');
    number(q.ask()).append(',');
    number(q.bidSize()).append(',');
    number(q.askSize()).append('\n');
    emit();
  }

  /** Writes one bar (bars writers only); its {@code time} column is the bar's start. */
  public void write(Bar b) {
    if (kind != CsvSource.Kind.BARS) {
      throw new IllegalStateException("CsvWriter for " + file + " writes quotes, not bars");
    }
    row.setLength(0);
    row.append(b.start()).append(',').append(b.instrument().value()).append(',');
    number(b.open()).append(',');
    number(b.high()).append(',');
    number(b.low()).append(',');
    number(b.close()).append(',');
    number(b.volume()).append(',');
    row.append(seconds(b.period())).append('\n');
    emit();
  }

  /** Writes a quote or a bar, whichever this writer holds. */
  public void write(MarketData data) {
    if (data instanceof Quote) {
      write((Quote) data);
    } else if (data instanceof Bar) {
      write((Bar) data);
    } else {
      throw new IllegalArgumentException("CsvWriter writes quotes and bars only, was " + data);
    }
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot flush " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }

  private void emit() {
    try {
      out.append(row);
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private StringBuilder number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return row.append((long) v);
    }
    String s = Double.toString(v);
    if (s.indexOf('E') >= 0) {
      s = BigDecimal.valueOf(v).toPlainString();
    }
    return row.append(s);
  }

  static String seconds(Duration d) {
    if (d.getNano() == 0) {
      return Long.toString(d.getSeconds());
    }
    return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9))
        .stripTrailingZeros().toPlainString();
  }
}
