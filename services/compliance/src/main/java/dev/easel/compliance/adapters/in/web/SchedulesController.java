package dev.easel.compliance.adapters.in.web;

import dev.easel.compliance.application.Schedules;
import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.schedule.ScanSchedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A cluster's scan schedules, one per kind of scan. A kind without one is scanned on demand only;
 * putting preset {@code on-demand} removes a kind's schedule.
 */
@RestController
@RequestMapping(
    path = "/api/v1/clusters/{id}/scan-schedules",
    produces = MediaType.APPLICATION_JSON_VALUE)
class SchedulesController {

  static final String ON_DEMAND = "on-demand";

  /**
   * A schedule asked for.
   *
   * @param preset {@code weekly}, {@code biweekly}, {@code monthly}, {@code bimonthly}, {@code
   *     custom} (with {@code cron}), or {@code on-demand}
   * @param cron five fields, for {@code custom}
   * @param timeZone an IANA time zone; UTC when absent
   * @param options the scan's options, as a scan started by hand takes them
   */
  record ScheduleBody(String preset, String cron, String timeZone, Map<String, String> options) {}

  private final Schedules schedules;

  SchedulesController(Schedules schedules) {
    this.schedules = schedules;
  }

  /** The cluster's schedules, each with {@code nextRunAt}. */
  @GetMapping
  Map<String, Object> list(@PathVariable UUID id) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Schedules.Planned p : schedules.list(id)) {
      items.add(view(p));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("clusterId", id);
    out.put("items", items);
    return out;
  }

  @GetMapping("/{kind}")
  Map<String, Object> one(@PathVariable UUID id, @PathVariable String kind) {
    ScanKind k = kind(kind);
    return view(schedules.find(id, k).orElseThrow(() -> new ScheduleProblems.NoSchedule(id, k)));
  }

  /**
   * Sets the kind's schedule, replacing any: 200 with it and its next run; 422 with every problem
   * of the request; 404 for a cluster that is not running.
   */
  @PutMapping(path = "/{kind}", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> put(
      @PathVariable UUID id, @PathVariable String kind, @RequestBody ScheduleBody body) {
    ScanKind k = kind(kind);
    if (body.preset() != null && ON_DEMAND.equals(body.preset().trim().toLowerCase(Locale.ROOT))) {
      schedules.delete(id, k);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("clusterId", id);
      out.put("kind", k.wireName());
      out.put("preset", ON_DEMAND);
      out.put("nextRunAt", null);
      return ResponseEntity.ok(out);
    }
    Schedules.Planned p =
        schedules.put(id, k, body.preset(), body.cron(), body.timeZone(), body.options());
    return ResponseEntity.ok(view(p));
  }

  /** Removes the kind's schedule: 204; 404 when it had none. */
  @DeleteMapping("/{kind}")
  ResponseEntity<Void> delete(@PathVariable UUID id, @PathVariable String kind) {
    ScanKind k = kind(kind);
    if (!schedules.delete(id, k)) {
      throw new ScheduleProblems.NoSchedule(id, k);
    }
    return ResponseEntity.noContent().build();
  }

  private static ScanKind kind(String text) {
    return ScanKind.parse(text).orElseThrow(() -> new ScheduleProblems.UnknownKind(text));
  }

  private static Map<String, Object> view(Schedules.Planned p) {
    ScanSchedule s = p.schedule();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("clusterId", s.clusterId());
    out.put("kind", s.kind().wireName());
    out.put("preset", s.preset().wireName());
    out.put("cron", s.cron());
    out.put("timeZone", s.zone().getId());
    out.put("options", s.options());
    out.put("nextRunAt", p.nextRunAt() == null ? null : p.nextRunAt().toString());
    return out;
  }
}
