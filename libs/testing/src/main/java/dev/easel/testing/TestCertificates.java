package dev.easel.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * EC P-256 certificates for test servers, made with the JDK alone: a private CA, the server
 * certificates it signs, and the PEM that servers written in Go read.
 *
 * <p>The JDK can sign but has no public API to build a certificate, so the few DER structures of
 * RFC 5280 that a CA and a TLS server need are written here by hand. Go's {@code crypto/x509} is
 * the strict reader that matters: the signature algorithm carries no parameters, the serial is
 * positive, and the issuer name is byte for byte the CA's subject.
 */
final class TestCertificates {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] ECDSA_WITH_SHA256 = oid("1.2.840.10045.4.3.2");
  private static final byte[] COMMON_NAME = oid("2.5.4.3");
  private static final byte[] BASIC_CONSTRAINTS = oid("2.5.29.19");
  private static final byte[] KEY_USAGE = oid("2.5.29.15");
  private static final byte[] EXTENDED_KEY_USAGE = oid("2.5.29.37");
  private static final byte[] SUBJECT_ALT_NAME = oid("2.5.29.17");
  private static final byte[] SERVER_AUTH = oid("1.3.6.1.5.5.7.3.1");
  private static final int DIGITAL_SIGNATURE = 0x80;
  private static final int KEY_CERT_SIGN = 0x04;
  private static final int CRL_SIGN = 0x02;
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  /** How long a test certificate lives; a test JVM that outlives it has other problems. */
  private static final Duration VALIDITY = Duration.ofDays(7);

  private TestCertificates() {}

  /** A key pair with its certificate. */
  record Issued(KeyPair keys, X509Certificate certificate) {

    String certificatePem() {
      try {
        return pem("CERTIFICATE", certificate.getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** PKCS#8, which Go's {@code tls.LoadX509KeyPair} reads for EC keys. */
    String privateKeyPem() {
      return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }
  }

  /** A self-signed CA certificate; also fit to sign tokens, since its chain is itself. */
  static Issued selfSignedCa(String commonName) {
    KeyPair keys = newKeyPair();
    byte[] name = name(commonName);
    List<byte[]> extensions =
        List.of(
            extension(BASIC_CONSTRAINTS, true, seq(bool(true))),
            extension(KEY_USAGE, true, keyUsage(DIGITAL_SIGNATURE | KEY_CERT_SIGN | CRL_SIGN)));
    return new Issued(keys, sign(name, keys.getPrivate(), name, keys, extensions));
  }

  /** A TLS server certificate signed by {@code ca}, valid for the given names and addresses. */
  static Issued serverCertificate(
      Issued ca, String commonName, List<String> dnsNames, List<InetAddress> addresses) {
    KeyPair keys = newKeyPair();
    List<byte[]> altNames = new ArrayList<>();
    for (String dns : dnsNames) {
      altNames.add(tlv(0x82, dns.getBytes(StandardCharsets.US_ASCII)));
    }
    for (InetAddress address : addresses) {
      altNames.add(tlv(0x87, address.getAddress()));
    }
    List<byte[]> extensions =
        List.of(
            extension(KEY_USAGE, true, keyUsage(DIGITAL_SIGNATURE)),
            extension(EXTENDED_KEY_USAGE, false, seq(SERVER_AUTH)),
            extension(SUBJECT_ALT_NAME, false, seq(altNames.toArray(new byte[0][]))));
    byte[] issuer = ca.certificate().getSubjectX500Principal().getEncoded();
    return new Issued(
        keys, sign(issuer, ca.keys().getPrivate(), name(commonName), keys, extensions));
  }

  /** An {@link SSLContext} whose only trust anchor is {@code ca}. */
  static SSLContext trusting(X509Certificate ca) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("easel-test-ca", ca);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(
      byte[] issuer, PrivateKey issuerKey, byte[] subject, KeyPair subjectKeys, List<byte[]> exts) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    byte[] algorithm = seq(ECDSA_WITH_SHA256);
    byte[] tbs =
        seq(
            explicit(0, integer(BigInteger.valueOf(2))),
            integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
            algorithm,
            issuer,
            seq(utcTime(now.minus(Duration.ofHours(1))), utcTime(now.plus(VALIDITY))),
            subject,
            subjectKeys.getPublic().getEncoded(),
            explicit(3, seq(exts.toArray(new byte[0][]))));
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(issuerKey);
      signer.update(tbs);
      byte[] der = seq(tbs, algorithm, bitString(signer.sign(), 0));
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] name(String commonName) {
    return seq(set(seq(COMMON_NAME, tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] extension(byte[] id, boolean critical, byte[] value) {
    return critical ? seq(id, bool(true), tlv(0x04, value)) : seq(id, tlv(0x04, value));
  }

  /** A one-byte KeyUsage bit string; DER drops the trailing zero bits. */
  private static byte[] keyUsage(int bits) {
    return bitString(new byte[] {(byte) bits}, Integer.numberOfTrailingZeros(bits));
  }

  private static byte[] bitString(byte[] bits, int unusedBits) {
    byte[] content = new byte[bits.length + 1];
    content[0] = (byte) unusedBits;
    System.arraycopy(bits, 0, content, 1, bits.length);
    return tlv(0x03, content);
  }

  private static byte[] utcTime(Instant instant) {
    return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] bool(boolean value) {
    return tlv(0x01, new byte[] {(byte) (value ? 0xff : 0x00)});
  }

  private static byte[] explicit(int tagNumber, byte[] inner) {
    return tlv(0xa0 | tagNumber, inner);
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, parts);
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, parts);
  }

  private static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      base128(out, Long.parseLong(arcs[i]));
    }
    return tlv(0x06, out.toByteArray());
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int i = groups - 1; i >= 0; i--) {
      int group = (int) ((value >>> (7 * i)) & 0x7f);
      out.write(i == 0 ? group : group | 0x80);
    }
  }

  private static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      int octets = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | octets);
      for (int i = octets - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
