package dev.algotrade.core.monitor;

import dev.algotrade.api.ConfigurationException;
import dev.algotrade.api.market.InstrumentId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings of the {@link HealthMonitor} and the heartbeat. Build with {@link #builder()} or take
 * {@link #ofDefaults()}; every setter checks its value at once. Immutable.
 *
 * @param staleAfter no data for this long during session hours raises "No market data"
 * @param staleAfterByInstrument overrides of {@code staleAfter} per instrument
 * @param session when instruments are expected to trade (default US equities' regular hours)
 * @param sessionByInstrument overrides of {@code session} per instrument
 * @param brokerDownAlertAfter the broker connection down this long raises "Broker connection lost"
 * @param denialsInARow this many risk denials without an order sent in between raise an alert
 * @param storeBackedUpFraction the store's queue this full (0..1) counts as backed up
 * @param storeBackedUpAfter backed up this long raises "Store queue backing up"
 * @param checkPeriod how often the periodic checks run (engine timer)
 * @param heartbeatFile where the heartbeat file goes; null: no file (the store row is still written)
 * @param heartbeatPeriod how often the heartbeat is written
 * @param alertOnAbnormalExit whether a live system alerts when the JVM exits while it is running
 * @param brokerMaintenance a daily window in which the broker is expected away (IB's auto-restart):
 *     an outage starting in it is alerted only {@code brokerDownAlertAfter} after the window
 *     ends; null: none
 */
public record HealthMonitorConfig(
    Duration staleAfter,
    Map<InstrumentId, Duration> staleAfterByInstrument,
    SessionHours session,
    Map<InstrumentId, SessionHours> sessionByInstrument,
    Duration brokerDownAlertAfter,
    int denialsInARow,
    double storeBackedUpFraction,
    Duration storeBackedUpAfter,
    Duration checkPeriod,
    Path heartbeatFile,
    Duration heartbeatPeriod,
    boolean alertOnAbnormalExit,
    MaintenanceWindow brokerMaintenance) {

  public HealthMonitorConfig {
    positive(staleAfter, "staleAfter");
    if (staleAfterByInstrument == null || sessionByInstrument == null) {
      throw new ConfigurationException("HealthMonitorConfig maps must not be null");
    }
    staleAfterByInstrument.forEach((k, v) -> positive(v, "staleAfter[" + k + "]"));
    staleAfterByInstrument = Map.copyOf(staleAfterByInstrument);
    sessionByInstrument = Map.copyOf(sessionByInstrument);
    if (session == null) {
      throw new ConfigurationException("HealthMonitorConfig.session must not be null");
    }
    positive(brokerDownAlertAfter, "brokerDownAlertAfter");
    if (denialsInARow < 1) {
      throw new ConfigurationException("HealthMonitorConfig.denialsInARow must be >= 1, was " + denialsInARow);
    }
    if (!(storeBackedUpFraction > 0 && storeBackedUpFraction <= 1)) {
      throw new ConfigurationException("HealthMonitorConfig.storeBackedUpFraction must be in (0, 1], was "
          + storeBackedUpFraction);
    }
    notNegative(storeBackedUpAfter, "storeBackedUpAfter");
    positive(checkPeriod, "checkPeriod");
    positive(heartbeatPeriod, "heartbeatPeriod");
  }

  /** Defaults: see {@link Builder}. */
  public static HealthMonitorConfig ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The staleness limit for {@code id}. */
  public Duration staleAfter(InstrumentId id) {
    return staleAfterByInstrument.getOrDefault(id, staleAfter);
  }

  /** The session hours for {@code id}. */
  public SessionHours session(InstrumentId id) {
    return sessionByInstrument.getOrDefault(id, session);
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new ConfigurationException("HealthMonitorConfig." + name + " must be > 0, was " + d);
    }
  }

  private static void notNegative(Duration d, String name) {
    if (d == null || d.isNegative()) {
      throw new ConfigurationException("HealthMonitorConfig." + name + " must be >= 0, was " + d);
    }
  }

  /** Builds a {@link HealthMonitorConfig}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private Duration staleAfter = Duration.ofSeconds(60);
    private final Map<InstrumentId, Duration> staleAfterByInstrument = new HashMap<>();
    private SessionHours session = SessionHours.US_EQUITIES;
    private final Map<InstrumentId, SessionHours> sessionByInstrument = new HashMap<>();
    private Duration brokerDownAlertAfter = Duration.ofSeconds(30);
    private MaintenanceWindow brokerMaintenance;
    private int denialsInARow = 5;
    private double storeBackedUpFraction = 0.8;
    private Duration storeBackedUpAfter = Duration.ofSeconds(10);
    private Duration checkPeriod = Duration.ofSeconds(1);
    private Path heartbeatFile;
    private Duration heartbeatPeriod = Duration.ofSeconds(5);
    private boolean alertOnAbnormalExit = true;

    private Builder() {}

    /** Default 60 s. */
    public Builder staleAfter(Duration value) {
      positive(value, "staleAfter");
      this.staleAfter = value;
      return this;
    }

    public Builder staleAfter(InstrumentId id, Duration value) {
      if (id == null) {
        throw new ConfigurationException("HealthMonitorConfig.staleAfter instrument must not be null");
      }
      positive(value, "staleAfter[" + id + "]");
      staleAfterByInstrument.put(id, value);
      return this;
    }

    /** Default {@link SessionHours#US_EQUITIES}. */
    public Builder session(SessionHours value) {
      if (value == null) {
        throw new ConfigurationException("HealthMonitorConfig.session must not be null");
      }
      this.session = value;
      return this;
    }

    public Builder session(InstrumentId id, SessionHours value) {
      if (id == null || value == null) {
        throw new ConfigurationException("HealthMonitorConfig.session instrument and hours must not be null, were "
            + id + " and " + value);
      }
      sessionByInstrument.put(id, value);
      return this;
    }

    /** Default 30 s. */
    public Builder brokerDownAlertAfter(Duration value) {
      positive(value, "brokerDownAlertAfter");
      this.brokerDownAlertAfter = value;
      return this;
    }

    /** Default 5. */
    public Builder denialsInARow(int value) {
      if (value < 1) {
        throw new ConfigurationException("HealthMonitorConfig.denialsInARow must be >= 1, was " + value);
      }
      this.denialsInARow = value;
      return this;
    }

    /** Backed up when the queue is at least {@code fraction} full for {@code after}; default 0.8 for 10 s. */
    public Builder storeBackedUp(double fraction, Duration after) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new ConfigurationException("HealthMonitorConfig.storeBackedUpFraction must be in (0, 1], was " + fraction);
      }
      notNegative(after, "storeBackedUpAfter");
      this.storeBackedUpFraction = fraction;
      this.storeBackedUpAfter = after;
      return this;
    }

    /** Default 1 s. */
    public Builder checkPeriod(Duration value) {
      positive(value, "checkPeriod");
      this.checkPeriod = value;
      return this;
    }

    /** The heartbeat file (default none); the watchdog reads it. */
    public Builder heartbeatFile(Path value) {
      this.heartbeatFile = value;
      return this;
    }

    /** Default 5 s. */
    public Builder heartbeatPeriod(Duration value) {
      positive(value, "heartbeatPeriod");
      this.heartbeatPeriod = value;
      return this;
    }

    /** Default true. */
    /**
     * A daily window in which the broker is expected to be away (IB's TWS / Gateway restart):
     * an outage that starts inside it raises "Broker connection lost" only if it lasts
     * {@code brokerDownAlertAfter} past the window's end. Null (the default): no window.
     */
    public Builder brokerMaintenance(MaintenanceWindow value) {
      this.brokerMaintenance = value;
      return this;
    }

    public Builder alertOnAbnormalExit(boolean value) {
      this.alertOnAbnormalExit = value;
      return this;
    }

    public HealthMonitorConfig build() {
      return new HealthMonitorConfig(staleAfter, staleAfterByInstrument, session, sessionByInstrument,
          brokerDownAlertAfter, denialsInARow, storeBackedUpFraction, storeBackedUpAfter, checkPeriod, heartbeatFile,
          heartbeatPeriod, alertOnAbnormalExit, brokerMaintenance);
    }
  }
}
