package dev.easel.clusters.adapters.out.crypto;

import dev.easel.clusters.application.port.SecretBox;
import dev.easel.common.crypto.AesGcm;

/** The clusters' secrets sealed with the backbone's AES-256-GCM. */
public final class AesGcmSecretBox implements SecretBox {

  private final AesGcm aes;

  public AesGcmSecretBox(AesGcm aes) {
    this.aes = aes;
  }

  @Override
  public byte[] seal(String secret, String boundTo) {
    return aes.seal(secret, boundTo);
  }

  @Override
  public String open(byte[] sealed, String boundTo) {
    return aes.open(sealed, boundTo);
  }
}
