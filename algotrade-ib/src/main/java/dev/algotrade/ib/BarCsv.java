package dev.algotrade.ib;

import dev.algotrade.api.market.Bar;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes bars as CSV for replay: header {@code time,open,high,low,close,volume}, one bar per
 * line, {@code time} the bar's <em>start</em> as ISO-8601 UTC ({@code 2024-01-02T14:30:00Z}),
 * numbers in Java's shortest round-trip form, LF line ends. The bar length is not stored; a
 * reader takes it from the spacing or its own configuration.
 *
 * <p>Thread-safe (stateless).
 */
public final class BarCsv {

  public static final String HEADER = "time,open,high,low,close,volume";

  private BarCsv() {}

  public static void write(Writer out, List<Bar> bars) throws IOException {
    out.write(HEADER);
    out.write('\n');
    StringBuilder sb = new StringBuilder(96);
    for (Bar b : bars) {
      sb.setLength(0);
      sb.append(b.start()).append(',').append(b.open()).append(',').append(b.high()).append(',')
          .append(b.low()).append(',').append(b.close()).append(',').append(b.volume()).append('\n');
      out.write(sb.toString());
    }
    out.flush();
  }

  public static void write(Path file, List<Bar> bars) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(w, bars);
    }
  }
}
