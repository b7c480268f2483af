package dev.easel.compliance.adapters.in.web;

import dev.easel.common.envelope.Requester;
import dev.easel.compliance.application.BackupLocations;
import dev.easel.compliance.application.BackupSchedules;
import dev.easel.compliance.application.BackupSync;
import dev.easel.compliance.application.Backups;
import dev.easel.compliance.domain.backup.Backup;
import dev.easel.compliance.domain.backup.BackupLocation;
import dev.easel.compliance.domain.backup.LocationSpec;
import dev.easel.compliance.domain.backup.Provider;
import dev.easel.compliance.domain.backup.Restore;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Backup locations, backups, restores and backup schedules. Credentials go in, never out. */
@RestController
class BackupController {

  /** A location as added or changed; {@code credentials} holds the provider's keys. */
  record LocationBody(
      String name,
      String provider,
      String bucket,
      String prefix,
      String region,
      String endpoint,
      Boolean s3ForcePathStyle,
      String caCertificate,
      Map<String, String> credentials) {

    /** Never the credentials. */
    @Override
    public String toString() {
      return "LocationBody[" + name + " " + provider + " " + bucket + "]";
    }
  }

  private final BackupLocations locations;
  private final Backups backups;
  private final BackupSync sync;
  private final BackupSchedules schedules;
  private final Requester requester;

  BackupController(
      BackupLocations locations,
      Backups backups,
      BackupSync sync,
      BackupSchedules schedules,
      Requester requester) {
    this.locations = locations;
    this.backups = backups;
    this.sync = sync;
    this.schedules = schedules;
    this.requester = requester;
  }

  @PostMapping("/api/v1/backup-locations")
  ResponseEntity<Map<String, Object>> create(@RequestBody LocationBody body) {
    if (body == null) {
      throw new Problems.BadRequest("body", "a backup location is a JSON object");
    }
    Provider provider = provider(body.provider());
    LocationSpec spec =
        new LocationSpec(
            body.name(),
            provider,
            body.bucket(),
            body.prefix(),
            body.region(),
            body.endpoint(),
            Boolean.TRUE.equals(body.s3ForcePathStyle()),
            body.caCertificate(),
            LocationSpec.credentials(provider, body.credentials()));
    BackupLocation l = locations.create(spec, actor());
    return ResponseEntity.created(URI.create("/api/v1/backup-locations/" + l.id()))
        .eTag("\"" + l.version() + "\"")
        .body(view(l));
  }

