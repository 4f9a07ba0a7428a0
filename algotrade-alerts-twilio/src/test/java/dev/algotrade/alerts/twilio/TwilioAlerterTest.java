package dev.algotrade.alerts.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.algotrade.alerts.twilio.FakeTwilio.Recorded;
import dev.algotrade.alerts.twilio.FakeTwilio.Reply;
import dev.algotrade.api.alert.Alert;
import dev.algotrade.api.alert.AlertDeliveryException;
import dev.algotrade.api.alert.Severity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TwilioAlerterTest {

  static final String SID = "AC0123456789abcdef0123456789abcdef";
  static final String TOKEN = "s3cr3t-auth-token-0123456789abcdef";
  static final String MESSAGES_PATH = "/2010-04-01/Accounts/" + SID + "/Messages.json";
  static final Duration WAIT = Duration.ofSeconds(15);
  /** Read timeout of the tests where the server never answers. */
  static final Duration SHORT = Duration.ofMillis(200);

  private FakeTwilio twilio;
  private TwilioAlerter alerter;

  @BeforeEach
  void start() throws Exception {
    twilio = new FakeTwilio();
  }

  @AfterEach
  void stop() {
    if (alerter != null) {
      alerter.close();
    }
    twilio.close();
  }

  private TwilioConfig.Builder config(String from, String... to) {
    return TwilioConfig.builder()
        .accountSid(SID)
        .authToken(TOKEN)
        .from(from)
        .to(to)
        .zone(ZoneId.of("America/New_York"))
        .timeout(Duration.ofSeconds(5))
        .retry(3, Duration.ofMillis(10), Duration.ofMillis(40))
        .endpoint(twilio.endpoint());
  }

  private TwilioAlerter alerter(TwilioConfig.Builder b) {
    alerter = TwilioAlerter.create(b.build());
    return alerter;
  }

  private static Alert breaker() {
    return new Alert(Severity.CRITICAL, "Circuit breaker tripped",
        "reason=DAILY_LOSS_LIMIT pnl=-512.40 limit=500.00", Instant.parse("2024-01-02T19:32:05Z"), "breaker");
  }

  @Test
  void deliversWhatsAppToEveryRecipientAsTwilioDocumentsIt() {
    TwilioAlerter a = alerter(config("whatsapp:+14155238886", "+15551230001", "whatsapp:+15551230002"));

    a.deliver(breaker());

    assertThat(twilio.requests()).hasSize(2);
    String body = "[CRITICAL] Circuit breaker tripped\nreason=DAILY_LOSS_LIMIT pnl=-512.40 limit=500.00\n14:32:05 EST";
    for (Recorded r : twilio.requests()) {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo(MESSAGES_PATH);
      assertThat(r.basicCredentials()).isEqualTo(SID + ":" + TOKEN);
      assertThat(r.contentType()).startsWith("application/x-www-form-urlencoded");
      assertThat(r.form()).containsEntry("From", "whatsapp:+14155238886").containsEntry("Body", body);
    }
    assertThat(twilio.requests()).extracting(r -> r.form().get("To"))
        .containsExactly("whatsapp:+15551230001", "whatsapp:+15551230002");
    assertThat(a.name()).isEqualTo("twilio-whatsapp");
    assertThat(a.stats().sent()).isEqualTo(2);
  }

  @Test
  void sendsSmsWhenTheSenderIsAPlainNumber() {
    TwilioAlerter a = alerter(config("+15017122661", "+15551230001"));

    a.send(breaker());
    FakeTwilio.await("one request", WAIT, () -> a.stats().sent() == 1);

    Recorded r = twilio.requests().get(0);
    assertThat(r.form()).containsEntry("To", "+15551230001").containsEntry("From", "+15017122661");
    assertThat(a.name()).isEqualTo("twilio-sms");
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 404})
  void clientErrorsArePermanentAndNotRetried(int status) {
    twilio.always(Reply.error(status, 21211, "The 'To' number is not a valid phone number."));
    TwilioAlerter a = alerter(config("+15017122661", "+15551230001"));

    assertThatThrownBy(() -> a.deliver(breaker()))
        .isInstanceOfSatisfying(AlertDeliveryException.class, e -> {
          assertThat(e.isRetryable()).isFalse();
          assertThat(e.getMessage()).contains("Twilio answered " + status).contains("code=21211")
              .contains("+15551230001").doesNotContain(TOKEN);
        });
    assertThat(twilio.count()).isEqualTo(1);

    a.send(breaker());
    FakeTwilio.await("standalone failure counted", WAIT, () -> a.stats().failed() == 1 && a.stats().pending() == 0);
    assertThat(twilio.count()).isEqualTo(2);
    assertThat(a.stats().retries()).isZero();
    assertThat(a.stats().pending()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 503, 429})
  void serverErrorsAreRetriedWithBackoffThenGivenUp(int status) {
    twilio.always(Reply.error(status, 20500, "Internal Server Error"));
    TwilioAlerter a = alerter(config("+15017122661", "+15551230001"));

    a.send(breaker());
    FakeTwilio.await("gave up", WAIT, () -> a.stats().failed() == 1 && a.stats().pending() == 0);

    assertThat(twilio.count()).isEqualTo(3); // maxAttempts, and the SDK's own retry is off
    assertThat(a.stats().retries()).isEqualTo(2);
    assertThat(a.stats().sent()).isZero();
    assertThat(a.stats().pending()).isZero();
    assertThatThrownBy(() -> a.deliver(breaker()))
        .isInstanceOfSatisfying(AlertDeliveryException.class, e -> assertThat(e.isRetryable()).isTrue());
    assertThat(twilio.count()).isEqualTo(4);
  }

  @Test
  void aRetryAfterAServerErrorSucceeds() {
    twilio.then(Reply.error(503, 20503, "Service Unavailable"));
    TwilioAlerter a = alerter(config("+15017122661", "+15551230001"));

    a.send(breaker());
    FakeTwilio.await("sent", WAIT, () -> a.stats().sent() == 1);

    assertThat(twilio.count()).isEqualTo(2);
    assertThat(a.stats().retries()).isEqualTo(1);
    assertThat(a.stats().failed()).isZero();
  }

  @Test
  void timeoutsAreRetriedThenGivenUp() {
    twilio.always(Reply.hanging());
    TwilioAlerter a = alerter(config("+15017122661", "+15551230001").timeout(SHORT));

    assertThatThrownBy(() -> a.deliver(breaker()))
        .isInstanceOfSatisfying(AlertDeliveryException.class, e -> {
          assertThat(e.isRetryable()).isTrue();
          assertThat(e.getMessage()).contains("request failed").contains("Timeout");
        });
    // the server may record a request after the client has already timed out on it
    FakeTwilio.await("one request recorded", WAIT, () -> twilio.count() == 1);

    a.send(breaker());
    FakeTwilio.await("gave up", WAIT, () -> a.stats().failed() == 1 && a.stats().pending() == 0);
    FakeTwilio.await("three more requests recorded", WAIT, () -> twilio.count() == 4);
    assertThat(a.stats().retries()).isEqualTo(2);
  }

  @Test
  void deliverRetryOnlyResendsToRecipientsStillMissingTheMessage() {
    twilio.then(new Reply(201, "{\"sid\":\"SM1\",\"status\":\"queued\"}", false),
        Reply.error(503, 20503, "Service Unavailable"));
    TwilioAlerter a = alerter(config("+15017122661", "+15551230001", "+15551230002"));

    assertThatThrownBy(() -> a.deliver(breaker()))
        .isInstanceOfSatisfying(AlertDeliveryException.class, e -> {
          assertThat(e.isRetryable()).isTrue();
          assertThat(e.getMessage()).contains("1 of 2 recipients [+15551230002]");
        });
    a.deliver(breaker()); // the composite's retry

    assertThat(twilio.requests()).extracting(r -> r.form().get("To"))
        .containsExactly("+15551230001", "+15551230002", "+15551230002");
  }

  @Test
  void aFullQueueDropsAndCountsWithoutBlocking() {
    twilio.always(Reply.hanging());
    TwilioAlerter a = alerter(config("+15017122661", "+15551230001").timeout(SHORT).queueCapacity(1)
        .retry(1, Duration.ofMillis(10), Duration.ofMillis(10)));

    for (int i = 0; i < 3; i++) {
      a.send(new Alert(Severity.WARNING, "Feed stale " + i, "", Instant.parse("2024-01-02T19:32:05Z"), "k" + i));
    }

    assertThat(a.stats().dropped()).isEqualTo(2);
    FakeTwilio.await("the queued one failed", WAIT, () -> a.stats().failed() == 1 && a.stats().pending() == 0);
    // the server may record a request after the client has already timed out on it
    FakeTwilio.await("one request recorded", WAIT, () -> twilio.count() == 1);
  }

  @Test
  void afterCloseSendIsDroppedNotThrown() {
    TwilioAlerter a = alerter(config("+15017122661", "+15551230001"));
    a.close();
    a.send(breaker());
    assertThat(a.stats().dropped()).isEqualTo(1);
    assertThat(twilio.count()).isZero();
  }

  @Test
  void theTokenAppearsInNoLogLineMessageOrToString() {
    twilio.then(Reply.error(401, 20003, "Authenticate"), Reply.error(500, 20500, "oops"), Reply.hanging());
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      TwilioAlerter a = alerter(config("+15017122661", "+15551230001", "+15551230002", "+15551230003")
          .timeout(SHORT)
          .retry(2, Duration.ofMillis(10), Duration.ofMillis(10)));
      a.send(breaker());
      FakeTwilio.await("all settled", WAIT, () -> a.stats().pending() == 0 && twilio.count() >= 5);
      assertThat(a.toString()).doesNotContain(TOKEN).contains(SID);
      assertThat(a.config().toString()).doesNotContain(TOKEN).contains("<redacted>");
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("twilio message failed").contains("twilio message retry");
    assertThat(log).doesNotContain(TOKEN);
  }

  @Test
  void formatsAShortPhoneReadableMessage() {
    TwilioAlerter a = alerter(config("+15017122661", "+15551230001").maxLength(80));
    Alert summer = new Alert(Severity.WARNING, "Feed stale", "instrument=AAPL lastTick=14:31:02",
        Instant.parse("2024-07-01T18:32:05Z"), "k");
    assertThat(a.format(summer)).isEqualTo("[WARNING] Feed stale\ninstrument=AAPL lastTick=14:31:02\n14:32:05 EDT");

    Alert longText = new Alert(Severity.CRITICAL, "Orders rejected", "x".repeat(500), summer.time(), "k");
    String body = a.format(longText);
    assertThat(body).hasSizeLessThanOrEqualTo(80).startsWith("[CRITICAL] Orders rejected\nxxx")
        .endsWith("\u2026\n14:32:05 EDT");

    Alert longTitle = new Alert(Severity.INFO, "T".repeat(200), "", summer.time(), "k");
    assertThat(a.format(longTitle)).hasSizeLessThanOrEqualTo(80).endsWith("\u2026\n14:32:05 EDT");

    Alert noText = new Alert(Severity.INFO, "Started", " ", summer.time(), "k");
    assertThat(a.format(noText)).isEqualTo("[INFO] Started\n14:32:05 EDT");
  }

  @Test
  void sendsAnApprovedContentTemplateInsteadOfABodyWhenConfigured() {
    TwilioAlerter a = alerter(config("whatsapp:+14155238886", "+15551230001")
        .contentSid("HX0123456789abcdef0123456789abcdef"));
    Alert alert = new Alert(Severity.CRITICAL, "Circuit breaker tripped",
        "reason=DAILY_LOSS_LIMIT\npnl=\"-512.40\"", Instant.parse("2024-01-02T19:32:05Z"), "breaker");

    a.deliver(alert);

    Recorded r = twilio.requests().get(0);
    assertThat(r.form()).doesNotContainKey("Body")
        .containsEntry("To", "whatsapp:+15551230001")
        .containsEntry("ContentSid", "HX0123456789abcdef0123456789abcdef")
        .containsEntry("ContentVariables",
            "{\"1\":\"[CRITICAL] Circuit breaker tripped\",\"2\":\"reason=DAILY_LOSS_LIMIT pnl=\\\"-512.40\\\"\","
                + "\"3\":\"14:32:05 EST\"}");
    assertThat(a.contentVariables(new Alert(Severity.INFO, "Started", "", alert.time(), "k")))
        .contains("\"2\":\"-\"");
  }

  @Test
  void backoffDoublesUpToTheCap() {
    TwilioAlerter a = alerter(config("+15017122661", "+15551230001")
        .retry(6, Duration.ofMillis(100), Duration.ofMillis(350)));
    assertThat(a.backoffMillis(1)).isEqualTo(100);
    assertThat(a.backoffMillis(2)).isEqualTo(200);
    assertThat(a.backoffMillis(3)).isEqualTo(350);
    assertThat(a.backoffMillis(10)).isEqualTo(350);
  }
}
