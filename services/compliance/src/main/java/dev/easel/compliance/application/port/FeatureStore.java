package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.feature.Feature;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Which features each cluster enabled, and how their installs went. */
public interface FeatureStore {

  /**
   * A feature on a cluster.
   *
   * @param state {@code installing}, {@code enabled} or {@code failed}
   * @param planId the install plan
   * @param reason why the install failed
   */
  record Enablement(
      UUID clusterId,
      Feature feature,
      String state,
      String pack,
      String version,
      String digest,
      String planId,
      String reason,
      String actor,
      Instant at) {

    public static final String INSTALLING = "installing";
    public static final String ENABLED = "enabled";
    public static final String FAILED = "failed";
  }

  Map<Feature, Enablement> ofCluster(UUID clusterId);

  Optional<Enablement> find(UUID clusterId, Feature feature);

  Optional<Enablement> byPlan(String planId);

  void save(Enablement e);
}
