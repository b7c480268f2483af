package dev.easel.compliance.domain.backup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a restore brings back.
 *
 * @param includeNamespaces the backup's namespaces to restore; empty for all it holds
 * @param namespaceMappings a namespace of the backup to the namespace it is restored as
 * @param restorePVs whether persistent volumes are restored from their snapshots
 */
public record RestoreSpec(
    List<String> includeNamespaces,
    Map<String, String> namespaceMappings,
    ClusterResources includeClusterResources,
    boolean restorePVs) {

  static final int MAX_MAPPINGS = 200;

  public RestoreSpec {
    includeNamespaces = includeNamespaces == null ? List.of() : List.copyOf(includeNamespaces);
    namespaceMappings =
        namespaceMappings == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(namespaceMappings));
    includeClusterResources =
        includeClusterResources == null ? ClusterResources.AUTO : includeClusterResources;
  }

  /** Checks a request; every problem at once. Null when there are problems. */
  public static RestoreSpec check(
      List<String> includeNamespaces,
      Map<String, String> namespaceMappings,
      String includeClusterResources,
      Boolean restorePVs,
      List<LocationSpec.Problem> problems) {
    int before = problems.size();
    BackupSpec.namespaces("includeNamespaces", includeNamespaces, problems);
    if (namespaceMappings != null) {
      if (namespaceMappings.size() > MAX_MAPPINGS) {
        problems.add(
            new LocationSpec.Problem(
                "namespaceMappings",
                "too-many",
                "namespaceMappings has at most " + MAX_MAPPINGS + " entries"));
      } else {
        for (Map.Entry<String, String> e : namespaceMappings.entrySet()) {
          if (!plain(e.getKey()) || !plain(e.getValue())) {
            problems.add(
                new LocationSpec.Problem(
                    "namespaceMappings",
                    "invalid",
                    "'"
                        + e.getKey()
                        + "' → '"
                        + e.getValue()
                        + "' does not map a namespace name to a namespace name"));
          }
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
    if (problems.size() > before) {
      return null;
    }
    return new RestoreSpec(
        includeNamespaces, namespaceMappings, cr, restorePVs == null || restorePVs);
  }

  private static boolean plain(String ns) {
    return ns != null && ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  }
}
