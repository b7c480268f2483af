package dev.easel.packs.application.port;

import java.util.Optional;

/** The keys bundles may be signed with, configured in pack-manager. */
public interface BundleSignatures {

  /** Whether any trusted key is configured. */
  boolean hasKeys();

  /**
   * The name of the trusted key that made the signature over the bundle's SHA-256, or empty when
   * none did.
   *
   * @param sha256 the bundle's digest, 32 bytes
   * @param signature ECDSA P-256 (DER, or the 64-byte r||s form) or Ed25519 (64 bytes)
   */
  Optional<String> verify(byte[] sha256, byte[] signature);
}
