package dev.easel.common.config;

import dev.easel.common.envelope.Requester;
import dev.easel.common.inbox.InboxProcessor;
import dev.easel.common.outbox.JdbcOutbox;
import dev.easel.common.outbox.KafkaOutboxSender;
import dev.easel.common.outbox.Outbox;
import dev.easel.common.outbox.OutboxRelay;
import dev.easel.common.outbox.OutboxRelaySettings;
import dev.easel.common.outbox.RelayWakeup;
import dev.easel.common.process.ParentWatch;
import dev.easel.common.saga.JdbcSagaStore;
import dev.easel.common.saga.ParticipantReplies;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.common.saga.SagaEngine;
import dev.easel.common.saga.SagaListener;
import dev.easel.contracts.ContractRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.messaging.Message;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The messaging backbone for a service: contract registry, outbox and relay, inbox, saga engine and
 * participant replies. A service adds the dependency and sets {@code easel.messaging.context} and
 * {@code easel.messaging.service}.
 */
@AutoConfiguration(
    after = {
      DataSourceAutoConfiguration.class,
      DataSourceTransactionManagerAutoConfiguration.class,
      JdbcTemplateAutoConfiguration.class,
      JacksonAutoConfiguration.class
    })
@EnableConfigurationProperties(EaselMessagingProperties.class)
public class EaselMessagingAutoConfiguration {

  /** The bean name the saga replies binding uses ({@code easelSagaReplies-in-0}). */
  public static final String SAGA_REPLIES = "easelSagaReplies";

  @Bean
  @ConditionalOnMissingBean
  Clock easelClock() {
    return Clock.systemUTC();
  }

  @Bean
  @ConditionalOnMissingBean
  ContractRegistry easelContractRegistry(ObjectProvider<ContractTypes> extra) {
    List<Class<?>> types = new ArrayList<>();
    extra.orderedStream().forEach(t -> types.addAll(t.types()));
    return ContractRegistry.withShipped(types);
  }

  /** Set by the devstack: the service ends with the devstack, however the devstack ends. */
  @Bean
  @ConditionalOnProperty("easel.parent-pid")
  ParentWatch easelParentWatch(Environment env) {
    return ParentWatch.exitWith(env.getRequiredProperty("easel.parent-pid", Long.class));
  }

  @Bean
  BackboneMigrations easelBackboneMigrations(DataSource dataSource) {
    return new BackboneMigrations(dataSource);
  }

  @Bean
  @ConditionalOnMissingBean
  Outbox easelOutbox(
      JdbcTemplate jdbc,
      ContractRegistry registry,
      ObjectMapper json,
      EaselMessagingProperties props,
      Clock clock,
      ObjectProvider<OutboxRelay> relay,
      ObjectProvider<Requester> requester,
      BackboneMigrations migrated) {
    return new JdbcOutbox(
        jdbc,
        registry,
        json,
        required(props.getContext(), "context"),
        source(props),
        clock,
        wakeupOf(relay.getIfAvailable()),
        requester.getIfAvailable(() -> Requester.NONE));
  }

  @Bean
  @ConditionalOnProperty(
      name = "easel.messaging.relay.enabled",
      havingValue = "true",
      matchIfMissing = true)
  OutboxRelay easelOutboxRelay(
      DataSource dataSource,
      ObjectMapper json,
      EaselMessagingProperties props,
      Environment env,
      ObjectProvider<MeterRegistry> meters,
      BackboneMigrations migrated) {
    String bootstrap = bootstrapServers(props, env);
    String service = required(props.getService(), "service");
    OutboxRelaySettings d = OutboxRelaySettings.defaults();
    OutboxRelaySettings settings =
        new OutboxRelaySettings(
            props.getRelay().getBatchSize(),
            props.getRelay().getMaxInFlight(),
            d.ackTimeout(),
            d.leaderNetworkTimeout(),
            d.safetyPoll(),
            d.standbyPoll(),
            d.initialBackoff(),
            d.maxBackoff(),
            props.getRelay().getRetention(),
            d.cleanupInterval(),
            d.gaugeRefresh());
    return new OutboxRelay(
        dataSource,
        json,
        () -> new KafkaOutboxSender(bootstrap, service + "-outbox", Map.of()),
        settings,
        service,
        meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  @Bean
  @ConditionalOnMissingBean
  InboxProcessor easelInbox(
      JdbcTemplate jdbc,
      PlatformTransactionManager txManager,
      ContractRegistry registry,
      ObjectMapper json,
      ObjectProvider<MeterRegistry> meters,
      BackboneMigrations migrated) {
    return new InboxProcessor(
        jdbc,
        new TransactionTemplate(txManager),
        registry,
        json,
        meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  @Bean
  @ConditionalOnMissingBean
  ParticipantReplies easelParticipantReplies(Outbox outbox) {
    return new ParticipantReplies(outbox);
  }

  @Bean
  @ConditionalOnMissingBean
  SagaEngine easelSagaEngine(
      JdbcTemplate jdbc,
      Outbox outbox,
      ObjectMapper json,
      PlatformTransactionManager txManager,
      EaselMessagingProperties props,
      Clock clock,
      ObjectProvider<MeterRegistry> meters,
      ObjectProvider<SagaDefinition<?>> definitions,
      ObjectProvider<SagaListener> listeners,
      ObjectProvider<Requester> requester) {
    return new SagaEngine(
        new JdbcSagaStore(jdbc, json),
        outbox,
        json,
        new TransactionTemplate(txManager),
        required(props.getContext(), "context"),
        source(props),
        clock,
        meters.getIfAvailable(SimpleMeterRegistry::new),
        definitions.orderedStream().toList(),
        listeners.orderedStream().toList(),
        requester.getIfAvailable(() -> Requester.NONE));
  }

  @Bean
  BackboneScheduler easelBackboneScheduler(
      SagaEngine engine,
      ObjectProvider<SagaDefinition<?>> definitions,
      JdbcTemplate jdbc,
      EaselMessagingProperties props) {
    return new BackboneScheduler(
        engine,
        definitions.orderedStream().findAny().isPresent(),
        jdbc,
        props.getSaga().getDeadlinePoll(),
        props.getInbox().getRetention());
  }

  /** Retries and dead letters per record for the batch-mode input bindings. */
  @Bean
  @ConditionalOnMissingBean(ListenerContainerCustomizer.class)
  BatchErrorHandling easelBatchErrorHandling(EaselMessagingProperties props, Environment env) {
    return new BatchErrorHandling(bootstrapServers(props, env));
  }

  /** Replies to this service's saga commands; bound when {@code easel.messaging.saga.enabled}. */
  @Bean(SAGA_REPLIES)
  @ConditionalOnProperty(name = "easel.messaging.saga.enabled", havingValue = "true")
  Consumer<Message<List<byte[]>>> easelSagaReplies(InboxProcessor inbox, SagaEngine engine) {
    return inbox.consumer("saga-replies", h -> h.onBatch(engine::onReplies));
  }

  private static RelayWakeup wakeupOf(OutboxRelay relay) {
    return relay != null ? relay : RelayWakeup.NONE;
  }

  static String source(EaselMessagingProperties props) {
    return "/easel/" + required(props.getService(), "service");
  }

  static String bootstrapServers(EaselMessagingProperties props, Environment env) {
    if (props.getBootstrapServers() != null) {
      return props.getBootstrapServers();
    }
    return env.getProperty("spring.cloud.stream.kafka.binder.brokers", "localhost:9092");
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "set easel.messaging." + name + " to use the Easel messaging backbone");
    }
    return value;
  }
}
