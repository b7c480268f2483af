package dev.easel.nodes.config;

import dev.easel.nodes.adapters.out.cache.CachingCredentials;
import dev.easel.nodes.adapters.out.signals.PlanWakeups;
import dev.easel.nodes.application.Heartbeats;
import dev.easel.nodes.application.port.Credentials;
import dev.easel.nodes.application.port.NodeStore;
import dev.easel.nodes.application.port.PlanStore;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wiring of node-discovery's adapters that are not plain components: caches and schedules. */
@Configuration
class NodeDiscoveryConfiguration {

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

  @Bean
  LivenessSchedule livenessSchedule(
      Heartbeats heartbeats, @Value("${easel.nodes.heartbeat-flush:1s}") Duration flush) {
    return new LivenessSchedule(heartbeats, flush);
  }
}
