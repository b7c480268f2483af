package dev.easel.compliance.domain.schedule;

import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.scan.ScanOptions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * When a cluster's scans of one kind run by themselves. Times are wall-clock times in the
 * schedule's zone, so a weekly scan stays at Sunday 00:00 across daylight saving changes.
 *
 * @param cron the operator's cron expression (UNIX, five fields) for {@link SchedulePreset#CUSTOM};
 *     null for the other presets
 * @param options the scan's options, checked and with their defaults filled in
 */
public record ScanSchedule(
    UUID clusterId,
    ScanKind kind,
    SchedulePreset preset,
    String cron,
    ZoneId zone,
    Map<String, String> options) {

  /** See {@link Cadence#BIWEEKLY_ANCHOR}. */
  public static final LocalDate BIWEEKLY_ANCHOR = Cadence.BIWEEKLY_ANCHOR;

  /** The zone of a schedule that names none. */
  public static final ZoneId UTC = Cadence.UTC;

  public ScanSchedule {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(zone, "zone");
    options = options == null ? Map.of() : Map.copyOf(options);
    new Cadence(preset, cron, zone);
  }

  /** The outcome of checking a requested schedule. */
  public sealed interface Validation permits Valid, Invalid {}

  public record Valid(ScanSchedule schedule) implements Validation {}

  public record Invalid(List<ScheduleProblem> problems) implements Validation {
    public Invalid {
      problems = List.copyOf(problems);
    }
  }

  /**
   * Checks a requested schedule: every problem at once.
   *
   * @param preset a preset's name; when absent, {@code custom} if a cron expression is given
   * @param timeZone an IANA zone such as {@code Europe/Berlin}, or an offset; UTC when absent
   */
  public static Validation validate(
      UUID clusterId,
      ScanKind kind,
      String preset,
      String cron,
      String timeZone,
      Map<String, String> options) {
    List<ScheduleProblem> problems = new ArrayList<>();
    Cadence cadence = Cadence.check(preset, cron, timeZone, problems);
    List<ScanOptions.Problem> optionProblems = new ArrayList<>();
    Map<String, String> normalized = ScanOptions.normalize(kind, options, optionProblems);
    for (ScanOptions.Problem o : optionProblems) {
      problems.add(new ScheduleProblem(o.field(), o.code(), o.message()));
    }
    if (!problems.isEmpty()) {
      return new Invalid(problems);
    }
    return new Valid(
        new ScanSchedule(
            clusterId, kind, cadence.preset(), cadence.cron(), cadence.zone(), normalized));
  }

  /** The first time this schedule runs strictly after {@code t}. */
  public Instant nextAfter(Instant t) {
    return new Cadence(preset, cron, zone).nextAfter(t);
  }
}
