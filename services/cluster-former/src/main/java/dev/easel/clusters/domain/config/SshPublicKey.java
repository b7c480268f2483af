package dev.easel.clusters.domain.config;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.EllipticCurve;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * An OpenSSH public key as one line of {@code authorized_keys}: {@code type base64 [comment]}. The
 * key data is decoded and checked, so that a key pasted with a missing character is refused here
 * rather than found unusable on a node that nobody can log in to.
 *
 * <p>Accepted: {@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, {@code -nistp384} and {@code
 * -nistp521}, and {@code ssh-rsa} of 2048 bits or more. DSA is refused (OpenSSH has disabled it
 * since 7.0), as are certificates, security-key types and options before the type.
 *
 * @param type the key type, such as {@code ssh-ed25519}
 * @param bits the key size as {@code ssh-keygen -l} prints it: 256 for Ed25519, the curve size for
 *     ECDSA, the modulus length for RSA
 * @param comment the text after the key data, or empty
 * @param fingerprint {@code SHA256:} and the unpadded base64 of the SHA-256 of the key data
 * @param encoded the key data in base64, as given
 */
public record SshPublicKey(
    String type, int bits, String comment, String fingerprint, String encoded) {

  public static final int MIN_RSA_BITS = 2048;

  /** OpenSSH's own ceiling ({@code SSH_RSA_MAXIMUM_MODULUS_SIZE}). */
  public static final int MAX_RSA_BITS = 16384;

  /** Far above a 16384-bit RSA key's line; it bounds the work done on pasted input. */
  public static final int MAX_LINE_LENGTH = 16384;

  private static final int ED25519_KEY_BYTES = 32;

  /** ECDSA key types, the curve name the key data repeats, and the JDK's name for the curve. */
  private static final Map<String, Curve> CURVES =
      Map.of(
          "ecdsa-sha2-nistp256", new Curve("nistp256", "secp256r1", 256),
          "ecdsa-sha2-nistp384", new Curve("nistp384", "secp384r1", 384),
          "ecdsa-sha2-nistp521", new Curve("nistp521", "secp521r1", 521));

  private record Curve(String sshName, String jdkName, int bits) {}

  /**
   * Parses and checks one {@code authorized_keys} line.
   *
   * @throws IllegalArgumentException with a message fit for the user, if the key is refused
   */
  public static SshPublicKey parse(String line) {
    if (line == null || line.isBlank()) {
      throw new IllegalArgumentException("an SSH public key is required");
    }
    if (line.length() > MAX_LINE_LENGTH) {
      throw new IllegalArgumentException(
          "the key is longer than " + MAX_LINE_LENGTH + " characters");
    }
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("give one key per entry, on a single line");
    }
    String[] parts = line.strip().split("[ \t]+", 3);
    String type = parts[0];
    checkType(type);
    if (parts.length < 2) {
      throw new IllegalArgumentException("the key data after '" + type + "' is missing");
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the key data is not valid base64; was the key copied whole?", e);
    }
    int bits = checkBlob(type, blob);
    String comment = parts.length > 2 ? parts[2].strip() : "";
    return new SshPublicKey(type, bits, comment, fingerprintOf(blob), parts[1]);
  }

  /** The line to write into {@code authorized_keys}. */
  public String authorizedKeysLine() {
    return comment.isEmpty() ? type + " " + encoded : type + " " + encoded + " " + comment;
  }

  private static void checkType(String type) {
    if (type.equals("ssh-dss")) {
      throw new IllegalArgumentException(
          "DSA keys (ssh-dss) are not accepted: OpenSSH has disabled them; use ssh-ed25519");
    }
    if (!type.equals("ssh-ed25519") && !type.equals("ssh-rsa") && !CURVES.containsKey(type)) {
      throw new IllegalArgumentException(
          Texts.quote(type)
              + " is not a supported key type; use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or"
              + " ssh-rsa of at least "
              + MIN_RSA_BITS
              + " bits, without options before the type");
    }
  }

  /** Checks the wire format of the key data against its type, and returns the key size. */
  private static int checkBlob(String type, byte[] blob) {
    Wire wire = new Wire(blob);
    String inner = wire.text();
    if (!inner.equals(type)) {
      throw new IllegalArgumentException(
          "the key type '"
              + type
              + "' does not match the key data, which holds "
              + Texts.quote(inner));
    }
    int bits;
    if (type.equals("ssh-ed25519")) {
      byte[] key = wire.bytes();
      if (key.length != ED25519_KEY_BYTES) {
        throw new IllegalArgumentException(
            "an Ed25519 key is " + ED25519_KEY_BYTES + " bytes, this one " + key.length);
      }
      bits = 256;
    } else if (type.equals("ssh-rsa")) {
      bits = checkRsa(wire.mpint(), wire.mpint());
    } else {
      Curve curve = CURVES.get(type);
      String curveName = wire.text();
      if (!curveName.equals(curve.sshName())) {
        throw new IllegalArgumentException(
            "the key type '"
                + type
                + "' does not match the curve in the key data, "
                + Texts.quote(curveName));
      }
      checkPoint(curve, wire.bytes());
      bits = curve.bits();
    }
    if (wire.remaining() > 0) {
      throw new IllegalArgumentException("the key data has unexpected bytes after the key");
    }
    return bits;
  }

  private static int checkRsa(BigInteger exponent, BigInteger modulus) {
    if (exponent.compareTo(BigInteger.valueOf(3)) < 0 || !exponent.testBit(0)) {
      throw new IllegalArgumentException("the RSA public exponent is not valid");
    }
    if (modulus.signum() <= 0 || !modulus.testBit(0)) {
      throw new IllegalArgumentException("the RSA modulus is not valid");
    }
    int bits = modulus.bitLength();
    if (bits < MIN_RSA_BITS) {
      throw new IllegalArgumentException(
          "the RSA key has "
              + bits
              + " bits; at least "
              + MIN_RSA_BITS
              + " are required (or use ssh-ed25519)");
    }
    if (bits > MAX_RSA_BITS) {
      throw new IllegalArgumentException(
          "the RSA key has " + bits + " bits; OpenSSH accepts at most " + MAX_RSA_BITS);
    }
    return bits;
  }

  /** The point must be uncompressed ({@code 04 || X || Y}) and on the curve, as OpenSSH checks. */
  private static void checkPoint(Curve curve, byte[] point) {
    int size = (curve.bits() + 7) / 8;
    if (point.length != 1 + 2 * size || point[0] != 0x04) {
      throw new IllegalArgumentException(
          "the ECDSA key is not an uncompressed " + curve.sshName() + " point");
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + size));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 1 + size, point.length));
    EllipticCurve params = curveParameters(curve);
    BigInteger p = ((ECFieldFp) params.getField()).getP();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      throw new IllegalArgumentException("the ECDSA key is not a point on " + curve.sshName());
    }
    BigInteger left = y.multiply(y).mod(p);
    BigInteger right = x.pow(3).add(params.getA().multiply(x)).add(params.getB()).mod(p);
    if (!left.equals(right)) {
      throw new IllegalArgumentException("the ECDSA key is not a point on " + curve.sshName());
    }
  }

  private static EllipticCurve curveParameters(Curve curve) {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(curve.jdkName()));
      return parameters.getParameterSpec(ECParameterSpec.class).getCurve();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks the NIST curve " + curve.jdkName(), e);
    }
  }

  private static String fingerprintOf(byte[] blob) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Reads the SSH wire format (RFC 4251 section 5): length-prefixed strings and mpints. */
  private static final class Wire {
    private final byte[] data;
    private int position;

    Wire(byte[] data) {
      this.data = data;
    }

    int remaining() {
      return data.length - position;
    }

    byte[] bytes() {
      if (remaining() < 4) {
        throw truncated();
      }
      long length =
          ((data[position] & 0xffL) << 24)
              | ((data[position + 1] & 0xffL) << 16)
              | ((data[position + 2] & 0xffL) << 8)
              | (data[position + 3] & 0xffL);
      position += 4;
      if (length > remaining()) {
        throw truncated();
      }
      byte[] value = Arrays.copyOfRange(data, position, position + (int) length);
      position += (int) length;
      return value;
    }

    String text() {
      return new String(bytes(), StandardCharsets.US_ASCII);
    }

    BigInteger mpint() {
      byte[] value = bytes();
      if (value.length == 0) {
        return BigInteger.ZERO;
      }
      BigInteger number = new BigInteger(value);
      if (number.signum() < 0) {
        throw new IllegalArgumentException("the key data holds a negative number");
      }
      return number;
    }

    private static IllegalArgumentException truncated() {
      return new IllegalArgumentException("the key data is truncated; was the key copied whole?");
    }
  }
}
