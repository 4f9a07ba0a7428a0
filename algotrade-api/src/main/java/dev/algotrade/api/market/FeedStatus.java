package dev.algotrade.api.market;

import dev.algotrade.api.internal.Checks;
import java.time.Instant;

/**
 * A feed's health changed. {@code instrument} is null when the status concerns the whole feed.
 *
 * @param feed the feed's name
 * @param state the new state
 * @param instrument the instrument concerned, or null for the whole feed
 * @param detail human-readable detail (never null; may be empty)
 * @param time when the change was noticed
 */
public record FeedStatus(String feed, FeedState state, InstrumentId instrument, String detail, Instant time) {

  public FeedStatus {
    Checks.notBlank(feed, "FeedStatus.feed");
    Checks.notNull(state, "FeedStatus.state");
    Checks.notNull(detail, "FeedStatus.detail");
    Checks.notNull(time, "FeedStatus.time");
  }

  public static FeedStatus of(String feed, FeedState state, String detail, Instant time) {
    return new FeedStatus(feed, state, null, detail, time);
  }
}
