package dev.easel.compliance.adapters.out.crypto;

import dev.easel.common.crypto.AesGcm;
import dev.easel.compliance.application.port.SecretBox;

/** Backup location credentials sealed with the backbone's AES-256-GCM, bound to their row. */
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
