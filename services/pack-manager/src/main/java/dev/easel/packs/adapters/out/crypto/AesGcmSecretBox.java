package dev.easel.packs.adapters.out.crypto;

import dev.easel.packs.application.port.SecretBox;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
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
public final class AesGcmSecretBox implements SecretBox {

  private static final byte VERSION = 1;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final byte[] keyId;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param key 32 bytes
   */
  public AesGcmSecretBox(byte[] key) {
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

  @Override
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

  @Override
  public String open(byte[] sealed, String boundTo) {
    if (sealed.length < 1 + keyId.length + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw new IllegalStateException("a sealed secret is damaged");
    }
    if (!Arrays.equals(keyId, Arrays.copyOfRange(sealed, 1, 1 + keyId.length))) {
      throw new IllegalStateException(
          "a secret was sealed with another key: the configured secret key changed; set the"
              + " registry's password again");
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
}
