package dev.easel.bench;

import dev.easel.bench.BenchContracts.DoStep;
import dev.easel.bench.BenchContracts.Ping;
import dev.easel.common.config.ContractTypes;
import dev.easel.common.inbox.InboxProcessor;
import dev.easel.common.saga.ParticipantReplies;
import dev.easel.common.saga.SagaCommand;
import dev.easel.common.saga.SagaDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The two services the benchmark runs: A emits and orchestrates, B consumes and participates. */
final class BenchApps {

  /** Event id → when its handler ran, filled by service B. */
  static final Map<String, Long> HANDLED = new ConcurrentHashMap<>();

  /** Event id → when its handler ran and when its transaction committed, by the wall clock. */
  static final Map<String, java.time.Instant[]> HANDLED_AND_COMMITTED = new ConcurrentHashMap<>();

  /** Saga run id → when its last step committed, filled by service A. */
  static final Map<String, Long> SAGA_DONE = new ConcurrentHashMap<>();

  /** While the throughput run is on, each finished saga frees one place in its window. */
  static volatile java.util.concurrent.Semaphore window;

  private static final Object DONE_SIGNAL = new Object();

  private BenchApps() {}

  /** Blocks, without spinning, until the saga's last step committed; returns when it did. */
  static long awaitDone(String runId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (DONE_SIGNAL) {
      Long done;
      while ((done = SAGA_DONE.get(runId)) == null) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new IllegalStateException("saga " + runId + " did not finish");
        }
        DONE_SIGNAL.wait(left);
      }
      return done;
    }
  }

  record Run(String runId) {}

  static final String SAGA = "Bench3";

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class AlphaApp {

    @Bean
    ContractTypes benchContracts() {
      return new ContractTypes(BenchContracts.ALL);
    }

    @Bean
    SagaDefinition<Run> bench3() {
      SagaDefinition.Builder<Run> b = SagaDefinition.of(SAGA, Run.class);
      for (int i = 1; i <= 3; i++) {
        int step = i;
        b.step("step-" + i)
            .invoke(r -> SagaCommand.to("benchb", r.runId(), new DoStep(r.runId(), step)))
            .timeout(Duration.ofSeconds(60));
      }
      return b.step("done")
          .local(
              r -> {
                TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                      @Override
                      public void afterCommit() {
                        SAGA_DONE.put(r.runId(), System.nanoTime());
                        synchronized (DONE_SIGNAL) {
                          DONE_SIGNAL.notifyAll();
                        }
                        java.util.concurrent.Semaphore w = window;
                        if (w != null) {
                          w.release();
                        }
                      }
                    });
                return r;
              })
          .build();
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class BetaApp {

    @Bean
    ContractTypes benchContracts() {
      return new ContractTypes(BenchContracts.ALL);
    }

    @Bean
    Consumer<Message<List<byte[]>>> pings(InboxProcessor inbox) {
      return inbox.consumer(
          "bench-pings",
          h ->
              h.on(
                  Ping.class,
                  m -> {
                    HANDLED.put(m.envelope().id(), System.nanoTime());
                    java.time.Instant[] times = {java.time.Instant.now(), null};
                    HANDLED_AND_COMMITTED.put(m.envelope().id(), times);
                    TransactionSynchronizationManager.registerSynchronization(
                        new TransactionSynchronization() {
                          @Override
                          public void afterCommit() {
                            times[1] = java.time.Instant.now();
                          }
                        });
                  }));
    }

    @Bean
    Consumer<Message<List<byte[]>>> steps(InboxProcessor inbox, ParticipantReplies replies) {
      return inbox.consumer(
          "bench-steps",
          h -> h.on(DoStep.class, m -> replies.answer(m, ParticipantReplies.succeeded())));
    }
  }
}