  @GetMapping("/api/v1/backup-locations")
  Map<String, Object> list() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (BackupLocation l : locations.list()) {
      out.add(view(l));
    }
    return Map.of("locations", out);
  }

  @GetMapping("/api/v1/backup-locations/{id}")
  ResponseEntity<Map<String, Object>> get(@PathVariable UUID id) {
    BackupLocation l = locations.get(id);
    return ResponseEntity.ok().eTag("\"" + l.version() + "\"").body(view(l));
  }

  @PatchMapping("/api/v1/backup-locations/{id}")
  ResponseEntity<Map<String, Object>> change(
      @PathVariable UUID id,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestBody LocationBody body) {
    if (body == null) {
      throw new Problems.BadRequest("body", "a change is a JSON object");
    }
    BackupLocation current = locations.get(id);
    if ((body.name() != null && !body.name().equals(current.name()))
        || (body.provider() != null
            && !Provider.parse(body.provider())
                .equals(java.util.Optional.of(current.provider())))) {
      throw new Problems.BadRequest(
          body.name() != null ? "name" : "provider",
          "a location's name and provider stay as they are; add a new location instead");
    }
    Provider provider = current.provider();
    BackupLocation l =
        locations.change(
            id,
            new BackupLocations.Change(
                body.bucket(),
                body.prefix(),
                body.region(),
                body.endpoint(),
                body.s3ForcePathStyle(),
                body.caCertificate(),
                LocationSpec.credentials(provider, body.credentials())),
            version(ifMatch),
            actor());
    return ResponseEntity.ok().eTag("\"" + l.version() + "\"").body(view(l));
  }

  @DeleteMapping("/api/v1/backup-locations/{id}")
  ResponseEntity<Void> delete(@PathVariable UUID id) {
    locations.delete(id, actor());
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/api/v1/backup-locations/{id}/check")
  Map<String, Object> check(@PathVariable UUID id) {
    return view(locations.check(id));
  }

  @PostMapping("/api/v1/backup-locations/{id}/sync")
  Map<String, Object> sync(@PathVariable UUID id) {
    BackupSync.Result r = sync.sync(id);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("locationId", id);
    out.put("listed", r.listed());
    out.put("read", r.read());
    out.put("added", r.added());
    out.put("updated", r.updated());
    out.put("removed", r.removed());
    out.put("unreadable", r.unreadable());
    return out;
  }

  @GetMapping("/api/v1/backup-locations/{id}/backups")
  Map<String, Object> backupsOfLocation(
      @PathVariable UUID id, @RequestParam(defaultValue = "100") int limit) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Backup b : backups.ofLocation(id, clamp(limit))) {
      out.add(view(b));
    }
    return Map.of("locationId", id, "backups", out);
  }

  @PostMapping("/api/v1/clusters/{id}/backups")
  ResponseEntity<Map<String, Object>> backup(
      @PathVariable UUID id, @RequestBody Backups.Request body) {
    Backup b = backups.start(id, body, Backup.ON_DEMAND, "easel", actor());
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/backups/" + b.id()))
        .body(view(b));
  }

  @GetMapping("/api/v1/clusters/{id}/backups")
  Map<String, Object> backupsOfCluster(
      @PathVariable UUID id, @RequestParam(defaultValue = "50") int limit) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Backup b : backups.ofCluster(id, clamp(limit))) {
      out.add(view(b));
    }
    return Map.of("clusterId", id, "backups", out);
  }

  @GetMapping("/api/v1/backups/{id}")
  Map<String, Object> backup(@PathVariable UUID id) {
    return view(backups.backup(id));
  }

  @DeleteMapping("/api/v1/backups/{id}")
  ResponseEntity<Void> deleteBackup(@PathVariable UUID id) {
    backups.delete(id, actor());
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/api/v1/clusters/{id}/restores")
  ResponseEntity<Map<String, Object>> restore(
      @PathVariable UUID id, @RequestBody Backups.RestoreRequest body) {
    Restore r = backups.restore(id, body, actor());
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/restores/" + r.id()))
        .body(view(r));
  }

  @GetMapping("/api/v1/clusters/{id}/restores")
  Map<String, Object> restoresOfCluster(
      @PathVariable UUID id, @RequestParam(defaultValue = "50") int limit) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Restore r : backups.restoresOfCluster(id, clamp(limit))) {
      out.add(view(r));
    }
    return Map.of("clusterId", id, "restores", out);
  }

  @GetMapping("/api/v1/restores/{id}")
  Map<String, Object> restore(@PathVariable UUID id) {
    return view(backups.restoreOf(id));
  }

  @PutMapping("/api/v1/clusters/{id}/backup-schedule")
  Map<String, Object> putSchedule(
      @PathVariable UUID id, @RequestBody BackupSchedules.Request body) {
    return view(schedules.put(id, body));
  }

  @GetMapping("/api/v1/clusters/{id}/backup-schedule")
  Map<String, Object> getSchedule(@PathVariable UUID id) {
    return view(
        schedules
            .find(id)
            .orElseThrow(() -> new Backups.NotFound("cluster " + id + " has no backup schedule")));
  }

  @DeleteMapping("/api/v1/clusters/{id}/backup-schedule")
  ResponseEntity<Void> deleteSchedule(@PathVariable UUID id) {
    if (!schedules.delete(id)) {
      throw new Backups.NotFound("cluster " + id + " has no backup schedule");
    }
    return ResponseEntity.noContent().build();
  }

  private String actor() {
    return requester.current().orElse(null);
  }

  private static int clamp(int limit) {
    return Math.max(1, Math.min(limit, 1000));
  }

  private static Provider provider(String p) {
    return Provider.parse(p).orElse(null);
  }

  private static Long version(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank()) {
      return null;
    }
    String v = ifMatch.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    v = v.replace("\"", "");
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new Problems.BadRequest("If-Match", "If-Match is the ETag a GET gave, such as \"3\"");
    }
  }

  static Map<String, Object> view(BackupLocation l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", l.id());
    m.put("name", l.name());
    m.put("provider", l.provider().wireName());
    m.put("bucket", l.bucket());
    m.put("prefix", l.prefix());
    m.put("region", l.region());
    m.put("endpoint", l.endpoint());
    m.put("s3ForcePathStyle", l.pathStyle());
    m.put("caCertificate", l.caCertificate());
    m.put("credentials", Map.of("set", true));
    m.put("veleroName", l.veleroName());
    if (l.health() != null) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("state", l.health().state());
      h.put("failure", l.health().failure());
      h.put("message", l.health().message());
      h.put("checkedAt", l.health().checkedAt());
      m.put("health", h);
    }
    m.put("lastSyncedAt", l.lastSyncedAt());
    m.put("createdAt", l.createdAt());
    m.put("updatedAt", l.updatedAt());
    m.put("version", l.version());
    return m;
  }

  static Map<String, Object> view(Backup b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", b.id());
    m.put("name", b.name());
    m.put("clusterId", b.clusterId());
    m.put("locationId", b.locationId());
    m.put("state", b.state().name());
    m.put("phase", b.phase());
    m.put("itemsBackedUp", b.itemsBackedUp());
    m.put("totalItems", b.totalItems());
    m.put("errors", b.errors());
    m.put("warnings", b.warnings());
    m.put("failureReason", b.failureReason());
    m.put("includeNamespaces", b.spec().includeNamespaces());
    m.put("excludeNamespaces", b.spec().excludeNamespaces());
    m.put("includeClusterResources", b.spec().includeClusterResources().wireName());
    m.put("includeDisks", b.spec().includeDisks());
    m.put("ttlHours", b.spec().ttlHours());
    m.put("trigger", b.trigger());
    m.put("actor", b.actor());
    m.put("createdAt", b.createdAt());
    m.put("startedAt", b.startedAt());
    m.put("completedAt", b.completedAt());
    m.put("expiresAt", b.expiresAt());
    return m;
  }

  static Map<String, Object> view(Restore r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("name", r.name());
    m.put("clusterId", r.clusterId());
    m.put("backupId", r.backupId());
    m.put("backup", r.backupName());
    m.put("locationId", r.locationId());
    m.put("state", r.state().name());
    m.put("phase", r.phase());
    m.put("itemsRestored", r.itemsRestored());
    m.put("totalItems", r.totalItems());
    m.put("errors", r.errors());
    m.put("warnings", r.warnings());
    m.put("failureReason", r.failureReason());
    m.put("includeNamespaces", r.spec().includeNamespaces());
    m.put("namespaceMappings", r.spec().namespaceMappings());
    m.put("includeClusterResources", r.spec().includeClusterResources().wireName());
    m.put("restorePVs", r.spec().restorePVs());
    m.put("actor", r.actor());
    m.put("createdAt", r.createdAt());
    m.put("startedAt", r.startedAt());
    m.put("completedAt", r.completedAt());
    return m;
  }

  static Map<String, Object> view(BackupSchedules.Planned p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("clusterId", p.schedule().clusterId());
    m.put("preset", p.schedule().cadence().preset().wireName());
    m.put("cron", p.schedule().cadence().cron());
    m.put("timeZone", p.schedule().cadence().zone().getId());
    m.put("namePrefix", p.schedule().namePrefix());
    m.put("location", p.location().name());
    m.put("locationId", p.location().id());
    m.put("includeNamespaces", p.schedule().spec().includeNamespaces());
    m.put("excludeNamespaces", p.schedule().spec().excludeNamespaces());
    m.put("includeClusterResources", p.schedule().spec().includeClusterResources().wireName());
    m.put("includeDisks", p.schedule().spec().includeDisks());
    m.put("ttlHours", p.schedule().spec().ttlHours());
    m.put("nextRunAt", p.nextRunAt());
    return m;
  }
}
