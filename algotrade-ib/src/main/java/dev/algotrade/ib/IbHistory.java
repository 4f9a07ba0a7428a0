package dev.algotrade.ib;

import dev.algotrade.api.BrokerException;
import dev.algotrade.api.market.Bar;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.ib.internal.HistoricalPacer;
import dev.algotrade.ib.internal.IbContract;
import dev.algotrade.ib.internal.IbHandler;
import dev.algotrade.ib.internal.Inbound;
import dev.algotrade.ib.internal.Outgoing;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Historical bars with reqHistoricalData (ib-protocol.md §3.10, §4.9), for warming up
 * indicators and for writing replay CSV ({@link BarCsv}). Requests are paced by
 * {@link HistoricalPacer} (IB's 15 s / 2 s / 10 min rules) and at most 50 are open at once.
 * Intraday bars are asked with formatDate 2 (epoch seconds); daily and longer bars come as
 * {@code yyyyMMdd} and start at midnight in {@link IbConfig#exchangeZone()}. Bars IB reports
 * with a non-positive price are dropped (logged); a volume of -1 (e.g. MIDPOINT) becomes 0.
 *
 * <p>Thread-safe; futures complete on the client's reader thread.
 */
public final class IbHistory implements IbHandler {

  private static final Logger log = LoggerFactory.getLogger(IbHistory.class);
  private static final DateTimeFormatter END = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final int MAX_OPEN = 50;

  private final IbClient client;
  private final IbContracts contracts;
  private final HistoricalPacer pacer = new HistoricalPacer();
  private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
  private final java.util.concurrent.Semaphore open = new java.util.concurrent.Semaphore(MAX_OPEN);

  private static final class Pending {
    final Instrument instrument;
    final HistoryRequest request;
    final CompletableFuture<List<Bar>> future = new CompletableFuture<>();

    Pending(Instrument instrument, HistoryRequest request) {
      this.instrument = instrument;
      this.request = request;
    }
  }

  private IbHistory(IbClient client) {
    this.client = client;
    this.contracts = client.contracts();
  }

  /** A history source on {@code client} (registers itself as a handler and starts the client). */
  public static IbHistory on(IbClient client) {
    IbHistory h = new IbHistory(client);
    client.addHandler(h);
    return h;
  }

  /** Requests bars; the future fails with IB's error text (e.g. 162 pacing / no data). */
  public CompletableFuture<List<Bar>> bars(Instrument instrument, HistoryRequest request) {
    Pending p = new Pending(instrument, request);
    client.start().whenComplete((v, e) -> {
      if (e != null) {
        p.future.completeExceptionally(e);
        return;
      }
      IbContract contract = contracts.contractFor(instrument);
      String endText = request.end() == null ? "" : END.format(LocalDateTime.ofInstant(request.end(), ZoneOffset.UTC));
      String contractKey = contract.symbol() + "|" + contract.secType() + "|" + contract.exchange() + "|"
          + contract.currency() + "|" + request.whatToShow();
      String requestKey = contractKey + "|" + endText + "|" + request.duration() + "|" + request.barSize().wire()
          + "|" + request.useRth();
      int weight = request.whatToShow().equals("BID_ASK") ? 2 : 1;
      long now = client.clock().nanoTime();
      long at = pacer.reserve(requestKey, contractKey, weight, now);
      long delay = Math.max(0, at - now);
      if (delay > 0) {
        log.info("IB historical request paced instrument={} delayMs={}", instrument.id(),
            TimeUnit.NANOSECONDS.toMillis(delay));
      }
      client.timer().schedule(() -> send(p, contract, endText), delay, TimeUnit.NANOSECONDS);
    });
    return p.future;
  }

  private void send(Pending p, IbContract contract, String endText) {
    if (!open.tryAcquire()) {
      client.timer().schedule(() -> send(p, contract, endText), 1, TimeUnit.SECONDS);
      return;
    }
    int reqId;
    try {
      reqId = client.nextId();
    } catch (BrokerException e) {
      open.release();
      p.future.completeExceptionally(e);
      return;
    }
    pending.put(reqId, p);
    HistoryRequest r = p.request;
    client.send(Outgoing.reqHistoricalData(reqId, contract, endText, r.barSize().wire(), r.duration(), r.useRth(),
        r.whatToShow(), r.barSize().isDaily() ? 1 : 2, false));
    log.info("IB historical request sent reqId={} instrument={} duration={} barSize={} what={}", reqId,
        p.instrument.id(), r.duration(), r.barSize().wire(), r.whatToShow());
    client.timer().schedule(() -> {
      Pending q = pending.remove(reqId);
      if (q != null) {
        open.release();
        client.send(Outgoing.cancelHistoricalData(reqId));
        q.future.completeExceptionally(new BrokerException("IB historical data timed out reqId=" + reqId));
      }
    }, 2, TimeUnit.MINUTES);
  }

  @Override
  public void historicalData(Inbound.HistoricalData msg) {
    Pending p = pending.remove(msg.reqId());
    if (p == null) {
      return;
    }
    open.release();
    try {
      List<Bar> bars = toBars(p.instrument.id(), p.request.barSize(), msg.bars(), client.config().exchangeZone());
      log.info("IB historical bars received instrument={} bars={}", p.instrument.id(), bars.size());
      p.future.complete(bars);
    } catch (RuntimeException e) {
      p.future.completeExceptionally(e);
    }
  }

  @Override
  public boolean error(int id, int code, String text, String json) {
    Pending p = pending.remove(id);
    if (p == null) {
      return false;
    }
    open.release();
    log.warn("IB historical request failed instrument={} code={} text={}", p.instrument.id(), code, text);
    p.future.completeExceptionally(new BrokerException("IB error " + code + ": " + text));
    return true;
  }

  /** Converts IB bars (formatDate 1 or 2) to ours. Package-private for tests. */
  static List<Bar> toBars(InstrumentId id, BarSize size, List<Inbound.HistoricalBar> raw, ZoneId zone) {
    List<Bar> out = new ArrayList<>(raw.size());
    for (Inbound.HistoricalBar b : raw) {
      if (!(b.open() > 0 && b.high() > 0 && b.low() > 0 && b.close() > 0)) {
        log.debug("IB bar without prices dropped instrument={} date={}", id, b.date());
        continue;
      }
      double volume = b.volume() > 0 ? b.volume() : 0.0;
      try {
        out.add(new Bar(id, barStart(b.date(), zone), size.period(), b.open(), b.high(), b.low(), b.close(), volume));
      } catch (IllegalArgumentException e) {
        log.warn("IB bar not usable dropped instrument={} date={} reason={}", id, b.date(), e.getMessage());
      }
    }
    return out;
  }

  /** {@code yyyyMMdd}, epoch seconds, or {@code yyyyMMdd [ ]HH:mm:ss [zone]}. */
  static Instant barStart(String date, ZoneId zone) {
    String d = date.trim();
    if (d.length() == 8 && d.chars().allMatch(Character::isDigit)) {
      return LocalDate.parse(d, DAY).atStartOfDay(zone).toInstant();
    }
    if (d.chars().allMatch(Character::isDigit)) {
      return Instant.ofEpochSecond(Long.parseLong(d));
    }
    String[] parts = d.split("\\s+");
    ZoneId z = zone;
    if (parts.length >= 3) {
      z = ZoneId.of(parts[2]);
    }
    return LocalDateTime.parse(parts[0] + " " + parts[1], DateTimeFormatter.ofPattern("yyyyMMdd HH:mm:ss"))
        .atZone(z).toInstant();
  }
}
