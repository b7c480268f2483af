package dev.easel.compliance.domain.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When something runs by itself: a preset, or a five-field cron for {@link SchedulePreset#CUSTOM},
 * in a time zone. Times are wall-clock times in the zone, so a weekly run stays at Sunday 00:00
 * across daylight saving changes. Scan and backup schedules share it.
 *
 * @param cron the operator's cron expression (UNIX, five fields) for {@link SchedulePreset#CUSTOM};
 *     null for the other presets
 */
public record Cadence(SchedulePreset preset, String cron, ZoneId zone) {

  /**
   * Biweekly runs are on the Sundays an even number of weeks after this one, Sunday 4 January 1970:
   * every 14 days without exception, whatever the year. (The parity of the ISO week number would
   * not do: a year of 53 weeks puts three weeks between week 52 and week 2.) 4 January 2026 is one
   * of them.
   */
  public static final LocalDate BIWEEKLY_ANCHOR = LocalDate.of(1970, 1, 4);

  /** Longer than any sensible five-field expression; keeps the parser's input small. */
  static final int MAX_CRON_LENGTH = 120;

  /** The zone of a schedule that names none. */
  public static final ZoneId UTC = ZoneId.of("UTC");

  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  public Cadence {
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(zone, "zone");
    if ((preset == SchedulePreset.CUSTOM) != (cron != null)) {
      throw new IllegalArgumentException("a cron expression goes with the custom preset alone");
    }
    if (cron != null) {
      UNIX.parse(cron).validate();
    }
  }

  /**
   * Checks a requested cadence, adding each problem.
   *
   * @param preset a preset's name; when absent, {@code custom} if a cron expression is given
   * @param timeZone an IANA zone such as {@code Europe/Berlin}, or an offset; UTC when absent
   * @return the cadence, or null when there were problems
   */
  public static Cadence check(
      String preset, String cron, String timeZone, List<ScheduleProblem> problems) {
    int before = problems.size();
    String expression = cron == null || cron.isBlank() ? null : cron.trim();
    SchedulePreset p = null;
    if (preset == null || preset.isBlank()) {
      if (expression == null) {
        problems.add(
            new ScheduleProblem(
                "preset", "required", "preset is one of " + names() + ", or give a cron"));
      } else {
        p = SchedulePreset.CUSTOM;
      }
    } else {
      p = SchedulePreset.parse(preset).orElse(null);
      if (p == null) {
        problems.add(new ScheduleProblem("preset", "invalid", "preset is one of " + names()));
      }
    }
    if (p == SchedulePreset.CUSTOM) {
      if (expression == null) {
        problems.add(
            new ScheduleProblem(
                "cron",
                "required",
                "a custom schedule needs a cron expression, such as 0 3 * * 1"));
      } else {
        checkCron(expression, problems);
      }
    } else if (p != null && expression != null) {
      problems.add(
          new ScheduleProblem(
              "cron",
              "cron-needs-custom",
              "a cron expression is given with preset custom; " + p.wireName() + " has its own"));
    }
    ZoneId zone = UTC;
    if (timeZone != null && !timeZone.isBlank()) {
      try {
        zone = ZoneId.of(timeZone.trim());
      } catch (DateTimeException e) {
        problems.add(
            new ScheduleProblem(
                "timeZone",
                "invalid-time-zone",
                "'" + timeZone + "' is not a time zone; use an IANA name such as Europe/Berlin"));
      }
    }
    if (problems.size() > before) {
      return null;
    }
    return new Cadence(p, p == SchedulePreset.CUSTOM ? expression : null, zone);
  }

  /** The first time this schedule runs strictly after {@code t}. */
  public Instant nextAfter(Instant t) {
    if (preset == SchedulePreset.BIWEEKLY) {
      return nextBiweekly(t);
    }
    String expression = preset == SchedulePreset.CUSTOM ? cron : preset.cron();
    return ExecutionTime.forCron(UNIX.parse(expression))
        .nextExecution(t.atZone(zone))
        .map(ZonedDateTime::toInstant)
        .orElseThrow(() -> new IllegalStateException(expression + " never runs after " + t));
  }

  private Instant nextBiweekly(Instant t) {
    LocalDate day =
        t.atZone(zone).toLocalDate().with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
    while (true) {
      // atStartOfDay takes the first valid time where a zone skips midnight.
      Instant at = day.atStartOfDay(zone).toInstant();
      if (at.isAfter(t) && ChronoUnit.WEEKS.between(BIWEEKLY_ANCHOR, day) % 2 == 0) {
        return at;
      }
      day = day.plusWeeks(1);
    }
  }

  private static void checkCron(String expression, List<ScheduleProblem> problems) {
    if (expression.length() > MAX_CRON_LENGTH) {
      problems.add(
          new ScheduleProblem(
              "cron",
              "invalid-cron",
              "a cron expression has at most " + MAX_CRON_LENGTH + " characters"));
      return;
    }
    Cron parsed;
    try {
      parsed = UNIX.parse(expression).validate();
    } catch (IllegalArgumentException e) {
      problems.add(
          new ScheduleProblem(
              "cron",
              "invalid-cron",
              "'"
                  + expression
                  + "' is not a cron expression of five fields (minute hour day-of-month month"
                  + " day-of-week): "
                  + e.getMessage()));
      return;
    }
    // Searched from a fixed day, so that whether an expression is accepted never depends on when.
    ZonedDateTime from = ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    if (ExecutionTime.forCron(parsed).nextExecution(from).isEmpty()) {
      problems.add(
          new ScheduleProblem("cron", "never-runs", "'" + expression + "' matches no date"));
    }
  }

  private static List<String> names() {
    List<String> names = new ArrayList<>();
    for (SchedulePreset p : SchedulePreset.values()) {
      names.add(p.wireName());
    }
    return names;
  }
}
