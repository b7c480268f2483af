package dev.easel.packs.adapters.out.crypto;

import dev.easel.packs.application.port.BundleSignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Trusted public keys for bundle signatures, read from PEM files ({@code -----BEGIN PUBLIC
 * KEY-----}, as {@code openssl pkey -pubout} writes them): ECDSA on P-256, or Ed25519. A key's name
 * is its file name.
 *
 * <p>What is signed is the bundle's SHA-256. For ECDSA that is exactly what {@code openssl dgst
 * -sha256 -sign key.pem -out bundle.sig bundle} produces; for Ed25519, which signs messages whole,
 * the message is the 32 bytes of the digest ({@code openssl pkeyutl -sign -rawin -in digest.bin}).
 */
public final class TrustedKeys implements BundleSignatures {

  private final Map<String, PublicKey> keys;

  public TrustedKeys(Map<String, PublicKey> keys) {
    this.keys = new LinkedHashMap<>(keys);
  }

  /** Reads every {@code *.pem} file of a directory; a file that is not such a key stops startup. */
  public static TrustedKeys fromDirectory(Path dir) {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return new TrustedKeys(keys);
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(".pem")).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the trusted keys in " + dir, e);
    }
    for (Path f : files) {
      try {
        keys.put(f.getFileName().toString(), parse(Files.readString(f, StandardCharsets.US_ASCII)));
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalStateException("trusted key " + f + ": " + e.getMessage(), e);
      }
    }
    return new TrustedKeys(keys);
  }

  /** A public key from PEM: EC P-256 or Ed25519. */
  public static PublicKey parse(String pem) {
    String body =
        pem.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a PEM public key");
    }
    for (String algorithm : List.of("EC", "Ed25519")) {
      try {
        PublicKey k = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        if (k instanceof ECPublicKey ec
            && ec.getParams().getCurve().getField().getFieldSize() != 256) {
          throw new IllegalArgumentException("only P-256 EC keys are accepted");
        }
        return k;
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("not an ECDSA P-256 or Ed25519 public key");
  }

  @Override
  public boolean hasKeys() {
    return !keys.isEmpty();
  }

  @Override
  public Optional<String> verify(byte[] sha256, byte[] signature) {
    for (Map.Entry<String, PublicKey> e : keys.entrySet()) {
      if (verifies(e.getValue(), sha256, signature)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  private static boolean verifies(PublicKey key, byte[] sha256, byte[] signature) {
    List<String> algorithms =
        key instanceof ECPublicKey
            ? (signature.length == 64
                ? List.of("NONEwithECDSAinP1363Format", "NONEwithECDSA")
                : List.of("NONEwithECDSA"))
            : List.of("Ed25519");
    for (String algorithm : algorithms) {
      try {
        Signature s = Signature.getInstance(algorithm);
        s.initVerify(key);
        s.update(sha256);
        if (s.verify(signature)) {
          return true;
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // a malformed signature does not verify
      }
    }
    return false;
  }
}
