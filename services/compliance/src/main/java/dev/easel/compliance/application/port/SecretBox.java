package dev.easel.compliance.application.port;

/** Seals secrets at rest, bound to what they belong to, so a sealed value cannot be moved. */
public interface SecretBox {

  byte[] seal(String secret, String boundTo);

  /**
   * @throws IllegalStateException when it was not sealed with this key for {@code boundTo}
   */
  String open(byte[] sealed, String boundTo);
}
