package dev.easel.compliance.domain.schedule;

import java.util.Locale;
import java.util.Optional;

/**
 * How often a scheduled scan runs, at 00:00 in the schedule's time zone, or by a cron expression of
 * the operator's.
 */
public enum SchedulePreset {
  /** Every Sunday. */
  WEEKLY("weekly", "0 0 * * 0"),
  /** Every other Sunday: see {@link Cadence#BIWEEKLY_ANCHOR}. */
  BIWEEKLY("biweekly", "0 0 * * 0"),
  /** The 1st of every month. */
  MONTHLY("monthly", "0 0 1 * *"),
  /** The 1st of January, March, May, July, September and November. */
  BIMONTHLY("bimonthly", "0 0 1 */2 *"),
  /** The operator's own cron expression. */
  CUSTOM("custom", null);

  private final String wireName;
  private final String cron;

  SchedulePreset(String wireName, String cron) {
    this.wireName = wireName;
    this.cron = cron;
  }

  /** Its name in the API and in storage: {@code weekly}. */
  public String wireName() {
    return wireName;
  }

  /** The cron expression a preset fires on; null for {@link #CUSTOM}. */
  String cron() {
    return cron;
  }

  public static Optional<SchedulePreset> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (SchedulePreset p : values()) {
      if (p.wireName.equals(t)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
