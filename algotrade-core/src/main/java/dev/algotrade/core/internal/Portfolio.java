package dev.algotrade.core.internal;

import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.order.Fill;
import dev.algotrade.api.portfolio.PortfolioView;
import dev.algotrade.api.portfolio.Position;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's book: positions with average prices, realised and unrealised P&L, cash,
 * commissions, equity, and the trading day's P&L with its peak and trough. Long and short
 * positions; a fill that crosses zero closes the old position (realising P&L) and opens the
 * rest at the fill price. Confined to the engine thread.
 */
public final class Portfolio implements PortfolioView {

  /** One instrument's line in the book. */
  public static final class Book {
    final InstrumentId id;
    final double multiplier;
    double quantity;
    double averagePrice;
    double realized;
    double mark = Double.NaN;

    Book(InstrumentId id, double multiplier) {
      this.id = id;
      this.multiplier = multiplier;
    }

    double valuationPrice() {
      return Double.isNaN(mark) ? averagePrice : mark;
    }

    double unrealized() {
      if (quantity == 0 || Double.isNaN(mark)) {
        return 0;
      }
      return (mark - averagePrice) * quantity * multiplier;
    }
  }

  private final Map<InstrumentId, Book> books = new HashMap<>();
  private Book[] bookArray = new Book[0];
  private final double startingCash;
  private double cash;
  private double realized;
  private double commissions;

  private LocalDate day;
  private double dayStartEquity;
  private double dayPeak;
  private double dayTrough;
  private double dayRealized;
  private double dayCommissions;
  private long dayFills;

  private double runPeak;
  private double maxDrawdown;

  public Portfolio(double startingCash) {
    if (!Double.isFinite(startingCash)) {
      throw new IllegalArgumentException("startingCash must be finite, was " + startingCash);
    }
    this.startingCash = startingCash;
    this.cash = startingCash;
    this.dayStartEquity = startingCash;
    this.dayPeak = startingCash;
    this.dayTrough = startingCash;
    this.runPeak = startingCash;
  }

  /** Registers an instrument (idempotent) and returns its book line. */
  public Book register(Instrument instrument) {
    Book b = books.get(instrument.id());
    if (b == null) {
      b = new Book(instrument.id(), instrument.multiplier());
      books.put(instrument.id(), b);
      Book[] grown = new Book[bookArray.length + 1];
      System.arraycopy(bookArray, 0, grown, 0, bookArray.length);
      grown[bookArray.length] = b;
      bookArray = grown;
    }
    return b;
  }

  public Book book(InstrumentId id) {
    return books.get(id);
  }

  /** Sets the mark price of one line and updates the run's drawdown figures. */
  public void mark(Book b, double price) {
    b.mark = price;
    if (b.quantity != 0) {
      trackEquity();
    }
  }

  /** Updates peak/trough/drawdown from the current equity; returns the equity. */
  public double trackEquity() {
    double eq = equity();
    if (eq > dayPeak) {
      dayPeak = eq;
    }
    if (eq < dayTrough) {
      dayTrough = eq;
    }
    if (eq > runPeak) {
      runPeak = eq;
    } else if (runPeak - eq > maxDrawdown) {
      maxDrawdown = runPeak - eq;
    }
    return eq;
  }

  /**
   * Applies a fill; returns the P&L it realised (before commission). The fill's instrument must
   * have been registered.
   */
  public double apply(Fill fill) {
    Book b = books.get(fill.instrument());
    if (b == null) {
      throw new IllegalStateException("fill for unregistered instrument " + fill.instrument());
    }
    double q = fill.signedQuantity();
    double price = fill.price();
    double realizedNow = 0;
    double pos = b.quantity;
    if (pos == 0 || Math.signum(pos) == Math.signum(q)) {
      double newPos = pos + q;
      b.averagePrice = (Math.abs(pos) * b.averagePrice + Math.abs(q) * price) / Math.abs(newPos);
      b.quantity = newPos;
    } else {
      double closing = Math.min(Math.abs(q), Math.abs(pos));
      realizedNow = closing * (price - b.averagePrice) * Math.signum(pos) * b.multiplier;
      double newPos = pos + q;
      if (Math.abs(newPos) < 1e-9 * Math.max(1, Math.abs(pos))) {
        newPos = 0;
      }
      b.quantity = newPos;
      if (newPos == 0) {
        b.averagePrice = 0;
      } else if (Math.signum(newPos) != Math.signum(pos)) {
        b.averagePrice = price; // flipped through zero: the rest opens at this price
      }
    }
    b.realized += realizedNow;
    realized += realizedNow;
    dayRealized += realizedNow;
    cash -= q * price * b.multiplier + fill.commission();
    commissions += fill.commission();
    dayCommissions += fill.commission();
    dayFills++;
    if (Double.isNaN(b.mark)) {
      b.mark = price;
    }
    trackEquity();
    return realizedNow;
  }

