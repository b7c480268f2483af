package dev.easel.packs.application.port;

/**
 * Seals secrets for storage (AES-GCM with a key from configuration), bound to the record they
 * belong to, so a sealed value copied to another row does not open.
 */
public interface SecretBox {

  byte[] seal(String secret, String boundTo);

  /**
   * @throws IllegalStateException when the key changed or the value was tampered with
   */
  String open(byte[] sealed, String boundTo);
}
