package dev.easel.compliance.adapters.in.web;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.easel.compliance.adapters.out.persistence.Migrated;
import dev.easel.compliance.adapters.out.persistence.Stores;
import dev.easel.compliance.application.Schedules;
import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.application.port.ScheduleTimer;
import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.scan.ScanTarget;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** The schedules' API over the real use case and PostgreSQL, the runner's timer in memory. */
class SchedulesControllerTest {

  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  private static MockMvc mvc;
  private static ClusterReplica clusters;

  /** The runner's executions, as the timer port sees them. */
  static final class Timer implements ScheduleTimer {
    final Map<String, Instant> next = new ConcurrentHashMap<>();

    @Override
    public void set(UUID clusterId, ScanKind kind, Instant at) {
      next.put(clusterId + ":" + kind.wireName(), at);
    }

    @Override
    public void clear(UUID clusterId, ScanKind kind) {
      next.remove(clusterId + ":" + kind.wireName());
    }

    @Override
    public Optional<Instant> next(UUID clusterId, ScanKind kind) {
      return Optional.ofNullable(next.get(clusterId + ":" + kind.wireName()));
    }
  }

  @BeforeAll
  static void start() {
    Migrated db = Migrated.database("compliance_schedules_api");
    clusters = Stores.clusters(db);
    Schedules schedules =
        new Schedules(
            Stores.schedules(db),
            new Timer(),
            clusters,
            (c, k, o, t, a) -> {
              throw new AssertionError("no scan starts here");
            },
            db.tx(),
            Clock.fixed(NOW, ZoneOffset.UTC));
    mvc =
        MockMvcBuilders.standaloneSetup(new SchedulesController(schedules))
            .setControllerAdvice(new ScheduleProblems(), new Problems())
            .build();
  }

  private static UUID cluster() {
    UUID id = UUID.randomUUID();
    clusters.running(
        id, "c", null, null, List.of(new ScanTarget.Node(UUID.randomUUID(), "cp", "init")));
    return id;
  }

  private static String path(UUID cluster, String kind) {
    return "/api/v1/clusters/" + cluster + "/scan-schedules" + (kind == null ? "" : "/" + kind);
  }

  @Test
  void aScheduleIsPutAndListedWithItsNextRun() throws Exception {
    UUID id = cluster();
    mvc.perform(
            put(path(id, "sbom"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"preset\":\"weekly\",\"timeZone\":\"America/New_York\","
                        + "\"options\":{\"format\":\"cyclonedx-json\"}}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.kind").value("sbom"))
        .andExpect(jsonPath("$.preset").value("weekly"))
        .andExpect(jsonPath("$.cron").value(nullValue()))
        .andExpect(jsonPath("$.timeZone").value("America/New_York"))
        .andExpect(jsonPath("$.options.format").value("cyclonedx-json"))
        .andExpect(jsonPath("$.options.scope").value("cluster"))
        // Sunday 29 November 2026, 00:00 in New York.
        .andExpect(jsonPath("$.nextRunAt").value("2026-11-29T05:00:00Z"));

    mvc.perform(
            put(path(id, "configuration"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"preset\":\"custom\",\"cron\":\"0 2 * * *\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.timeZone").value("UTC"))
        .andExpect(jsonPath("$.nextRunAt").value("2026-11-27T02:00:00Z"));

    mvc.perform(get(path(id, null)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items", hasSize(2)))
        .andExpect(jsonPath("$.items[*].kind", containsInAnyOrder("configuration", "sbom")))
        .andExpect(
            jsonPath(
                "$.items[*].nextRunAt",
                containsInAnyOrder("2026-11-27T02:00:00Z", "2026-11-29T05:00:00Z")));
    mvc.perform(get(path(id, "sbom")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.preset").value("weekly"));
  }

  @Test
  void anInvalidScheduleIsA422WithEveryProblem() throws Exception {
    UUID id = cluster();
    mvc.perform(
            put(path(id, "configuration"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"preset\":\"custom\",\"cron\":\"0 0 * * 9\",\"timeZone\":\"Nowhere\"}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.type").value("https://easel.dev/problems/invalid-scan-schedule"))
        .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("cron", "timeZone")))
        .andExpect(
            jsonPath("$.errors[*].code", containsInAnyOrder("invalid-cron", "invalid-time-zone")));
    mvc.perform(
            put(path(id, "configuration"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"preset\":\"custom\"}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors[0].field").value("cron"))
        .andExpect(jsonPath("$.errors[0].code").value("required"));
    mvc.perform(get(path(id, null))).andExpect(jsonPath("$.items", hasSize(0)));
  }

  @Test
  void anUnknownKindOrClusterOrScheduleIsA404() throws Exception {
    UUID id = cluster();
    mvc.perform(
            put(path(id, "antivirus"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"preset\":\"weekly\"}"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.type").value("https://easel.dev/problems/scan-kind-not-found"));
    mvc.perform(
            put(path(UUID.randomUUID(), "sbom"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"preset\":\"weekly\"}"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.type").value("https://easel.dev/problems/cluster-not-found"));
    mvc.perform(delete(path(id, "sbom")))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.type").value("https://easel.dev/problems/scan-schedule-not-found"));
    mvc.perform(get(path(id, "sbom"))).andExpect(status().isNotFound());
  }

  @Test
  void aDeletedScheduleIsGoneAndOnDemandMeansNone() throws Exception {
    UUID id = cluster();
    for (String kind : List.of("penetration", "conformance")) {
      mvc.perform(
              put(path(id, kind))
                  .contentType(MediaType.APPLICATION_JSON)
                  .content("{\"preset\":\"monthly\"}"))
          .andExpect(status().isOk())
          .andExpect(jsonPath("$.nextRunAt").value("2026-12-01T00:00:00Z"));
    }
    mvc.perform(delete(path(id, "penetration"))).andExpect(status().isNoContent());
    mvc.perform(
            put(path(id, "conformance"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"preset\":\"on-demand\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.preset").value("on-demand"))
        .andExpect(jsonPath("$.nextRunAt").value(nullValue()));
    mvc.perform(get(path(id, null))).andExpect(jsonPath("$.items", hasSize(0)));
  }
}