  /**
   * Starts a new trading day: the day's P&L counts from the equity now. Returns the summary of
   * the day that ended (null on the first call).
   */
  public DaySummary rollDay(LocalDate newDay) {
    DaySummary ended = day == null ? null : daySummary();
    day = newDay;
    double eq = equity();
    dayStartEquity = eq;
    dayPeak = eq;
    dayTrough = eq;
    dayRealized = 0;
    dayCommissions = 0;
    dayFills = 0;
    return ended;
  }

  /**
   * Restores the day's figures after a restart (values from the store); NaN values are left as
   * they are.
   */
  public void restoreDay(LocalDate restoredDay, double startEquity, double peakEquity, double realizedToday) {
    this.day = restoredDay;
    if (!Double.isNaN(startEquity)) {
      dayStartEquity = startEquity;
    }
    if (!Double.isNaN(peakEquity)) {
      dayPeak = Math.max(peakEquity, equity());
    }
    dayRealized = realizedToday;
  }

  /** Sets a position directly (recovery from the store, or adopting the broker's view). */
  public void setPosition(InstrumentId id, double quantity, double averagePrice) {
    Book b = books.get(id);
    if (b == null) {
      throw new IllegalStateException("position for unregistered instrument " + id);
    }
    // keep equity continuous: the cash that bought the position is assumed spent
    cash += b.quantity * b.averagePrice * b.multiplier - quantity * averagePrice * b.multiplier;
    b.quantity = quantity;
    b.averagePrice = quantity == 0 ? 0 : averagePrice;
  }

  public DaySummary daySummary() {
    double eq = equity();
    return new DaySummary(day, dayRealized, unrealizedPnl(), dayCommissions, dayStartEquity, eq,
        Math.max(dayPeak, eq), Math.min(dayTrough, eq), dayFills);
  }

  /** Figures of one trading day. */
  public record DaySummary(
      LocalDate day,
      double realized,
      double unrealized,
      double commissions,
      double startEquity,
      double endEquity,
      double peakEquity,
      double troughEquity,
      long fills) {}

  public LocalDate day() {
    return day;
  }

  public double startingCash() {
    return startingCash;
  }

  public double maxDrawdown() {
    return maxDrawdown;
  }

  public double dayRealizedPnl() {
    return dayRealized;
  }

  public double dayStartEquity() {
    return dayStartEquity;
  }

  /** The day's peak equity as tracked at the last mark or fill (no re-valuation). */
  public double dayPeakTracked() {
    return dayPeak;
  }

  @Override
  public double position(InstrumentId instrument) {
    Book b = books.get(instrument);
    return b == null ? 0 : b.quantity;
  }

  @Override
  public double averagePrice(InstrumentId instrument) {
    Book b = books.get(instrument);
    return b == null ? 0 : b.averagePrice;
  }

  @Override
  public double markPrice(InstrumentId instrument) {
    Book b = books.get(instrument);
    return b == null ? Double.NaN : b.mark;
  }

  @Override
  public double realizedPnl(InstrumentId instrument) {
    Book b = books.get(instrument);
    return b == null ? 0 : b.realized;
  }

  @Override
  public double unrealizedPnl(InstrumentId instrument) {
    Book b = books.get(instrument);
    return b == null ? 0 : b.unrealized();
  }

  @Override
  public double realizedPnl() {
    return realized;
  }

  @Override
  public double unrealizedPnl() {
    double sum = 0;
    for (Book b : bookArray) {
      sum += b.unrealized();
    }
    return sum;
  }

  @Override
  public double commissions() {
    return commissions;
  }

  @Override
  public double cash() {
    return cash;
  }

  @Override
  public double equity() {
    double value = cash;
    for (Book b : bookArray) {
      if (b.quantity != 0) {
        value += b.quantity * b.valuationPrice() * b.multiplier;
      }
    }
    return value;
  }

  @Override
  public double grossExposure() {
    double sum = 0;
    for (Book b : bookArray) {
      if (b.quantity != 0) {
        sum += Math.abs(b.quantity * b.valuationPrice() * b.multiplier);
      }
    }
    return sum;
  }

  @Override
  public double dayPnl() {
    return equity() - dayStartEquity;
  }

  @Override
  public double dayPeakEquity() {
    return Math.max(dayPeak, equity());
  }

  @Override
  public List<Position> positions() {
    List<Position> out = new ArrayList<>();
    for (Book b : bookArray) {
      if (b.quantity != 0) {
        out.add(new Position(b.id, b.quantity, b.averagePrice));
      }
    }
    out.sort((a, c) -> a.instrument().compareTo(c.instrument()));
    return out;
  }
}
