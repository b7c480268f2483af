package dev.easel.contracts.api;

import static dev.easel.contracts.api.Role.ADMIN;
import static dev.easel.contracts.api.Role.OPERATOR;
import static dev.easel.contracts.api.Role.VIEWER;

import java.util.ArrayList;
import java.util.List;

/**
 * Every route of the public API, the service behind it and the least role it needs. The gateway
 * routes and checks by it, each service checks its own part again, the README's table is written
 * from it, and a test walks it for every role. A route missing here is refused everywhere.
 */
public final class ApiRoutes {

  private static final List<ApiRoute> ALL = new ArrayList<>();

  static {
    // node-discovery
    get("nodes", "/api/v1/nodes", VIEWER, "list nodes by selector and state, a page at a time");
    get("nodes", "/api/v1/nodes/summary", VIEWER, "counts of nodes by state");
    get("nodes", "/api/v1/nodes/{id}", VIEWER, "a node, its inventory and labels");
    get("nodes", "/api/v1/nodes/{id}/preflight", VIEWER, "a node's preflight checks");
    add("nodes", "PATCH", "/api/v1/nodes/{id}/labels", OPERATOR, "change a node's labels");
    add("nodes", "POST", "/api/v1/nodes/{id}/decommission", OPERATOR, "decommission a node");
    get("nodes", "/api/v1/plans/{planId}", VIEWER, "a plan and its steps' output");
    get("nodes", "/api/v1/registration-tokens", ADMIN, "list registration tokens");
    add("nodes", "POST", "/api/v1/registration-tokens", ADMIN, "create a registration token");
    add("nodes", "DELETE", "/api/v1/registration-tokens/{id}", ADMIN, "revoke a token");
    // pack-manager
    get("packs", "/api/v1/packs", VIEWER, "the pack catalogue");
    get("packs", "/api/v1/packs/{name}/versions", VIEWER, "a pack's versions");
    get("packs", "/api/v1/packs/{name}/versions/{version}", VIEWER, "a pack version");
    get("packs", "/api/v1/registries", VIEWER, "list registries");
    get("packs", "/api/v1/registries/{id}", VIEWER, "a registry and its health");
    add("packs", "POST", "/api/v1/registries", ADMIN, "add a registry");
    add("packs", "PATCH", "/api/v1/registries/{id}", ADMIN, "change a registry");
    add("packs", "DELETE", "/api/v1/registries/{id}", ADMIN, "remove a registry");
    add("packs", "POST", "/api/v1/registries/{id}/check", OPERATOR, "check a registry now");
    add("packs", "POST", "/api/v1/registries/{id}/sync", OPERATOR, "sync a registry now");
    get("packs", "/api/v1/registries/{id}/sync", VIEWER, "a registry's sync status");
    add("packs", "POST", "/api/v1/registries/{id}/bundles", OPERATOR, "upload a pack bundle");
    get("packs", "/api/v1/registries/{id}/uploads", VIEWER, "a registry's uploads");
    get("packs", "/api/v1/uploads/{id}", VIEWER, "an upload's progress");
    get("packs", "/api/v1/profiles", VIEWER, "list profiles");
    add("packs", "POST", "/api/v1/profiles", OPERATOR, "create a profile");
    add("packs", "POST", "/api/v1/profiles/validate", OPERATOR, "validate a profile version");
    add("packs", "POST", "/api/v1/profiles/import", OPERATOR, "import a profile from YAML");
    get("packs", "/api/v1/profiles/{name}/versions", VIEWER, "a profile's versions");
    add("packs", "POST", "/api/v1/profiles/{name}/versions", OPERATOR, "create a version");
    get("packs", "/api/v1/profiles/{name}/versions/{version}", VIEWER, "a profile version");
    add("packs", "PUT", "/api/v1/profiles/{name}/versions/{version}", OPERATOR, "edit a draft");
    add(
        "packs",
        "POST",
        "/api/v1/profiles/{name}/versions/{version}/publish",
        OPERATOR,
        "publish a version");
    add(
        "packs",
        "DELETE",
        "/api/v1/profiles/{name}/versions/{version}",
        OPERATOR,
        "delete a draft");
    get(
        "packs",
        "/api/v1/profiles/{name}/versions/{version}/resolved",
        VIEWER,
        "a version's bill of materials");
    add(
        "packs",
        "POST",
        "/api/v1/profiles/{name}/versions/{version}/resolved",
        OPERATOR,
        "resolve a version with variables");
    get("packs", "/api/v1/profiles/{name}/versions/{version}/export", VIEWER, "a version as YAML");
    // cluster-former
    get("clusters", "/api/v1/clusters", VIEWER, "list clusters");
    add("clusters", "POST", "/api/v1/clusters", OPERATOR, "create a cluster");
    add("clusters", "POST", "/api/v1/clusters/validate", OPERATOR, "validate a cluster (dry run)");
    get("clusters", "/api/v1/clusters/{id}", VIEWER, "a cluster, its state and health");
    get("clusters", "/api/v1/clusters/{id}/timeline", VIEWER, "a cluster's timeline");
    get("clusters", "/api/v1/clusters/{id}/events", VIEWER, "a cluster's timeline, live (SSE)");
    get("clusters", "/api/v1/clusters/{id}/kubeconfig", ADMIN, "a cluster's admin kubeconfig");
    add("clusters", "DELETE", "/api/v1/clusters/{id}", OPERATOR, "delete or force-delete");
    add(
        "clusters",
        "POST",
        "/api/v1/clusters/{id}/pools/{pool}/nodes",
        OPERATOR,
        "add nodes to a pool");
    add("clusters", "DELETE", "/api/v1/clusters/{id}/nodes/{nodeId}", OPERATOR, "remove a node");
    // compliance
    get("compliance", "/api/v1/clusters/{id}/compliance/features", VIEWER, "a cluster's features");
    add(
        "compliance",
        "PUT",
        "/api/v1/clusters/{id}/compliance/features/{feature}",
        OPERATOR,
        "enable a feature: install its tool from its pack");
    add("compliance", "POST", "/api/v1/clusters/{id}/scans", OPERATOR, "run a scan now");
    get("compliance", "/api/v1/clusters/{id}/scans", VIEWER, "a cluster's scans, newest first");
    get("compliance", "/api/v1/scans/{id}", VIEWER, "a scan, its state and progress");
    add("compliance", "POST", "/api/v1/scans/{id}/cancel", OPERATOR, "cancel a running scan");
    get("compliance", "/api/v1/scans/{id}/report", VIEWER, "a scan's report (JSON, CSV or PDF)");
    get("compliance", "/api/v1/scans/{id}/sbom", VIEWER, "an SBOM scan's bill of materials");
    get("compliance", "/api/v1/scans/{id}/compare", VIEWER, "new and fixed findings since a scan");
    get("compliance", "/api/v1/clusters/{id}/scan-schedules", VIEWER, "a cluster's schedules");
    get(
        "compliance",
        "/api/v1/clusters/{id}/scan-schedules/{kind}",
        VIEWER,
        "a schedule and its next run");
    add(
        "compliance",
        "PUT",
        "/api/v1/clusters/{id}/scan-schedules/{kind}",
        OPERATOR,
        "schedule a kind of scan");
    add(
        "compliance",
        "DELETE",
        "/api/v1/clusters/{id}/scan-schedules/{kind}",
        OPERATOR,
        "stop scheduling a kind of scan");
    get("compliance", "/api/v1/backup-locations", VIEWER, "backup locations and their health");
    add(
        "compliance",
        "POST",
        "/api/v1/backup-locations",
        ADMIN,
        "add a backup location (checked by a real connection)");
    get("compliance", "/api/v1/backup-locations/{id}", VIEWER, "a backup location");
    add(
        "compliance",
        "PATCH",
        "/api/v1/backup-locations/{id}",
        ADMIN,
        "change a location or its credentials (If-Match)");
    add("compliance", "DELETE", "/api/v1/backup-locations/{id}", ADMIN, "remove a location");
    add(
        "compliance",
        "POST",
        "/api/v1/backup-locations/{id}/check",
        OPERATOR,
        "check a location's health now");
    add(
        "compliance",
        "POST",
        "/api/v1/backup-locations/{id}/sync",
        OPERATOR,
        "read a location's backups from its bucket now");
    get(
        "compliance",
        "/api/v1/backup-locations/{id}/backups",
        VIEWER,
        "the backups in a location, as its bucket holds them");
    add("compliance", "POST", "/api/v1/clusters/{id}/backups", OPERATOR, "back up a cluster now");
    get("compliance", "/api/v1/clusters/{id}/backups", VIEWER, "a cluster's backups");
    get("compliance", "/api/v1/backups/{id}", VIEWER, "a backup, its phase and progress");
    add(
        "compliance",
        "DELETE",
        "/api/v1/backups/{id}",
        OPERATOR,
        "delete a backup, from its location too");
    add(
        "compliance",
        "POST",
        "/api/v1/clusters/{id}/restores",
        OPERATOR,
        "restore a backup into a cluster");
    get("compliance", "/api/v1/clusters/{id}/restores", VIEWER, "a cluster's restores");
    get("compliance", "/api/v1/restores/{id}", VIEWER, "a restore, its phase and progress");
    get(
        "compliance",
        "/api/v1/clusters/{id}/backup-schedule",
        VIEWER,
        "a cluster's backup schedule and its next run");
    add(
        "compliance",
        "PUT",
        "/api/v1/clusters/{id}/backup-schedule",
        OPERATOR,
        "schedule a cluster's backups");
    add(
        "compliance",
        "DELETE",
        "/api/v1/clusters/{id}/backup-schedule",
        OPERATOR,
        "stop scheduling a cluster's backups");
    // audit
    get("audit", "/api/v1/audit/records", VIEWER, "audit records by filter, a page at a time");
    get("audit", "/api/v1/audit/verify", VIEWER, "verify the audit chain");
    // gateway
    get("gateway", "/api/v1/session", VIEWER, "who is signed in, and the CSRF token");
    add("gateway", "PUT", "/api/v1/session/password", VIEWER, "change one's own password");
    add("gateway", "DELETE", "/api/v1/session", VIEWER, "sign out");
    get("gateway", "/api/v1/events", VIEWER, "every service's events, live (SSE)");
    get("gateway", "/api/v1/users", ADMIN, "list users");
    add("gateway", "POST", "/api/v1/users", ADMIN, "create a user");
    add("gateway", "PATCH", "/api/v1/users/{name}", ADMIN, "change a user's role or state");
    add("gateway", "DELETE", "/api/v1/users/{name}", ADMIN, "delete a user");
    get("gateway", "/api/v1/tokens", ADMIN, "list API tokens");
    add("gateway", "POST", "/api/v1/tokens", ADMIN, "create an API token (shown once)");
    add("gateway", "DELETE", "/api/v1/tokens/{id}", ADMIN, "revoke an API token");
  }

  private ApiRoutes() {}

  private static void get(String service, String pattern, Role role, String summary) {
    add(service, "GET", pattern, role, summary);
  }

  private static void add(
      String service, String method, String pattern, Role role, String summary) {
    ALL.add(new ApiRoute(service, method, pattern, role, summary));
  }

  public static List<ApiRoute> all() {
    return List.copyOf(ALL);
  }

  public static List<ApiRoute> of(String service) {
    return ALL.stream().filter(r -> r.service().equals(service)).toList();
  }
}
