package dev.algotrade.ib;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.algotrade.api.BrokerException;
import dev.algotrade.api.market.Instrument;
import dev.algotrade.api.market.InstrumentId;
import dev.algotrade.api.market.SecurityType;
import dev.algotrade.ib.internal.IbContract;
import dev.algotrade.ib.internal.IbHandler;
import dev.algotrade.ib.internal.Inbound;
import dev.algotrade.ib.internal.Outgoing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps our {@link Instrument} to IB's contract block (ib-protocol.md §1.8) and resolves it with
 * reqContractDetails, caching the answer (Caffeine; failed look-ups are not cached). Exactly one
 * match resolves; no match fails with IB's own error text (usually 200 "No security definition
 * has been found"); several matches fail as ambiguous, listing them.
 *
 * <p>Type mapping: STOCK->STK, FUTURE->FUT, OPTION->OPT, FOREX->CASH, INDEX->IND, CFD->CFD,
 * CRYPTO->CRYPTO; symbol, exchange and currency come from the instrument, and the multiplier is
 * sent for anything but stocks and forex when it is not 1.
 *
 * <p>Thread-safe. Registered as a handler of its {@link IbClient}.
 */
public final class IbContracts implements IbHandler {

  private static final Logger log = LoggerFactory.getLogger(IbContracts.class);

  private final IbClient client;
  private final AsyncCache<Instrument, Inbound.ContractData> cache =
      Caffeine.newBuilder().maximumSize(10_000).buildAsync();
  private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
  private final Map<Integer, InstrumentId> byConId = new ConcurrentHashMap<>();

  private static final class Pending {
    final Instrument instrument;
    final List<Inbound.ContractData> matches = new ArrayList<>();
    final CompletableFuture<Inbound.ContractData> future = new CompletableFuture<>();

    Pending(Instrument instrument) {
      this.instrument = instrument;
    }
  }

  /** Creates the resolver and registers it with {@code client}; use {@link IbClient#contracts()}. */
  static IbContracts on(IbClient client) {
    IbContracts c = new IbContracts(client);
    client.addHandler(c);
    return c;
  }

  private IbContracts(IbClient client) {
    this.client = client;
  }

  /** The contract block for {@code instrument} (conId 0: IB identifies it by the other fields). */
  public static IbContract toContract(Instrument instrument) {
    String secType = secType(instrument.type());
    String multiplier = "";
    if (instrument.multiplier() != 1.0 && instrument.type() != SecurityType.STOCK
        && instrument.type() != SecurityType.FOREX) {
      double m = instrument.multiplier();
      multiplier = m == Math.rint(m) ? Long.toString((long) m) : Double.toString(m);
    }
    return new IbContract(0, instrument.symbol(), secType, "", 0.0, "", multiplier, instrument.exchange(), "",
        instrument.currency(), "", "");
  }

  /** IB's security type code. */
  public static String secType(SecurityType type) {
    switch (type) {
      case STOCK:
        return "STK";
      case FUTURE:
        return "FUT";
      case OPTION:
        return "OPT";
      case FOREX:
        return "CASH";
      case INDEX:
        return "IND";
      case CFD:
        return "CFD";
      case CRYPTO:
        return "CRYPTO";
      default:
        throw new IllegalArgumentException("no IB security type for " + type);
    }
  }

  /**
   * Resolves {@code instrument} once (cached). Waits for a ready session first (also across a
   * reconnect, or after a failed first connect).
   * The future fails with a {@link BrokerException} carrying IB's text when the symbol is
   * unknown or ambiguous.
   */
  public CompletableFuture<Inbound.ContractData> resolve(Instrument instrument) {
    return cache.get(instrument, (key, executor) -> client.whenReady().thenCompose(v -> request(key)));
  }

  /** The resolved contract (with conId) if a look-up already succeeded; else the plain mapping. */
  public IbContract contractFor(Instrument instrument) {
    CompletableFuture<Inbound.ContractData> f = cache.getIfPresent(instrument);
    if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
      return toContract(instrument).withConId(f.join().contract().conId());
    }
    return toContract(instrument);
  }

  /** Our instrument id for a conId seen in a resolved contract, or null. */
  public InstrumentId instrumentFor(int conId) {
    return byConId.get(conId);
  }

  private CompletableFuture<Inbound.ContractData> request(Instrument instrument) {
    int reqId = client.nextId();
    Pending p = new Pending(instrument);
    pending.put(reqId, p);
    client.timer().schedule(() -> {
      if (pending.remove(reqId) != null) {
        p.future.completeExceptionally(new LookupTimeout("IB contract look-up timed out for " + instrument.id()));
      }
    }, client.config().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    log.debug("IB contract look-up reqId={} instrument={}", reqId, instrument.id());
    client.send(Outgoing.reqContractDetails(reqId, toContract(instrument)));
    return p.future;
  }

  @Override
  public void contractData(Inbound.ContractData msg) {
    Pending p = pending.get(msg.reqId());
    if (p != null) {
      synchronized (p) {
        p.matches.add(msg);
      }
    }
  }

  @Override
  public void contractDataEnd(int reqId) {
    Pending p = pending.remove(reqId);
    if (p == null) {
      return;
    }
    List<Inbound.ContractData> matches;
    synchronized (p) {
      matches = List.copyOf(p.matches);
    }
    if (matches.size() == 1) {
      Inbound.ContractData d = matches.get(0);
      byConId.put(d.contract().conId(), p.instrument.id());
      log.info("IB contract resolved instrument={} conId={} primaryExchange={} longName={}", p.instrument.id(),
          d.contract().conId(), d.contract().primaryExchange(), d.longName());
      p.future.complete(d);
    } else if (matches.isEmpty()) {
      p.future.completeExceptionally(new BrokerException("IB found no contract for " + p.instrument.id()));
    } else {
      String list = matches.stream()
          .map(d -> d.contract().symbol() + "@" + d.contract().primaryExchange() + " conId=" + d.contract().conId())
          .collect(Collectors.joining(", "));
      log.error("IB contract ambiguous instrument={} matches={}", p.instrument.id(), list);
      p.future.completeExceptionally(new BrokerException(
          "IB contract for " + p.instrument.id() + " is ambiguous (" + matches.size() + " matches: " + list
              + "); set a more specific exchange/currency"));
    }
  }

  /**
   * No answer to reqContractDetails in time. Unlike an IB error, this says nothing about the
   * symbol, so the feed falls back to requesting data by symbol (conId 0).
   */
  public static final class LookupTimeout extends BrokerException {
    private static final long serialVersionUID = 1L;

    LookupTimeout(String message) {
      super(message);
    }
  }

  @Override
  public boolean error(int id, int code, String text, String json) {
    Pending p = pending.remove(id);
    if (p == null) {
      return false;
    }
    log.error("IB contract look-up failed instrument={} code={} text={}", p.instrument.id(), code, text);
    p.future.completeExceptionally(new BrokerException("IB error " + code + ": " + text));
    return true;
  }
}
