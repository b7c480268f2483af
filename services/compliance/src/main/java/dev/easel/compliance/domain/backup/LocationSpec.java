package dev.easel.compliance.domain.backup;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A backup location as asked for, checked field by field: every problem at once, in the RFC 9457
 * {@code errors} shape. Credentials are checked for their shape here and for whether they work by a
 * real connection.
 */
public record LocationSpec(
    String name,
    Provider provider,
    String bucket,
    String prefix,
    String region,
    String endpoint,
    boolean pathStyle,
    String caCertificate,
    Credentials credentials) {

  /** One problem with a field. */
  public record Problem(String field, String code, String message) {}

  /** Velero names are DNS labels; {@code easel-} goes before the name. */
  static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,55}[a-z0-9])?");

  /** S3's rules, which also fit GCS buckets and Azure containers without dots. */
  static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  static final int MAX_PREFIX = 512;
  static final int MAX_CA = 64 * 1024;
  static final int MAX_SECRET = 16 * 1024;

  /** The prefix as it is kept: no slash at either end. */
  public static String normalizePrefix(String prefix) {
    if (prefix == null) {
      return "";
    }
    String p = prefix.trim();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /**
   * Checks the settings; credentials only when given ({@code credentialsRequired} on create).
   *
   * @param problems where each problem goes
   */
  public void check(boolean credentialsRequired, List<Problem> problems) {
    if (name == null || name.isBlank()) {
      problems.add(new Problem("name", "required", "name is required"));
    } else if (!NAME.matcher(name).matches()) {
      problems.add(
          new Problem(
              "name",
              "invalid",
              "name is 1 to 57 lowercase letters, digits and '-', starting and ending with a letter"
                  + " or digit"));
    }
    if (provider == null) {
      problems.add(new Problem("provider", "invalid", "provider is one of s3, minio, gcs, azure"));
    }
    if (bucket == null || bucket.isBlank()) {
      problems.add(new Problem("bucket", "required", "bucket is required"));
    } else if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      problems.add(
          new Problem(
              "bucket",
              "invalid",
              "bucket is 3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a"
                  + " letter or digit"));
    }
    if (prefix != null
        && (prefix.length() > MAX_PREFIX
            || prefix.contains("..")
            || prefix.contains("//")
            || prefix.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\'))) {
      problems.add(
          new Problem(
              "prefix",
              "invalid",
              "prefix is at most "
                  + MAX_PREFIX
                  + " characters of path segments, without '..', '//', '\\' or control"
                  + " characters"));
    }
    if (region != null && !region.isEmpty() && !region.matches("[a-z0-9-]{1,64}")) {
      problems.add(new Problem("region", "invalid", "region is lowercase letters, digits and '-'"));
    }
    checkEndpoint(problems);
    if (caCertificate != null && !caCertificate.isBlank()) {
      checkCa(caCertificate, problems);
    }
    if (credentials == null) {
      if (credentialsRequired) {
        problems.add(
            new Problem("credentials", "required", "credentials are required: " + needs(provider)));
      }
    } else {
      checkCredentials(problems);
    }
  }

  private void checkEndpoint(List<Problem> problems) {
    if (endpoint == null || endpoint.isBlank()) {
      if (provider == Provider.MINIO) {
        problems.add(
            new Problem(
                "endpoint",
                "required",
                "a MinIO location needs its endpoint, such as http://minio.velero.svc:9000"));
      }
      return;
    }
    try {
      URI u = new URI(endpoint.trim());
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https"))
          || u.getHost() == null
          || u.getUserInfo() != null
          || u.getQuery() != null
          || u.getFragment() != null) {
        throw new URISyntaxException(endpoint, "not an http(s) URL with a host");
      }
    } catch (URISyntaxException e) {
      problems.add(
          new Problem(
              "endpoint",
              "invalid",
              "endpoint is an http or https URL with a host and no credentials, such as"
                  + " https://s3.example.com:9000"));
    }
  }

  private static void checkCa(String pem, List<Problem> problems) {
    if (pem.length() > MAX_CA) {
      problems.add(
          new Problem("caCertificate", "too-large", "caCertificate is at most 64 KiB of PEM"));
      return;
    }
    try {
      var certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certs.isEmpty()) {
        throw new CertificateException("no certificate");
      }
    } catch (CertificateException e) {
      problems.add(
          new Problem(
              "caCertificate",
              "invalid",
              "caCertificate is one or more PEM certificates (-----BEGIN CERTIFICATE-----)"));
    }
  }

  private void checkCredentials(List<Problem> problems) {
    if (provider == null) {
      return;
    }
    boolean fits =
        switch (provider) {
          case S3, MINIO -> credentials instanceof Credentials.AccessKeys;
          case GCS -> credentials instanceof Credentials.ServiceAccount;
          case AZURE -> credentials instanceof Credentials.AzureKey;
        };
    if (!fits) {
      problems.add(new Problem("credentials", "invalid", "credentials are " + needs(provider)));
      return;
    }
    if (credentials instanceof Credentials.AccessKeys k) {
      blankOrLong("credentials.accessKeyId", k.accessKeyId(), problems);
      blankOrLong("credentials.secretAccessKey", k.secretAccessKey(), problems);
    } else if (credentials instanceof Credentials.ServiceAccount s) {
      blankOrLong("credentials.serviceAccountJson", s.json(), problems);
      if (!s.json().isBlank() && !s.json().trim().startsWith("{")) {
        problems.add(
            new Problem(
                "credentials.serviceAccountJson",
                "invalid",
                "serviceAccountJson is a service account's JSON key"));
      }
    } else if (credentials instanceof Credentials.AzureKey a) {
      blankOrLong("credentials.accountName", a.accountName(), problems);
      blankOrLong("credentials.accountKey", a.accountKey(), problems);
    }
  }

  private static void blankOrLong(String field, String value, List<Problem> problems) {
    if (value == null || value.isBlank()) {
      problems.add(new Problem(field, "required", field + " is required"));
    } else if (value.length() > MAX_SECRET
        || value.indexOf('\0') >= 0
        || value.contains("\n") && !field.endsWith("Json")) {
      problems.add(new Problem(field, "invalid", field + " is one line of at most 16 KiB"));
    }
  }

  /** What each provider's credentials are. */
  static String needs(Provider p) {
    if (p == null) {
      return "accessKeyId and secretAccessKey (s3, minio), serviceAccountJson (gcs), or"
          + " accountName and accountKey (azure)";
    }
    return switch (p) {
      case S3, MINIO -> "accessKeyId and secretAccessKey";
      case GCS -> "serviceAccountJson";
      case AZURE -> "accountName and accountKey";
    };
  }

  /** The credentials given in a request's {@code credentials} object, or null when none. */
  public static Credentials credentials(Provider p, Map<String, String> c) {
    if (c == null || c.isEmpty()) {
      return null;
    }
    if (c.containsKey("serviceAccountJson") || p == Provider.GCS) {
      return new Credentials.ServiceAccount(nz(c.get("serviceAccountJson")));
    }
    if (c.containsKey("accountName") || c.containsKey("accountKey") || p == Provider.AZURE) {
      return new Credentials.AzureKey(nz(c.get("accountName")), nz(c.get("accountKey")));
    }
    return new Credentials.AccessKeys(nz(c.get("accessKeyId")), nz(c.get("secretAccessKey")));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
