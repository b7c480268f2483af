package dev.easel.clusters.config;

import dev.easel.clusters.adapters.out.crypto.AesGcmSecretBox;
import dev.easel.clusters.application.FormationSaga;
import dev.easel.clusters.application.TeardownSaga;
import dev.easel.clusters.application.port.ClusterStore;
import dev.easel.clusters.application.port.ProfileReplica;
import dev.easel.clusters.application.port.SecretBox;
import dev.easel.clusters.domain.PublishedProfile;
import dev.easel.clusters.domain.cluster.Cluster;
import dev.easel.clusters.domain.formation.ClusterRendering;
import dev.easel.clusters.domain.formation.ClusterSecrets;
import dev.easel.clusters.domain.formation.Formation;
import dev.easel.clusters.domain.formation.Teardown;
import dev.easel.common.crypto.AesGcm;
import dev.easel.common.crypto.PlanSealing;
import dev.easel.common.crypto.PlanSecrets;
import dev.easel.common.saga.SagaDefinition;
import java.time.Duration;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/**
 * Wires the sagas, their renderer, the key the clusters' secrets are sealed with, and the plan key
 * their plans' secret files travel sealed to.
 */
@Configuration
class ClusterFormerConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ClusterFormerConfiguration.class);

  /** The clusters' secrets need a key; cluster-former does not start without one. */
  @Bean
  SecretBox clusterSecretBox(
      @Value("${easel.clusters.secret-key:}") String key,
      @Value("${easel.clusters.secret-key-file:}") String keyFile) {
    return new AesGcmSecretBox(
        AesGcm.load(key, keyFile, "easel.clusters", "cluster tokens, passwords and kubeconfigs"));
  }

  /**
   * Seals the secret files of the plans sent to node-discovery to its public plan key, the PEM file
   * named by {@code easel.plans.public-key-file} (ADR 0010). Without one they travel in the clear,
   * with a warning, and a node-discovery that has a plan key refuses them.
   */
  @Bean
  PlanSealing planSealing(@Value("${easel.plans.public-key-file:}") String publicKeyFile) {
    PlanSealing sealing = PlanSealing.fromPublicKeyFile(publicKeyFile);
    if (!sealing.seals()) {
      log.warn(
          "no {}: the cloud-configs and layer values of plans would cross Kafka in the clear",
          PlanSecrets.PUBLIC_KEY_FILE_PROPERTY);
    }
    return sealing;
  }

  @Bean
  FormationSaga.Timeouts formationTimeouts(
      @Value("${easel.clusters.timeouts.reserve:30s}") Duration reserve,
      @Value("${easel.clusters.timeouts.install:30m}") Duration install,
      @Value("${easel.clusters.timeouts.layers:20m}") Duration layers,
      @Value("${easel.clusters.timeouts.health:15m}") Duration health,
      @Value("${easel.clusters.timeouts.reset:10m}") Duration reset) {
    return new FormationSaga.Timeouts(reserve, install, layers, health, reset);
  }

  /**
   * Renders a cluster's plans from what is stored: the cluster, its profile version and its
   * secrets, opened only for as long as the rendering takes.
   */
  @Bean
  FormationSaga.Renderer clusterRenderer(
      ClusterStore clusters, ProfileReplica profiles, SecretBox box, ObjectMapper json) {
    return id -> {
      Cluster c =
          clusters.find(id).orElseThrow(() -> new IllegalStateException("no cluster " + id));
      PublishedProfile p =
          profiles
              .find(c.profileName(), c.profileVersion())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "profile " + c.profileName() + " " + c.profileVersion() + " is gone"));
      ClusterSecrets secrets =
          json.readValue(box.open(clusters.secrets(id), id.toString()), ClusterSecrets.class);
      return ClusterRendering.request(c, p, secrets);
    };
  }

  @Bean
  FormationSaga.KubeconfigBox kubeconfigBox(SecretBox box) {
    return new FormationSaga.KubeconfigBox() {
      @Override
      public String seal(java.util.UUID clusterId, String kubeconfig) {
        return Base64.getEncoder().encodeToString(box.seal(kubeconfig, "kubeconfig:" + clusterId));
      }

      @Override
      public String open(java.util.UUID clusterId, String sealed) {
        return box.open(Base64.getDecoder().decode(sealed), "kubeconfig:" + clusterId);
      }
    };
  }

  @Bean
  SagaDefinition<Formation> formationSaga(
      FormationSaga.Renderer renderer,
      FormationSaga.KubeconfigBox box,
      PlanSealing sealing,
      FormationSaga.Timeouts timeouts) {
    return FormationSaga.definition(renderer, box, sealing, timeouts);
  }

  @Bean
  SagaDefinition<Teardown> teardownSaga(PlanSealing sealing, FormationSaga.Timeouts timeouts) {
    return TeardownSaga.definition(sealing, timeouts);
  }

  @Bean
  SagaDefinition<dev.easel.clusters.domain.formation.Growth> growthSaga(
      FormationSaga.Renderer renderer, PlanSealing sealing, FormationSaga.Timeouts timeouts) {
    return dev.easel.clusters.application.GrowthSaga.definition(renderer, sealing, timeouts);
  }

  @Bean
  SagaDefinition<dev.easel.clusters.domain.formation.Removal> removalSaga(
      PlanSealing sealing, FormationSaga.Timeouts timeouts) {
    return dev.easel.clusters.application.RemovalSaga.definition(sealing, timeouts);
  }
}
