package dev.easel.nodes.adapters.out.crypto;

import dev.easel.common.crypto.AesGcm;
import dev.easel.nodes.application.port.Sealer;

/**
 * Plan step secrets sealed with the backbone's AES-256-GCM, or, without a configured key, no
 * sealing at all: plans that carry secrets are then refused rather than stored in the clear.
 */
public final class AesGcmSealer implements Sealer {

  private final AesGcm aes;

  private AesGcmSealer(AesGcm aes) {
    this.aes = aes;
  }

  public static AesGcmSealer with(AesGcm aes) {
    return new AesGcmSealer(aes);
  }

  public static AesGcmSealer none() {
    return new AesGcmSealer(null);
  }

  @Override
  public boolean available() {
    return aes != null;
  }

  @Override
  public byte[] seal(String secret, String boundTo) {
    return key().seal(secret, boundTo);
  }

  @Override
  public String open(byte[] sealed, String boundTo) {
    return key().open(sealed, boundTo);
  }

  private AesGcm key() {
    if (aes == null) {
      throw new IllegalStateException("node-discovery has no secret key configured");
    }
    return aes;
  }
}
