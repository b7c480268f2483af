package dev.easel.clusters.domain.config;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.Base64;

/** Real keys from the JDK, written out in OpenSSH's wire format as ssh-keygen would. */
final class OpenSshKeys {

  private OpenSshKeys() {}

  static PublicKey ed25519() {
    return generate("Ed25519", null, 0);
  }

  static PublicKey ecP256() {
    return generate("EC", "secp256r1", 0);
  }

  static PublicKey ecP384() {
    return generate("EC", "secp384r1", 0);
  }

  static PublicKey rsa(int bits) {
    return generate("RSA", null, bits);
  }

  /** The {@code authorized_keys} line of a key. */
  static String line(PublicKey key, String comment) {
    String type = typeOf(key);
    String line = type + " " + Base64.getEncoder().encodeToString(blob(key));
    return comment == null ? line : line + " " + comment;
  }

  static String typeOf(PublicKey key) {
    if (key instanceof EdECPublicKey) {
      return "ssh-ed25519";
    }
    if (key instanceof RSAPublicKey) {
      return "ssh-rsa";
    }
    return "ecdsa-sha2-" + curveName((ECPublicKey) key);
  }

  /** The key data: the type, then the type's fields, each length-prefixed (RFC 4251). */
  static byte[] blob(PublicKey key) {
    Writer out = new Writer();
    out.string(typeOf(key));
    if (key instanceof EdECPublicKey) {
      // The X.509 encoding of an Ed25519 key ends with the 32 raw key bytes.
      byte[] spki = key.getEncoded();
      out.bytes(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    } else if (key instanceof RSAPublicKey) {
      RSAPublicKey rsa = (RSAPublicKey) key;
      out.mpint(rsa.getPublicExponent());
      out.mpint(rsa.getModulus());
    } else {
      ECPublicKey ec = (ECPublicKey) key;
      int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
      ECPoint w = ec.getW();
      out.string(curveName(ec));
      byte[] point = new byte[1 + 2 * size];
      point[0] = 0x04;
      copyUnsigned(w.getAffineX(), point, 1, size);
      copyUnsigned(w.getAffineY(), point, 1 + size, size);
      out.bytes(point);
    }
    return out.toByteArray();
  }

  /** A line whose key data is built from the given fields, to forge bad keys. */
  static String forged(String textType, Writer blob) {
    return textType + " " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " forged";
  }

  private static String curveName(ECPublicKey key) {
    int bits = key.getParams().getCurve().getField().getFieldSize();
    return "nistp" + bits;
  }

  private static void copyUnsigned(BigInteger value, byte[] target, int offset, int size) {
    byte[] raw = value.toByteArray();
    int start = Math.max(0, raw.length - size);
    int length = raw.length - start;
    System.arraycopy(raw, start, target, offset + size - length, length);
  }

  private static PublicKey generate(String algorithm, String curve, int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (curve != null) {
        generator.initialize(new ECGenParameterSpec(curve));
      } else if (bits > 0) {
        generator.initialize(bits);
      }
      return generator.generateKeyPair().getPublic();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the SSH wire format. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer string(String value) {
      return bytes(value.getBytes(StandardCharsets.US_ASCII));
    }

    Writer bytes(byte[] value) {
      return length(value.length).raw(value);
    }

    Writer mpint(BigInteger value) {
      // BigInteger's two's-complement bytes are exactly an SSH mpint.
      return bytes(value.signum() == 0 ? new byte[0] : value.toByteArray());
    }

    Writer length(int length) {
      out.write(length >>> 24);
      out.write(length >>> 16);
      out.write(length >>> 8);
      out.write(length);
      return this;
    }

    Writer raw(byte[] value) {
      out.write(value, 0, value.length);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
