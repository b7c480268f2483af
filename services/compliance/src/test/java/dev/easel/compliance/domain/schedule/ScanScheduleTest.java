package dev.easel.compliance.domain.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.compliance.domain.scan.ScanKind;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ScanScheduleTest {

  private static final UUID CLUSTER = UUID.randomUUID();
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static ScanSchedule valid(String preset, String cron, String zone) {
    ScanSchedule.Validation v =
        ScanSchedule.validate(CLUSTER, ScanKind.CONFIGURATION, preset, cron, zone, Map.of());
    assertThat(v).isInstanceOf(ScanSchedule.Valid.class);
    return ((ScanSchedule.Valid) v).schedule();
  }

  private static List<ScheduleProblem> problems(
      ScanKind kind, String preset, String cron, String zone, Map<String, String> options) {
    ScanSchedule.Validation v = ScanSchedule.validate(CLUSTER, kind, preset, cron, zone, options);
    assertThat(v).isInstanceOf(ScanSchedule.Invalid.class);
    return ((ScanSchedule.Invalid) v).problems();
  }

  private static Instant at(String localDateTime, ZoneId zone) {
    return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), zone).toInstant();
  }

  private static List<ZonedDateTime> runs(ScanSchedule s, Instant from, int n) {
    List<ZonedDateTime> out = new ArrayList<>();
    Instant t = from;
    for (int i = 0; i < n; i++) {
      t = s.nextAfter(t);
      out.add(t.atZone(s.zone()));
    }
    return out;
  }

  @Test
  void weeklyRunsSundaysAtLocalMidnightOnBothSidesOfTheSpringChange() {
    ScanSchedule weekly = valid("weekly", null, "America/New_York");
    List<ZonedDateTime> runs = runs(weekly, at("2025-03-05T12:00", NEW_YORK), 2);
    // 9 March 2025 is the day New York moves to daylight time, at 02:00.
    assertThat(runs.get(0).toInstant()).isEqualTo(Instant.parse("2025-03-09T05:00:00Z"));
    assertThat(runs.get(1).toInstant()).isEqualTo(Instant.parse("2025-03-16T04:00:00Z"));
    assertThat(runs).allSatisfy(r -> assertThat(r.toLocalTime()).isEqualTo(LocalTime.MIDNIGHT));
  }

  @Test
  void monthlyRunsOnTheFirstAtLocalMidnightAcrossTheAutumnChange() {
    ScanSchedule monthly = valid("monthly", null, "America/New_York");
    List<ZonedDateTime> runs = runs(monthly, at("2025-10-15T09:30", NEW_YORK), 2);
    assertThat(runs.get(0).toInstant()).isEqualTo(Instant.parse("2025-11-01T04:00:00Z"));
    // Standard time again from 2 November.
    assertThat(runs.get(1).toInstant()).isEqualTo(Instant.parse("2025-12-01T05:00:00Z"));
  }

  @Test
  void bimonthlyRunsOnTheFirstOfEveryOtherMonthFromJanuary() {
    ScanSchedule bimonthly = valid("bimonthly", null, "America/New_York");
    assertThat(runs(bimonthly, at("2025-01-15T00:00", NEW_YORK), 4))
        .extracting(ZonedDateTime::toLocalDate)
        .containsExactly(
            LocalDate.parse("2025-03-01"),
            LocalDate.parse("2025-05-01"),
            LocalDate.parse("2025-07-01"),
            LocalDate.parse("2025-09-01"));
  }

  @Test
  void biweeklyRunsEveryFourteenDaysEvenAcrossAYearOfFiftyThreeWeeks() {
    ScanSchedule biweekly = valid("biweekly", null, null);
    List<ZonedDateTime> runs = runs(biweekly, Instant.parse("2026-11-26T10:00:00Z"), 6);
    assertThat(runs)
        .extracting(ZonedDateTime::toLocalDate)
        .containsExactly(
            LocalDate.parse("2026-12-06"),
            LocalDate.parse("2026-12-20"),
            LocalDate.parse("2027-01-03"),
            LocalDate.parse("2027-01-17"),
            LocalDate.parse("2027-01-31"),
            LocalDate.parse("2027-02-14"));
    // 3 January 2027 is in ISO week 53 of 2026: a rule of even ISO weeks would leave a gap there.
    assertThat(LocalDate.parse("2027-01-03").get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)).isEqualTo(53);
    for (int i = 0; i < runs.size(); i++) {
      assertThat(runs.get(i).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
      assertThat(runs.get(i).toLocalTime()).isEqualTo(LocalTime.MIDNIGHT);
      assertThat(
              ChronoUnit.WEEKS.between(ScanSchedule.BIWEEKLY_ANCHOR, runs.get(i).toLocalDate()) % 2)
          .isZero();
    }
  }

  @Test
  void biweeklyKeepsLocalMidnightAcrossDaylightSavingInItsZone() {
    ScanSchedule biweekly = valid("biweekly", null, "America/New_York");
    List<ZonedDateTime> runs = runs(biweekly, at("2025-02-20T00:00", NEW_YORK), 3);
    assertThat(runs)
        .extracting(ZonedDateTime::toLocalDate)
        .containsExactly(
            LocalDate.parse("2025-03-02"),
            LocalDate.parse("2025-03-16"),
            LocalDate.parse("2025-03-30"));
    assertThat(runs.get(0).getOffset()).isEqualTo(ZoneOffset.ofHours(-5));
    assertThat(runs.get(1).getOffset()).isEqualTo(ZoneOffset.ofHours(-4));
    assertThat(runs).allSatisfy(r -> assertThat(r.toLocalTime()).isEqualTo(LocalTime.MIDNIGHT));
  }

  @Test
  void theNextRunIsStrictlyAfterTheGivenTime() {
    ScanSchedule weekly = valid("weekly", null, null);
    Instant sunday = Instant.parse("2026-11-29T00:00:00Z");
    assertThat(weekly.nextAfter(sunday)).isEqualTo(Instant.parse("2026-12-06T00:00:00Z"));
    assertThat(weekly.nextAfter(sunday.minusNanos(1))).isEqualTo(sunday);
  }

  @Test
  void aCustomCronRunsInItsZone() {
    ScanSchedule custom = valid("custom", "30 6 * * 1-5", "Europe/Berlin");
    assertThat(custom.cron()).isEqualTo("30 6 * * 1-5");
    // Friday evening to Monday 06:30 in Berlin (UTC+1 in winter).
    assertThat(custom.nextAfter(Instant.parse("2026-11-27T18:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-30T05:30:00Z"));
  }

  @Test
  void aCronAloneIsACustomScheduleAndTheZoneIsUtcByDefault() {
    ScanSchedule s = valid(null, "0 4 * * *", null);
    assertThat(s.preset()).isEqualTo(SchedulePreset.CUSTOM);
    assertThat(s.zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(valid("Weekly", null, " ").cron()).isNull();
  }

  @Test
  void anInvalidCronIsRefused() {
    assertThat(problems(ScanKind.CONFIGURATION, "custom", "61 0 * * *", null, Map.of()))
        .extracting(ScheduleProblem::field, ScheduleProblem::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("cron", "invalid-cron"));
    assertThat(problems(ScanKind.CONFIGURATION, "custom", "0 0 * *", null, Map.of()))
        .extracting(ScheduleProblem::code)
        .containsExactly("invalid-cron");
    assertThat(problems(ScanKind.CONFIGURATION, "custom", "0 0 30 2 *", null, Map.of()))
        .extracting(ScheduleProblem::code)
        .containsExactly("never-runs");
    assertThat(problems(ScanKind.CONFIGURATION, "custom", "0 ".repeat(100), null, Map.of()))
        .extracting(ScheduleProblem::code)
        .containsExactly("invalid-cron");
  }

  @Test
  void everyProblemOfARequestIsAnsweredAtOnce() {
    assertThat(
            problems(
                ScanKind.SBOM, "custom", null, "Mars/Olympus", Map.of("format", "pdf", "x", "1")))
        .extracting(ScheduleProblem::field)
        .containsExactlyInAnyOrder("cron", "timeZone", "options.x", "options.format");
    assertThat(problems(ScanKind.CONFIGURATION, "weekly", "0 0 * * 1", null, Map.of()))
        .extracting(ScheduleProblem::code)
        .containsExactly("cron-needs-custom");
    assertThat(problems(ScanKind.CONFIGURATION, "daily", null, null, Map.of()))
        .extracting(ScheduleProblem::field, ScheduleProblem::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("preset", "invalid"));
    assertThat(problems(ScanKind.CONFIGURATION, null, null, null, Map.of()))
        .extracting(ScheduleProblem::code)
        .containsExactly("required");
  }

  @Test
  void theScansOptionsAreCheckedAndCompleted() {
    ScanSchedule.Validation v =
        ScanSchedule.validate(CLUSTER, ScanKind.CONFORMANCE, "monthly", null, null, Map.of());
    assertThat(((ScanSchedule.Valid) v).schedule().options()).containsEntry("mode", "quick");
  }
}
