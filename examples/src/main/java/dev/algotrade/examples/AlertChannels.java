package dev.algotrade.examples;

import dev.algotrade.alerts.twilio.TwilioAlerter;
import dev.algotrade.alerts.twilio.TwilioConfig;
import dev.algotrade.api.alert.Alerter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The alert channels the example bot and the watchdog use, from the environment: Twilio
 * (WhatsApp or SMS) when {@code TWILIO_ACCOUNT_SID} is set, otherwise none (the log channel is
 * always on). Not thread-safe; call once at start.
 */
final class AlertChannels {

  private AlertChannels() {}

  static List<Alerter> fromEnv(Map<String, String> env) {
    List<Alerter> out = new ArrayList<>();
    String sid = env.get(TwilioConfig.ACCOUNT_SID);
    if (sid != null && !sid.isBlank()) {
      out.add(TwilioAlerter.create(TwilioConfig.fromEnv(env)));
    }
    return out;
  }
}
