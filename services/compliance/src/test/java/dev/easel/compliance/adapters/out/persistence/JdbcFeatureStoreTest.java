package dev.easel.compliance.adapters.out.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.compliance.application.port.FeatureStore.Enablement;
import dev.easel.compliance.domain.feature.Feature;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Feature enablements in the real PostgreSQL. */
class JdbcFeatureStoreTest {

  private static final Instant T0 = Instant.parse("2026-02-01T08:00:00Z");

  private static JdbcFeatureStore store;

  @BeforeAll
  static void migrate() {
    store = new JdbcFeatureStore(Migrated.database("compliance_features").jdbc());
  }

  @Test
  void anEnablementMovesFromInstallingToEnabledAndIsFoundByItsPlan() {
    UUID cluster = UUID.randomUUID();
    Enablement installing =
        new Enablement(
            cluster,
            Feature.SBOM,
            Enablement.INSTALLING,
            "third-party",
            "1.0.0",
            "sha256:1",
            "feature-plan-1",
            null,
            "alice",
            T0);
    store.save(installing);
    assertThat(store.byPlan("feature-plan-1")).contains(installing);

    Enablement enabled =
        new Enablement(
            cluster,
            Feature.SBOM,
            Enablement.ENABLED,
            "third-party",
            "1.0.0",
            "sha256:1",
            "feature-plan-1",
            null,
            "alice",
            T0.plusSeconds(30));
    store.save(enabled);
    store.save(
        new Enablement(
            cluster,
            Feature.CONFORMANCE,
            Enablement.FAILED,
            "conformance",
            "0.1.0",
            null,
            "feature-plan-2",
            "helm failed",
            "bob",
            T0));

    assertThat(store.find(cluster, Feature.SBOM)).contains(enabled);
    assertThat(store.ofCluster(cluster)).containsOnlyKeys(Feature.SBOM, Feature.CONFORMANCE);
    assertThat(store.ofCluster(cluster).get(Feature.CONFORMANCE).reason()).isEqualTo("helm failed");
    assertThat(store.find(cluster, Feature.BACKUP_RESTORE)).isEmpty();
    assertThat(store.byPlan("no-plan")).isEmpty();
  }
}
