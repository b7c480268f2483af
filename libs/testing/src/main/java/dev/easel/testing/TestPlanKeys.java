package dev.easel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * node-discovery's plan key pair for tests, one per JVM (ADR 0010): the private key in PEM for
 * node-discovery ({@link #nodeDiscoveryProperties()}), the public key in PEM for the services that
 * send plans ({@link #senderProperties()}), so that every test runs with plan secrets sealed on
 * their way through Kafka.
 *
 * <p>The contract is {@code dev.easel.common.crypto.PlanSecrets}; this library depends on no other,
 * so it repeats the property names and the PEM forms, and libs/common's tests hold the two alike.
 * The devstack makes its key pair with {@link #writeNewPair(Path, Path)} too.
 */
public final class TestPlanKeys {

  public static final String PRIVATE_KEY_FILE_PROPERTY = "easel.nodes.plan-private-key-file";
  public static final String PUBLIC_KEY_FILE_PROPERTY = "easel.plans.public-key-file";
  public static final int KEY_BITS = 3072;

  private static final Object LOCK = new Object();
  private static volatile Path dir;

  private TestPlanKeys() {}

  /** The private key's PEM file ({@code -----BEGIN PRIVATE KEY-----}, PKCS#8), mode 0600. */
  public static Path privateKeyFile() {
    return dir().resolve("plans.key");
  }

  /** The public key's PEM file ({@code -----BEGIN PUBLIC KEY-----}, X.509). */
  public static Path publicKeyFile() {
    return dir().resolve("plans.pub");
  }

  /** {@code easel.nodes.plan-private-key-file}, for node-discovery under test. */
  public static Map<String, String> nodeDiscoveryProperties() {
    return Map.of(PRIVATE_KEY_FILE_PROPERTY, privateKeyFile().toString());
  }

  /** {@code easel.plans.public-key-file}, for a service under test that sends plans. */
  public static Map<String, String> senderProperties() {
    return Map.of(PUBLIC_KEY_FILE_PROPERTY, publicKeyFile().toString());
  }

  /** {@code --easel.nodes.plan-private-key-file=...}, for node-discovery started as a process. */
  public static String nodeDiscoveryArgument() {
    return "--" + PRIVATE_KEY_FILE_PROPERTY + "=" + privateKeyFile();
  }

  /** {@code --easel.plans.public-key-file=...}, for a sender started as a process. */
  public static String senderArgument() {
    return "--" + PUBLIC_KEY_FILE_PROPERTY + "=" + publicKeyFile();
  }

  /**
   * Writes a new RSA key pair of {@value #KEY_BITS} bits: the private key readable by its owner
   * only, each file written whole before it appears under its name.
   */
  public static void writeNewPair(Path privateKeyFile, Path publicKeyFile) throws IOException {
    KeyPair pair;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(KEY_BITS);
      pair = g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is always present", e);
    }
    write(privateKeyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), "rw-------");
    write(publicKeyFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), "rw-r--r--");
  }

  private static Path dir() {
    Path d = dir;
    if (d == null) {
      synchronized (LOCK) {
        d = dir;
        if (d == null) {
          try {
            d = Files.createTempDirectory("easel-plan-keys-");
            // Deleted in the reverse order of these calls: the files, then the directory.
            d.toFile().deleteOnExit();
            d.resolve("plans.key").toFile().deleteOnExit();
            d.resolve("plans.pub").toFile().deleteOnExit();
            writeNewPair(d.resolve("plans.key"), d.resolve("plans.pub"));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          dir = d;
        }
      }
    }
    return d;
  }

  private static void write(Path file, String text, String mode) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
