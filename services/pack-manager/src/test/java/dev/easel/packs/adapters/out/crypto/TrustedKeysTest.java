package dev.easel.packs.adapters.out.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedKeysTest {

  static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static KeyPair ed25519() throws Exception {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  static String pem(KeyPair k) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  @Test
  void anEcdsaSignatureOverTheBundleAsOpensslMakesItVerifies(@TempDir Path dir) throws Exception {
    KeyPair k = ec();
    Files.writeString(dir.resolve("release.pem"), pem(k));
    TrustedKeys keys = TrustedKeys.fromDirectory(dir);
    byte[] bundle = "a bundle".getBytes();
    // openssl dgst -sha256 -sign: SHA256withECDSA over the file, DER-encoded.
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(k.getPrivate());
    s.update(bundle);
    assertThat(keys.verify(sha256(bundle), s.sign())).hasValue("release.pem");
    Signature raw = Signature.getInstance("SHA256withECDSAinP1363Format");
    raw.initSign(k.getPrivate());
    raw.update(bundle);
    assertThat(keys.verify(sha256(bundle), raw.sign())).hasValue("release.pem");
    assertThat(keys.verify(sha256("another".getBytes()), s.sign())).isEmpty();
  }

  @Test
  void anEd25519SignatureOverTheDigestVerifies() throws Exception {
    KeyPair k = ed25519();
    TrustedKeys keys = new TrustedKeys(Map.of("ed", TrustedKeys.parse(pem(k))));
    byte[] digest = sha256("bundle".getBytes());
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(k.getPrivate());
    s.update(digest);
    byte[] sig = s.sign();
    assertThat(keys.verify(digest, sig)).hasValue("ed");
    sig[0] ^= 1;
    assertThat(keys.verify(digest, sig)).isEmpty();
  }

  @Test
  void aSignatureByAnUntrustedKeyOrGarbageDoesNotVerify() throws Exception {
    TrustedKeys keys = new TrustedKeys(Map.of("trusted", ec().getPublic()));
    byte[] digest = sha256("b".getBytes());
    Signature s = Signature.getInstance("NONEwithECDSA");
    s.initSign(ec().getPrivate());
    s.update(digest);
    assertThat(keys.verify(digest, s.sign())).isEmpty();
    assertThat(keys.verify(digest, new byte[] {1, 2, 3})).isEmpty();
  }

  @Test
  void aKeyThatIsNotP256OrEd25519IsRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    assertThatThrownBy(() -> TrustedKeys.parse(pem(g.generateKeyPair())))
        .hasMessageContaining("P-256");
    assertThatThrownBy(() -> TrustedKeys.parse("not a key"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
