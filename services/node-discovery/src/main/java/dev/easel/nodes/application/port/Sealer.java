package dev.easel.nodes.application.port;

/**
 * Seals the secret files of plan steps for storage, bound to the step and path they belong to, so a
 * sealed value copied to another row does not open.
 */
public interface Sealer {

  /** Whether a key is configured; without one, plans that carry secrets are refused. */
  boolean available();

  byte[] seal(String secret, String boundTo);

  /**
   * @throws IllegalStateException when the key changed or the value was altered or moved
   */
  String open(byte[] sealed, String boundTo);
}
