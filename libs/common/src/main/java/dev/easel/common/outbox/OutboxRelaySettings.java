package dev.easel.common.outbox;

import java.time.Duration;

/**
 * How the relay paces itself.
 *
 * @param batchSize rows per send; large enough to reach the drain goal, small enough that one
 *     failed batch re-sends little
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
    Duration safetyPoll,
    Duration standbyPoll,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration retention,
    Duration cleanupInterval,
    Duration gaugeRefresh) {

  public static OutboxRelaySettings defaults() {
    return new OutboxRelaySettings(
        500,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        Duration.ofMinutes(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5));
  }
}
