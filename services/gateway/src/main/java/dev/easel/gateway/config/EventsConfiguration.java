package dev.easel.gateway.config;

import dev.easel.gateway.adapters.in.messaging.EventFeed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The live event stream: one Kafka reader per instance, and the threads that write streams. */
@Configuration
class EventsConfiguration {

  @Bean(initMethod = "start", destroyMethod = "close")
  EventFeed eventFeed(
      @Value("${spring.cloud.stream.kafka.binder.brokers}") String brokers,
      @Value("${easel.gateway.events.buffer:10000}") int buffer) {
    return new EventFeed(brokers, buffer);
  }

  /**
   * Writers block only on their own client; a cached pool gives a stuck one its own thread, and
   * idle threads go after a minute.
   */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService eventStreamWriters() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(
        r -> {
          Thread t = new Thread(r, "event-stream-writer-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService eventStreamHeartbeats() {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "event-stream-heartbeats");
          t.setDaemon(true);
          return t;
        });
  }
}
