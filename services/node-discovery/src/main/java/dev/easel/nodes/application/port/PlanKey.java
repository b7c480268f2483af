package dev.easel.nodes.application.port;

/**
 * node-discovery's private plan key (ADR 0010): senders seal the secret files of their plans to its
 * public half, so that no Kafka topic holds them in the clear, and only node-discovery opens them.
 */
public interface PlanKey {

  /** Whether a private key is configured; then every secret file must arrive sealed. */
  boolean configured();

  /** Whether a value was sealed by a sender, rather than sent in the clear. */
  boolean isSealed(String value);

  /**
   * Opens a sealed value for the plan, step and path it was sealed for.
   *
   * @throws IllegalStateException when there is no key, or the value was altered, sealed to another
   *     key or moved from another plan, step or path; the message never holds the content
   */
  String open(String planId, String stepId, String path, String sealed);
}
