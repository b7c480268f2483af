package dev.easel.nodes.config;

import dev.easel.common.crypto.AesGcm;
import dev.easel.nodes.adapters.out.cache.CachingCredentials;
import dev.easel.nodes.adapters.out.crypto.AesGcmSealer;
import dev.easel.nodes.adapters.out.signals.PlanWakeups;
import dev.easel.nodes.application.Heartbeats;
import dev.easel.nodes.application.port.Credentials;
import dev.easel.nodes.application.port.NodeStore;
import dev.easel.nodes.application.port.PlanStore;
import dev.easel.nodes.application.port.Sealer;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wiring of node-discovery's adapters that are not plain components: caches, schedules and the
 * secret key.
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

  @Bean
  LivenessSchedule livenessSchedule(
      Heartbeats heartbeats, @Value("${easel.nodes.heartbeat-flush:1s}") Duration flush) {
    return new LivenessSchedule(heartbeats, flush);
  }
}
