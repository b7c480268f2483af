package dev.easel.nodes.config;

import dev.easel.common.crypto.AesGcm;
import dev.easel.common.crypto.PlanSecrets;
import dev.easel.nodes.adapters.out.cache.CachingCredentials;
import dev.easel.nodes.adapters.out.crypto.AesGcmSealer;
import dev.easel.nodes.adapters.out.crypto.RsaPlanKey;
import dev.easel.nodes.adapters.out.signals.PlanWakeups;
import dev.easel.nodes.application.Heartbeats;
import dev.easel.nodes.application.port.Credentials;
import dev.easel.nodes.application.port.NodeStore;
import dev.easel.nodes.application.port.PlanKey;
import dev.easel.nodes.application.port.PlanStore;
import dev.easel.nodes.application.port.Sealer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wiring of node-discovery's adapters that are not plain components: caches, schedules, the secret
 * key and the plan key.
 */
@Configuration
class NodeDiscoveryConfiguration {

  private static final Logger log = LoggerFactory.getLogger(NodeDiscoveryConfiguration.class);

  @Bean
  Credentials credentials(
      NodeStore nodes,
      Clock clock,
      @Value("${easel.nodes.credential-cache:60s}") Duration credentialCache) {
    return new CachingCredentials(nodes, clock, credentialCache);
  }

  @Bean
  PlanWakeups planSignals(
      PlanStore plans,
      Clock clock,
      @Value("${easel.nodes.plan-signal-poll:1s}") Duration crossInstancePoll) {
    return new PlanWakeups(plans, clock, crossInstancePoll);
  }

  /**
   * The AES-256 key that seals plan step secrets: {@code easel.nodes.secret-key} (base64) or the
   * file named by {@code easel.nodes.secret-key-file}. Without one the service runs, and refuses
   * plans that carry secrets.
   */
  @Bean
  Sealer sealer(
      @Value("${easel.nodes.secret-key:}") String key,
      @Value("${easel.nodes.secret-key-file:}") String keyFile) {
    if (key.isBlank() && keyFile.isBlank()) {
      log.warn("no easel.nodes.secret-key-file: plans that carry secret files will be refused");
      return AesGcmSealer.none();
    }
    return AesGcmSealer.with(AesGcm.load(key, keyFile, "easel.nodes", "plan step secrets"));
  }

  /**
   * The private key that opens the secret files senders seal to node-discovery's public key (ADR
   * 0010): the PEM file named by {@code easel.nodes.plan-private-key-file}. With one, secret files
   * sent in the clear are refused; without one they are taken, with a warning, so that an
   * installation without a key pair keeps working.
   */
  @Bean
  PlanKey planKey(@Value("${easel.nodes.plan-private-key-file:}") String keyFile) {
    if (keyFile.isBlank()) {
      log.warn(
          "no {}: plan secret files are taken in the clear, and sealed ones cannot be opened",
          PlanSecrets.PRIVATE_KEY_FILE_PROPERTY);
      return RsaPlanKey.none();
    }
    PlanSecrets.Opener opener =
        PlanSecrets.opener(PlanSecrets.readPrivateKey(Path.of(keyFile.trim())));
    log.info("plan secret files are opened with plan key {}", opener.keyId());
    return RsaPlanKey.with(opener);
  }

  @Bean
  LivenessSchedule livenessSchedule(
      Heartbeats heartbeats, @Value("${easel.nodes.heartbeat-flush:1s}") Duration flush) {
    return new LivenessSchedule(heartbeats, flush);
  }
}
