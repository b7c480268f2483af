package dev.easel.audit.config;

import dev.easel.audit.application.Checkpointing;
import dev.easel.common.process.PeriodicTask;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The checkpoint timer: the chain's head published every {@code easel.audit.checkpoint-every}. */
@Configuration
class AuditConfiguration {

  @Bean
  SmartLifecycle auditCheckpoints(
      Checkpointing checkpointing, @Value("${easel.audit.checkpoint-every:5m}") Duration every) {
    return new PeriodicTask("audit-checkpoints", every, checkpointing::checkpoint);
  }
}
