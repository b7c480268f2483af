package dev.easel.common.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM. A sealed value is {@code version (1) | key id (4) | nonce (12) | ciphertext and
 * tag}, with the record it belongs to as associated data, so a value moved to another record does
 * not open. The key id (the first bytes of the key's SHA-256) tells a changed key from a tampered
 * value.
 */
public final class AesGcm {

  private static final byte VERSION = 1;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final byte[] keyId;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param key 32 bytes
   */
  public AesGcm(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "the secret key must be 32 bytes (256 bits), base64-encoded; it is " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
    try {
      this.keyId = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key), 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Seals a secret, bound to the record it belongs to. */
  public byte[] seal(String secret, String boundTo) {
    try {
      byte[] nonce = new byte[NONCE];
      random.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + keyId.length + NONCE + sealed.length)
          .put(VERSION)
          .put(keyId)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not seal a secret", e);
    }
  }

  /**
   * Opens a sealed secret bound to the same record.
   *
   * @throws IllegalStateException when the key changed or the value was altered or moved
   */
  public String open(byte[] sealed, String boundTo) {
    if (sealed.length < 1 + keyId.length + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw new IllegalStateException("a sealed secret is damaged");
    }
    if (!Arrays.equals(keyId, Arrays.copyOfRange(sealed, 1, 1 + keyId.length))) {
      throw new IllegalStateException(
          "a secret was sealed with another key: the configured secret key changed");
    }
    try {
      int from = 1 + keyId.length;
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, from, from + NONCE)));
      c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
      return new String(
          c.doFinal(sealed, from + NONCE, sealed.length - from - NONCE), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException("a sealed secret does not open: it was altered or moved");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not open a secret", e);
    }
  }

  /**
   * The key a service seals its secrets with: {@code <prefix>.secret-key} (base64) or the file
   * named by {@code <prefix>.secret-key-file} (base64, as the devstack writes it).
   *
   * @param key the base64 key, or blank
   * @param keyFile a file holding it, or blank
   * @param prefix the properties' prefix, such as {@code easel.packs}, for the messages
   * @param purpose what the key protects, for the messages
   * @throws IllegalStateException when there is no key, or it is not 32 bytes of base64
   */
  public static AesGcm load(String key, String keyFile, String prefix, String purpose) {
    String text = key == null ? "" : key;
    if (text.isBlank() && keyFile != null && !keyFile.isBlank()) {
      try {
        text = Files.readString(Path.of(keyFile), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + prefix + ".secret-key-file " + keyFile, e);
      }
    }
    if (text.isBlank()) {
      throw new IllegalStateException(
          "a secret key is needed to seal "
              + purpose
              + ": set "
              + prefix
              + ".secret-key-file to a file holding 32 random bytes in base64 (for example:"
              + " head -c 32 /dev/urandom | base64 > secret.key)");
    }
    try {
      return new AesGcm(Base64.getDecoder().decode(text.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the " + prefix + " secret key: " + e.getMessage(), e);
    }
  }
}
