package dev.easel.common.outbox;

import java.time.Duration;

/**
 * How the relay paces itself.
 *
 * @param batchSize rows per send; large enough to reach the drain goal, small enough that one
 *     failed batch re-sends little
 * @param maxInFlight batches sent and not yet acknowledged; while one waits for the broker, the
 *     next is read and handed to the producer, which writes them in order
 * @param ackTimeout the longest wait for a batch's acknowledgements before the producer is reset
 * @param leaderNetworkTimeout the longest a statement on the lock connection may wait for
 *     PostgreSQL; a half-open connection then ends the lead instead of hanging it
 * @param safetyPoll the longest wait for a notification before looking anyway
 * @param standbyPoll how often a standby instance tries to become the relay
 * @param initialBackoff first pause after the broker refused a batch
 * @param maxBackoff the longest pause while the broker stays down
 * @param retention how long published rows stay, for inspection, before cleanup
 * @param cleanupInterval how often published rows are cleaned up
 * @param gaugeRefresh how often the unpublished-count and oldest-age gauges are refreshed
 */
public record OutboxRelaySettings(
    int batchSize,
    int maxInFlight,
    Duration ackTimeout,
    Duration leaderNetworkTimeout,
    Duration safetyPoll,
    Duration standbyPoll,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration retention,
    Duration cleanupInterval,
    Duration gaugeRefresh) {

  public OutboxRelaySettings {
    if (batchSize < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("batchSize and maxInFlight must be at least 1");
    }
  }

  public static OutboxRelaySettings defaults() {
    return new OutboxRelaySettings(
        500,
        4,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        Duration.ofMinutes(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5));
  }

  /** The same settings with another batch size. */
  public OutboxRelaySettings withBatchSize(int n) {
    return new OutboxRelaySettings(
        n,
        maxInFlight,
        ackTimeout,
        leaderNetworkTimeout,
        safetyPoll,
        standbyPoll,
        initialBackoff,
        maxBackoff,
        retention,
        cleanupInterval,
        gaugeRefresh);
  }
}
