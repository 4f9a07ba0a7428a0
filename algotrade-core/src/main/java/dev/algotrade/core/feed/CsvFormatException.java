package dev.algotrade.core.feed;

import dev.algotrade.api.ConfigurationException;
import java.nio.file.Path;

/**
 * A market-data CSV file is malformed: a bad header, a bad field, or a row out of time order.
 * The message names the file, the line (1 = the header) and, where one is to blame, the field,
 * e.g. {@code quotes.csv line 17 field bid: 'abc' is not a number}.
 */
public class CsvFormatException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;
  private final String field;

  public CsvFormatException(Path file, long line, String field, String problem) {
    super(describe(file, line, field) + ": " + problem);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  static String describe(Path file, long line, String field) {
    Path fileName = file.getFileName();
    StringBuilder sb = new StringBuilder(fileName == null ? file.toString() : fileName.toString());
    if (line > 0) {
      sb.append(" line ").append(line);
    }
    if (field != null) {
      sb.append(" field ").append(field);
    }
    return sb.toString();
  }

  /** The file as given to the feed. */
  public Path file() {
    return file;
  }

  /** The 1-based line number (1 is the header), or 0 if the problem concerns the whole file. */
  public long line() {
    return line;
  }

  /** The column to blame, or null if the problem concerns the whole row or file. */
  public String field() {
    return field;
  }
}
