package dev.easel.common.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The few properties a service sets to get the backbone.
 *
 * <pre>
 * easel.messaging.context=nodes            # names easel.nodes.events, .commands, .replies
 * easel.messaging.service=node-discovery   # ce_source, relay lock, consumer group
 * </pre>
 */
@ConfigurationProperties("easel.messaging")
public class EaselMessagingProperties {

  /** The bounded context this service owns; it names the service's topics. */
  private String context;

  /** The service name; it becomes {@code ce_source = /easel/<service>}. */
  private String service;

  /** Kafka bootstrap servers; defaults to the Spring Cloud Stream Kafka binder's brokers. */
  private String bootstrapServers;

  private final Relay relay = new Relay();
  private final Saga saga = new Saga();
  private final Inbox inbox = new Inbox();

  public String getContext() {
    return context;
  }

  public void setContext(String context) {
    this.context = context;
  }

  public String getService() {
    return service;
  }

  public void setService(String service) {
    this.service = service;
  }

  public String getBootstrapServers() {
    return bootstrapServers;
  }

  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  public Relay getRelay() {
    return relay;
  }

  public Saga getSaga() {
    return saga;
  }

  public Inbox getInbox() {
    return inbox;
  }

  /** The outbox relay. */
  public static class Relay {
    private boolean enabled = true;
    private int batchSize = 500;
    private int maxInFlight = 4;
    private Duration retention = Duration.ofMinutes(10);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getBatchSize() {
      return batchSize;
    }

    public void setBatchSize(int batchSize) {
      this.batchSize = batchSize;
    }

    public Duration getRetention() {
      return retention;
    }

    public void setRetention(Duration retention) {
      this.retention = retention;
    }

    /** Batches sent and not yet acknowledged at once. */
    public int getMaxInFlight() {
      return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
    }
  }

  /** The saga engine. */
  public static class Saga {
    private Duration deadlinePoll = Duration.ofMillis(250);

    public Duration getDeadlinePoll() {
      return deadlinePoll;
    }

    public void setDeadlinePoll(Duration deadlinePoll) {
      this.deadlinePoll = deadlinePoll;
    }
  }

  /** Inbox housekeeping. */
  public static class Inbox {
    /** Dedupe rows older than this are removed; redelivery older than this is not expected. */
    private Duration retention = Duration.ofDays(7);

    public Duration getRetention() {
      return retention;
    }

    public void setRetention(Duration retention) {
      this.retention = retention;
    }
  }
}
