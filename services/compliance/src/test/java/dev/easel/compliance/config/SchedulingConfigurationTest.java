package dev.easel.compliance.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.easel.compliance.adapters.out.persistence.Migrated;
import dev.easel.compliance.adapters.out.persistence.Stores;
import dev.easel.compliance.application.Schedules;
import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.application.port.ScanStarter;
import dev.easel.compliance.application.port.ScheduleStore;
import dev.easel.compliance.domain.scan.Scan;
import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.scan.ScanTarget;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The schedules' wiring in a Spring context of its own: the runner starts with the context, runs a
 * due schedule through the use case, and stops with it.
 */
class SchedulingConfigurationTest {

  private static final Migrated DB = Migrated.database("compliance_scheduling_wiring");
  private static final AtomicInteger STARTS = new AtomicInteger();

  @Configuration(proxyBeanMethods = false)
  @Import({SchedulingConfiguration.class, Schedules.class})
  @ComponentScan(
      basePackages = "dev.easel.compliance.adapters.out.scheduling",
      useDefaultFilters = false,
      includeFilters =
          @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*DbSchedulerTimer"))
  static class Wiring {

    @Bean
    DataSource dataSource() {
      return DB.dataSource();
    }

    @Bean
    TransactionTemplate transactionTemplate() {
      return DB.tx();
    }

    @Bean
    ObjectMapper objectMapper() {
      return Migrated.JSON;
    }

    @Bean
    Clock clock() {
      return Clock.systemUTC();
    }

    @Bean
    ScheduleStore scheduleStore() {
      return Stores.schedules(DB);
    }

    @Bean
    ClusterReplica clusterReplica() {
      return Stores.clusters(DB);
    }

    @Bean
    ScanStarter scanStarter() {
      return (clusterId, kind, options, trigger, actor) -> {
        STARTS.incrementAndGet();
        return Scan.initiated(
            UUID.randomUUID(), clusterId, kind, trigger, options, 1, actor, Instant.now());
      };
    }
  }

  @Test
  void theRunnerStartsWithTheContextRunsADueScheduleAndStopsWithIt() {
    System.setProperty("easel.compliance.schedules.poll", "100ms");
    UUID cluster = UUID.randomUUID();
    Scheduler scheduler;
    try (AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext()) {
      // As Spring Boot converts settings: "100ms" to a Duration.
      ctx.getBeanFactory().setConversionService(new ApplicationConversionService());
      ctx.register(Wiring.class);
      ctx.refresh();
      ctx.getBean(ClusterReplica.class)
          .running(
              cluster,
              "c",
              null,
              null,
              List.of(new ScanTarget.Node(UUID.randomUUID(), "cp", "init")));
      Schedules schedules = ctx.getBean(Schedules.class);
      schedules.put(cluster, ScanKind.PENETRATION, "weekly", null, null, Map.of());
      DB.jdbc()
          .update(
              "UPDATE scheduled_tasks SET execution_time = ? WHERE task_instance = ?",
              Timestamp.from(Instant.now().minusSeconds(5)),
              cluster + ":penetration");

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> STARTS.get() == 1);
      scheduler = ctx.getBean(Scheduler.class);
      assertThat(scheduler.getSchedulerState().isStarted()).isTrue();
    } finally {
      System.clearProperty("easel.compliance.schedules.poll");
    }
    assertThat(scheduler.getSchedulerState().isShuttingDown()).isTrue();
  }
}
