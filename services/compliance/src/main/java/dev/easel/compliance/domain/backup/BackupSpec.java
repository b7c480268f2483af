package dev.easel.compliance.domain.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a backup takes and how long it is kept.
 *
 * @param includeNamespaces the namespaces to take (globs allowed, as Velero takes them); empty for
 *     all
 * @param excludeNamespaces namespaces to leave out
 * @param includeDisks whether persistent volumes are snapshotted
 * @param ttlHours how long the backup is kept before it expires and is deleted
 */
public record BackupSpec(
    List<String> includeNamespaces,
    List<String> excludeNamespaces,
    ClusterResources includeClusterResources,
    boolean includeDisks,
    int ttlHours) {

  /** Velero's default time to live: 30 days. */
  public static final int DEFAULT_TTL_HOURS = 720;

  /** Ten years. */
  public static final int MAX_TTL_HOURS = 87_600;

  static final int MAX_NAMESPACES = 200;

  /** A namespace name, or a glob of one ({@code *}, {@code ?}, {@code [abc]}). */
  static final Pattern NAMESPACE =
      Pattern.compile("[a-z0-9*?\\[\\]]([-a-z0-9*?\\[\\]]{0,61}[a-z0-9*?\\[\\]])?");

  public BackupSpec {
    includeNamespaces = includeNamespaces == null ? List.of() : List.copyOf(includeNamespaces);
    excludeNamespaces = excludeNamespaces == null ? List.of() : List.copyOf(excludeNamespaces);
    includeClusterResources =
        includeClusterResources == null ? ClusterResources.AUTO : includeClusterResources;
  }

  /**
   * Checks a request; every problem at once.
   *
   * @param includeClusterResources as given, checked here
   * @param ttlHours null for {@link #DEFAULT_TTL_HOURS}
   * @param includeDisks null for true
   * @return the spec, or null when there are problems
   */
  public static BackupSpec check(
      List<String> includeNamespaces,
      List<String> excludeNamespaces,
      String includeClusterResources,
      Boolean includeDisks,
      Integer ttlHours,
      List<LocationSpec.Problem> problems) {
    int before = problems.size();
    namespaces("includeNamespaces", includeNamespaces, problems);
    namespaces("excludeNamespaces", excludeNamespaces, problems);
    if (includeNamespaces != null && excludeNamespaces != null) {
      for (String n : includeNamespaces) {
        if (excludeNamespaces.contains(n)) {
          problems.add(
              new LocationSpec.Problem(
                  "excludeNamespaces",
                  "conflict",
                  "namespace '" + n + "' is both included and excluded"));
        }
      }
    }
    ClusterResources cr = ClusterResources.AUTO;
    if (includeClusterResources != null && !includeClusterResources.isBlank()) {
      cr = ClusterResources.parse(includeClusterResources).orElse(null);
      if (cr == null) {
        problems.add(
            new LocationSpec.Problem(
                "includeClusterResources",
                "invalid",
                "includeClusterResources is one of Always, Auto, Never"));
      }
    }
    int ttl = ttlHours == null ? DEFAULT_TTL_HOURS : ttlHours;
    if (ttl < 1 || ttl > MAX_TTL_HOURS) {
      problems.add(
          new LocationSpec.Problem(
              "ttlHours", "invalid", "ttlHours is from 1 to " + MAX_TTL_HOURS + " (ten years)"));
    }
    if (problems.size() > before) {
      return null;
    }
    return new BackupSpec(
        includeNamespaces, excludeNamespaces, cr, includeDisks == null || includeDisks, ttl);
  }

  static void namespaces(String field, List<String> names, List<LocationSpec.Problem> problems) {
    if (names == null) {
      return;
    }
    if (names.size() > MAX_NAMESPACES) {
      problems.add(
          new LocationSpec.Problem(
              field, "too-many", field + " lists at most " + MAX_NAMESPACES + " namespaces"));
      return;
    }
    List<String> seen = new ArrayList<>();
    for (String n : names) {
      if (n == null || !NAMESPACE.matcher(n).matches()) {
        problems.add(
            new LocationSpec.Problem(
                field,
                "invalid",
                "'"
                    + n
                    + "' is not a namespace name: lowercase letters, digits and '-', at most 63,"
                    + " or a glob of one"));
      } else if (seen.contains(n)) {
        problems.add(
            new LocationSpec.Problem(field, "duplicate", "namespace '" + n + "' is listed twice"));
      } else {
        seen.add(n);
      }
    }
  }
}
