package dev.easel.compliance.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.application.port.FeatureStore;
import dev.easel.compliance.application.port.FeatureStore.Enablement;
import dev.easel.compliance.application.port.PackStore;
import dev.easel.compliance.domain.feature.Feature;
import dev.easel.compliance.domain.feature.FeatureInstall;
import dev.easel.compliance.domain.scan.ScanTarget;
import dev.easel.contracts.compliance.FeatureAvailable;
import dev.easel.contracts.compliance.FeatureEnabled;
import dev.easel.contracts.compliance.FeatureUnavailable;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.packs.PackAdded;
import dev.easel.contracts.packs.PackRemoved;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The features: available while their pack is in a synced registry, enabled per cluster by
 * installing their tool from that pack with a plan on the cluster's init node.
 */
@Component
public class Features {

  private static final Logger log = LoggerFactory.getLogger(Features.class);

  /** The cluster is not one compliance knows as running. */
  public static final class ClusterNotFound extends RuntimeException {
    public ClusterNotFound(UUID id) {
      super("no running cluster " + id);
    }
  }

  /** The feature's pack is in no registry. */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String message) {
      super(message);
    }
  }

  /**
   * A feature as a cluster sees it.
   *
   * @param available whether its pack is in a synced registry
   * @param why why it is not available, or null
   * @param pack the pack that provides it
   * @param version the version that would be installed, or null
   * @param enabled its enablement on the cluster, or null
   * @param sourceMissing enabled, but its pack is in no registry any more
   */
  public record View(
      Feature feature,
      boolean available,
      String why,
      String pack,
      String version,
      Enablement enabled,
      boolean sourceMissing) {}

  private final FeaturePacks packsOf;
  private final PackStore packs;
  private final FeatureStore features;
  private final ClusterReplica clusters;
  private final NodeCommands nodes;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final Clock clock;

  public Features(
      FeaturePacks packsOf,
      PackStore packs,
      FeatureStore features,
      ClusterReplica clusters,
      NodeCommands nodes,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock) {
    this.packsOf = packsOf;
    this.packs = packs;
    this.features = features;
    this.clusters = clusters;
    this.nodes = nodes;
    this.outbox = outbox;
    this.tx = tx;
    this.clock = clock;
  }

  /** A pack version appeared; its features become (or stay) available. Runs in the inbox's tx. */
  public void packAdded(PackAdded e) {
    List<Feature> provided = packsOf.featuresOf(e.name());
    if (provided.isEmpty()) {
      return;
    }
    packs.added(
        new PackStore.PackVersion(
            e.registryId(), e.registry(), e.name(), e.version(), e.digest(), e.values(), e.at()));
    PackStore.PackVersion best = packs.best(e.name()).orElseThrow();
    if (best.version().equals(e.version())) {
      for (Feature f : provided) {
        outbox.publishEvent(
            f.wireName(),
            new FeatureAvailable(f.wireName(), e.name(), e.version(), e.registry(), e.at()));
      }
    }
  }

  /** A pack version left a registry; when no version is left, its features become unavailable. */
  public void packRemoved(PackRemoved e) {
    List<Feature> provided = packsOf.featuresOf(e.name());
    if (provided.isEmpty()) {
      return;
    }
    if (packs.removed(e.registryId(), e.name(), e.version())) {
      for (Feature f : provided) {
        outbox.publishEvent(
            f.wireName(),
            new FeatureUnavailable(
                f.wireName(), e.name(), e.name() + " is in no synced registry", e.at()));
      }
    }
  }

  /** Each feature for a cluster: available or not (and why), enabled or not. */
  public List<View> ofCluster(UUID clusterId) {
    clusters.find(clusterId).orElseThrow(() -> new ClusterNotFound(clusterId));
    Map<Feature, Enablement> on = features.ofCluster(clusterId);
    List<View> out = new ArrayList<>();
    for (Feature f : Feature.values()) {
      out.add(view(f, on.get(f)));
    }
    return out;
  }

  private View view(Feature f, Enablement e) {
    String pack = packsOf.packOf(f);
    Optional<PackStore.PackVersion> best = packs.best(pack);
    return new View(
        f,
        best.isPresent(),
        best.isPresent() ? null : "its pack " + pack + " is in no synced registry",
        pack,
        best.map(PackStore.PackVersion::version).orElse(null),
        e,
        e != null && best.isEmpty());
  }

  /**
   * Enables a feature: sends the plan that installs its tool. Enabling one that is enabled, or
   * being installed, changes nothing; one whose install failed is tried again.
   *
   * @throws ClusterNotFound when the cluster is not running
   * @throws Unavailable when its pack is in no registry
   */
  public View enable(UUID clusterId, Feature feature, String actor) {
    return tx.execute(
        s -> {
          ScanTarget target =
              clusters.find(clusterId).orElseThrow(() -> new ClusterNotFound(clusterId));
          Optional<Enablement> now = features.find(clusterId, feature);
          if (now.isPresent() && !Enablement.FAILED.equals(now.get().state())) {
            return view(feature, now.get());
          }
          String pack = packsOf.packOf(feature);
          PackStore.PackVersion v =
              packs
                  .best(pack)
                  .orElseThrow(
                      () ->
                          new Unavailable(
                              feature.wireName()
                                  + " is not available: its pack "
                                  + pack
                                  + " is in no synced registry"));
          List<PlanStep> steps;
          try {
            steps = FeatureInstall.steps(feature, v.name(), v.version(), v.values());
          } catch (IllegalArgumentException e) {
            throw new Unavailable(
                feature.wireName() + " cannot be installed from its pack: " + e.getMessage());
          }
          int attempt = now.map(e -> attemptOf(e.planId()) + 1).orElse(1);
          String planId = "feature-" + clusterId + "-" + feature.wireName() + "-" + attempt;
          Instant at = clock.instant();
          Enablement e =
              new Enablement(
                  clusterId,
                  feature,
                  Enablement.INSTALLING,
                  v.name(),
                  v.version(),
                  v.digest(),
                  planId,
                  null,
                  actor,
                  at);
          features.save(e);
          nodes.run(
              target.init().nodeId(),
              planId,
              "compliance: " + feature.wireName() + " on cluster " + clusterId,
              steps);
          return view(feature, e);
        });
  }

  private static int attemptOf(String planId) {
    int dash = planId.lastIndexOf('-');
    try {
      return Integer.parseInt(planId.substring(dash + 1));
    } catch (RuntimeException e) {
      return 1;
    }
  }

  /** Whether a plan is a feature's install plan. */
  public static boolean owns(String planId) {
    return planId != null && planId.startsWith("feature-");
  }

  /** The install plan finished: the feature is enabled. Runs in the inbox's transaction. */
  public void installed(String planId) {
    features
        .byPlan(planId)
        .filter(e -> Enablement.INSTALLING.equals(e.state()))
        .ifPresent(
            e -> {
              Instant at = clock.instant();
              features.save(
                  new Enablement(
                      e.clusterId(),
                      e.feature(),
                      Enablement.ENABLED,
                      e.pack(),
                      e.version(),
                      e.digest(),
                      planId,
                      null,
                      e.actor(),
                      at));
              outbox.publishEvent(
                  e.clusterId().toString(),
                  new FeatureEnabled(
                      e.clusterId(),
                      e.feature().wireName(),
                      e.pack(),
                      e.version(),
                      e.digest(),
                      at));
            });
  }

  /** The install plan failed or was refused; enabling again tries again. */
  public void installFailed(String planId, String reason) {
    features
        .byPlan(planId)
        .filter(e -> Enablement.INSTALLING.equals(e.state()))
        .ifPresent(
            e -> {
              log.warn("{} on cluster {} not installed: {}", e.feature(), e.clusterId(), reason);
              features.save(
                  new Enablement(
                      e.clusterId(),
                      e.feature(),
                      Enablement.FAILED,
                      e.pack(),
                      e.version(),
                      e.digest(),
                      planId,
                      reason,
                      e.actor(),
                      clock.instant()));
            });
  }
}
