package dev.easel.common.crypto;

import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.RunPlan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * The secret files of plan steps, sealed to node-discovery's public key for their way through Kafka
 * (ADR 0010): a sender can seal, only node-discovery can open, and no sender can read what another
 * sent.
 *
 * <p>Each value gets a fresh AES-256 key, which seals the content with {@link AesGcm}; the AES key
 * itself travels wrapped with RSA-OAEP (SHA-256, MGF1 with SHA-256) to node-discovery's RSA key of
 * at least {@value #MIN_KEY_BITS} bits. The plan id, step id and path are the associated data, so a
 * sealed value copied to another plan, step or path does not open. A sealed value reads {@value
 * #PREFIX} followed by base64url (no padding) of:
 *
 * <pre>
 *   key id (8 bytes: the start of the SHA-256 of the public key's X.509 encoding)
 *   wrapped key length (2 bytes, big-endian)
 *   wrapped key (RSA-OAEP of the 32-byte AES key)
 *   AES-GCM box ({@link AesGcm}: version, its key id, nonce, ciphertext and tag)
 * </pre>
 *
 * <p>Keys are PEM: the public key {@code -----BEGIN PUBLIC KEY-----} (X.509 SubjectPublicKeyInfo),
 * the private key {@code -----BEGIN PRIVATE KEY-----} (unencrypted PKCS#8), as {@code openssl
 * genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072} and {@code openssl pkey -pubout} write
 * them.
 */
public final class PlanSecrets {

  /** What every sealed value starts with; a value without it was sent in the clear. */
  public static final String PREFIX = "easel-sealed:v1:";

  /** The size of a new key pair, and the smallest key that seals or opens. */
  public static final int MIN_KEY_BITS = 3072;

  /** Senders' property: the PEM file of node-discovery's public plan key. */
  public static final String PUBLIC_KEY_FILE_PROPERTY = "easel.plans.public-key-file";

  /** node-discovery's property: the PEM file of its private plan key. */
  public static final String PRIVATE_KEY_FILE_PROPERTY = "easel.nodes.plan-private-key-file";

  private static final int KEY_ID = 8;
  private static final String RSA = "RSA/ECB/OAEPPadding";
  private static final OAEPParameterSpec OAEP =
      new OAEPParameterSpec(
          "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final SecureRandom RANDOM = new SecureRandom();

  private PlanSecrets() {}

  /** Whether a secret file's value was sealed, rather than sent in the clear. */
  public static boolean isSealed(String value) {
    return value != null && value.startsWith(PREFIX);
  }

  /** Seals to this public key. */
  public static Sealer sealer(PublicKey key) {
    return new Sealer(rsa(key));
  }

  /** Opens what was sealed to the public half of this private key. */
  public static Opener opener(PrivateKey key) {
    if (!(key instanceof RSAPrivateCrtKey crt)) {
      throw new IllegalArgumentException(
          "the plan private key must be an RSA key in PKCS#8 with its public part (as openssl"
              + " genpkey writes it)");
    }
    RSAPublicKey pub = publicOf(crt);
    bits(pub);
    return new Opener(key, keyIdBytes(pub));
  }

  /** A new RSA key pair of {@value #MIN_KEY_BITS} bits. */
  public static KeyPair generateKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(MIN_KEY_BITS, RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is always present", e);
    }
  }

  /** The key id a sealed value names: the start of the SHA-256 of the key's X.509 encoding. */
  public static String keyId(PublicKey key) {
    return HexFormat.of().formatHex(keyIdBytes(key));
  }

  // ---- PEM ----------------------------------------------------------------------------------

  /** {@code -----BEGIN PUBLIC KEY-----}: X.509 SubjectPublicKeyInfo. */
  public static String pem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  /** {@code -----BEGIN PRIVATE KEY-----}: unencrypted PKCS#8. */
  public static String pem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /** An RSA public key from its PEM ({@code -----BEGIN PUBLIC KEY-----}). */
  public static PublicKey publicKey(String pem) {
    try {
      return KeyFactory.getInstance("RSA")
          .generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an RSA public key: " + e.getMessage(), e);
    }
  }

  /** An RSA private key from its PEM ({@code -----BEGIN PRIVATE KEY-----}). */
  public static PrivateKey privateKey(String pem) {
    if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
      throw new IllegalArgumentException(
          "the plan private key is PKCS#1 (BEGIN RSA PRIVATE KEY); convert it to PKCS#8 with"
              + " openssl pkcs8 -topk8 -nocrypt");
    }
    if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new IllegalArgumentException(
          "the plan private key is encrypted; give it unencrypted, in a file only the service"
              + " reads");
    }
    try {
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an RSA private key: " + e.getMessage(), e);
    }
  }

  /**
   * The public key in a PEM file.
   *
   * @throws IllegalStateException when it cannot be read or is not an RSA public key
   */
  public static PublicKey readPublicKey(Path file) {
    try {
      return publicKey(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot read the plan public key " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The private key in a PEM file.
   *
   * @throws IllegalStateException when it cannot be read or is not an RSA private key
   */
  public static PrivateKey readPrivateKey(Path file) {
    try {
      return privateKey(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot read the plan private key " + file + ": " + e.getMessage(), e);
    }
  }

  // ---- what senders call --------------------------------------------------------------------

  /**
   * The step with every secret file sealed for this plan; values sealed already stay as they are.
   */
  public static PlanStep sealed(PlanStep step, String planId, Sealer sealer) {
    if (step == null || step.secretFiles().isEmpty()) {
      return step;
    }
    Map<String, String> files = new LinkedHashMap<>();
    step.secretFiles()
        .forEach(
            (path, content) ->
                files.put(
                    path,
                    isSealed(content) ? content : sealer.seal(planId, step.id(), path, content)));
    return new PlanStep(
        step.id(),
        step.name(),
        step.command(),
        step.action(),
        step.args(),
        step.timeoutSeconds(),
        step.retries(),
        files,
        step.artifacts());
  }

  /** The plan with every step's secret files sealed; a plan without secrets comes back as it is. */
  public static RunPlan sealed(RunPlan plan, Sealer sealer) {
    if (!carriesClearSecrets(plan)) {
      return plan;
    }
    List<PlanStep> steps = new ArrayList<>(plan.steps().size());
    for (PlanStep step : plan.steps()) {
      steps.add(sealed(step, plan.planId(), sealer));
    }
    return new RunPlan(plan.nodeId(), plan.planId(), plan.owner(), steps, plan.replyWhenFinished());
  }

  /** Whether any step of the plan carries a secret file that is not sealed. */
  public static boolean carriesClearSecrets(RunPlan plan) {
    return plan.steps() != null
        && plan.steps().stream()
            .anyMatch(
                s -> s != null && s.secretFiles().values().stream().anyMatch(v -> !isSealed(v)));
  }

  // ---- the two halves ---------------------------------------------------------------------

  /** Seals secret file contents to node-discovery's public key. Thread-safe. */
  public static final class Sealer {

    private final RSAPublicKey key;
    private final byte[] keyId;

    private Sealer(RSAPublicKey key) {
      bits(key);
      this.key = key;
      this.keyId = keyIdBytes(key);
    }

    /** The id of the key this seals to. */
    public String keyId() {
      return HexFormat.of().formatHex(keyId);
    }

    /**
     * Seals one secret file's content, bound to its plan, step and path.
     *
     * @return {@value #PREFIX} and the sealed bytes in base64url
     */
    public String seal(String planId, String stepId, String path, String content) {
      Objects.requireNonNull(planId, "planId");
      Objects.requireNonNull(stepId, "stepId");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(content, "content");
      byte[] contentKey = new byte[32];
      RANDOM.nextBytes(contentKey);
      try {
        Cipher rsa = Cipher.getInstance(RSA);
        rsa.init(Cipher.ENCRYPT_MODE, key, OAEP, RANDOM);
        byte[] wrapped = rsa.doFinal(contentKey);
        byte[] box = new AesGcm(contentKey).seal(content, boundTo(keyId, planId, stepId, path));
        byte[] all =
            ByteBuffer.allocate(KEY_ID + 2 + wrapped.length + box.length)
                .put(keyId)
                .putShort((short) wrapped.length)
                .put(wrapped)
                .put(box)
                .array();
        return PREFIX + B64URL.encodeToString(all);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("could not seal a plan secret", e);
      } finally {
        Arrays.fill(contentKey, (byte) 0);
      }
    }
  }

  /** Opens secret file contents sealed to node-discovery's public key. Thread-safe. */
  public static final class Opener {

    private final PrivateKey key;
    private final byte[] keyId;

    private Opener(PrivateKey key, byte[] keyId) {
      this.key = key;
      this.keyId = keyId;
    }

    /** The id of the key pair this opens for. */
    public String keyId() {
      return HexFormat.of().formatHex(keyId);
    }

    /**
     * Opens one sealed value for the plan, step and path it was sealed for.
     *
     * @throws NotOpened when it is not sealed, is damaged, was altered, was sealed to another key
     *     or belongs to another plan, step or path; the message never holds the content
     */
    public String open(String planId, String stepId, String path, String sealed) {
      if (!isSealed(sealed)) {
        throw new NotOpened("it is not sealed (" + PREFIX + "...)");
      }
      byte[] all;
      try {
        all = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length()));
      } catch (IllegalArgumentException e) {
        throw new NotOpened("it is damaged: not base64url");
      }
      if (all.length < KEY_ID + 2) {
        throw new NotOpened("it is damaged: too short");
      }
      ByteBuffer in = ByteBuffer.wrap(all);
      byte[] id = new byte[KEY_ID];
      in.get(id);
      if (!Arrays.equals(id, keyId)) {
        throw new NotOpened(
            "it was sealed to another plan key ("
                + HexFormat.of().formatHex(id)
                + ", not this node-discovery's "
                + keyId()
                + "): the senders' easel.plans.public-key-file and node-discovery's"
                + " easel.nodes.plan-private-key-file are not one key pair");
      }
      int wrappedLength = Short.toUnsignedInt(in.getShort());
      if (in.remaining() <= wrappedLength) {
        throw new NotOpened("it is damaged: too short");
      }
      byte[] wrapped = new byte[wrappedLength];
      in.get(wrapped);
      byte[] box = new byte[in.remaining()];
      in.get(box);
      byte[] contentKey;
      try {
        Cipher rsa = Cipher.getInstance(RSA);
        rsa.init(Cipher.DECRYPT_MODE, key, OAEP);
        contentKey = rsa.doFinal(wrapped);
      } catch (GeneralSecurityException e) {
        throw new NotOpened("it does not open: it was altered");
      }
      if (contentKey.length != 32) {
        throw new NotOpened("it does not open: it was altered");
      }
      try {
        return new AesGcm(contentKey)
            .open(
                box,
                boundTo(
                    keyId,
                    Objects.toString(planId, ""),
                    Objects.toString(stepId, ""),
                    Objects.toString(path, "")));
      } catch (IllegalStateException e) {
        throw new NotOpened(
            "it does not open: it was altered, or moved from another plan, step or path");
      } finally {
        Arrays.fill(contentKey, (byte) 0);
      }
    }
  }

  /** A sealed value that does not open; the message says why and never holds the content. */
  public static final class NotOpened extends IllegalStateException {
    public NotOpened(String reason) {
      super(reason);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  /**
   * What a value is bound to: the format, the key, and the plan, step and path, each with its
   * length, so that no two different triples read the same.
   */
  private static String boundTo(byte[] keyId, String planId, String stepId, String path) {
    return "easel-sealed:v1|"
        + HexFormat.of().formatHex(keyId)
        + "|"
        + planId.length()
        + ":"
        + planId
        + "|"
        + stepId.length()
        + ":"
        + stepId
        + "|"
        + path.length()
        + ":"
        + path;
  }

  private static RSAPublicKey rsa(PublicKey key) {
    if (!(key instanceof RSAPublicKey r)) {
      throw new IllegalArgumentException("the plan public key must be an RSA key");
    }
    return r;
  }

  private static void bits(RSAPublicKey key) {
    if (key.getModulus().bitLength() < MIN_KEY_BITS) {
      throw new IllegalArgumentException(
          "the plan key has "
              + key.getModulus().bitLength()
              + " bits; it needs at least "
              + MIN_KEY_BITS);
    }
  }

  private static RSAPublicKey publicOf(RSAPrivateCrtKey key) {
    try {
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA")
              .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is always present", e);
    }
  }

  private static byte[] keyIdBytes(PublicKey key) {
    try {
      return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), KEY_ID);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
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

  private static byte[] der(String pem, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("no " + begin + " block");
    }
    String body = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + type + " block is not base64", e);
    }
  }
}
