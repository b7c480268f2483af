package dev.easel.packs.domain;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of a registry as an operator gives them, before they are stored: every check that
 * needs no network. The outbound address rules (no link-local or metadata addresses) need name
 * resolution and live with the adapter that connects.
 */
public record RegistrySpec(
    String name,
    String kind,
    String endpoint,
    String baseContentPath,
    String username,
    String password,
    String caCertificate,
    Boolean insecureSkipTlsVerify,
    Integer syncIntervalSeconds) {

  public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** OCI repository path components, as the distribution spec allows them. */
  public static final Pattern PATH =
      Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");

  public static final int DEFAULT_SYNC_INTERVAL = 3600;
  public static final int MIN_SYNC_INTERVAL = 60;
  public static final int MAX_SYNC_INTERVAL = 7 * 24 * 3600;

  /** Never prints the password. */
  @Override
  public String toString() {
    return "RegistrySpec[name="
        + name
        + ", kind="
        + kind
        + ", endpoint="
        + endpoint
        + ", baseContentPath="
        + baseContentPath
        + ", username="
        + username
        + ", password="
        + (password == null ? "null" : "(set)")
        + "]";
  }

  /** Every problem with these settings, each naming its field. */
  public List<FieldProblem> problems() {
    List<FieldProblem> p = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      p.add(
          new FieldProblem(
              "name",
              "invalid-name",
              "required: 1 to 63 lower-case letters, digits and '-', starting and ending with a"
                  + " letter or digit"));
    }
    if (kind == null || RegistryKind.of(kind).isEmpty()) {
      p.add(new FieldProblem("kind", "invalid-kind", "required: internal or external"));
    }
    if (endpoint == null || endpoint.isBlank()) {
      p.add(new FieldProblem("endpoint", "required", "required: the registry's address"));
    } else {
      endpointProblem(endpoint)
          .ifPresent(m -> p.add(new FieldProblem("endpoint", "invalid-endpoint", m)));
    }
    if (baseContentPath != null
        && !baseContentPath.isEmpty()
        && !PATH.matcher(trimSlashes(baseContentPath)).matches()) {
      p.add(
          new FieldProblem(
              "baseContentPath",
              "invalid-path",
              "lower-case path components separated by '/', such as spectro-content"));
    }
    if (username != null && (username.length() > 256 || username.contains(":"))) {
      p.add(new FieldProblem("username", "invalid-username", "at most 256 characters, no ':'"));
    }
    if (password != null && password.length() > 4096) {
      p.add(new FieldProblem("password", "invalid-password", "at most 4,096 characters"));
    }
    if (password != null && !password.isEmpty() && (username == null || username.isEmpty())) {
      p.add(new FieldProblem("username", "required", "a password needs a username"));
    }
    if (caCertificate != null && !caCertificate.isBlank()) {
      caProblem(caCertificate)
          .ifPresent(m -> p.add(new FieldProblem("caCertificate", "invalid-certificate", m)));
    }
    if (syncIntervalSeconds != null
        && (syncIntervalSeconds < MIN_SYNC_INTERVAL || syncIntervalSeconds > MAX_SYNC_INTERVAL)) {
      p.add(
          new FieldProblem(
              "syncIntervalSeconds",
              "out-of-range",
              "between " + MIN_SYNC_INTERVAL + " and " + MAX_SYNC_INTERVAL + " seconds"));
    }
    return p;
  }

  /**
   * The endpoint as a URI with scheme, host and port only. A bare {@code host[:port]} means https;
   * http is used only when the endpoint says {@code http://}.
   */
  public static URI normalise(String endpoint) {
    String e = endpoint.trim();
    if (!e.contains("://")) {
      e = "https://" + e;
    }
    while (e.endsWith("/")) {
      e = e.substring(0, e.length() - 1);
    }
    URI u = URI.create(e);
    return URI.create(
        u.getScheme().toLowerCase(Locale.ROOT)
            + "://"
            + u.getHost().toLowerCase(Locale.ROOT)
            + (u.getPort() < 0 ? "" : ":" + u.getPort()));
  }

  public static String normalisePath(String path) {
    return path == null ? "" : trimSlashes(path.trim());
  }

  private static Optional<String> endpointProblem(String endpoint) {
    String e = endpoint.trim();
    if (!e.contains("://")) {
      e = "https://" + e;
    }
    URI u;
    try {
      u = new URI(e);
    } catch (URISyntaxException ex) {
      return Optional.of("not an address: " + ex.getReason());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return Optional.of("the scheme must be https (the default) or http, not " + scheme);
    }
    if (u.getHost() == null) {
      return Optional.of("no host in '" + endpoint + "'");
    }
    if (u.getRawUserInfo() != null) {
      return Optional.of("credentials go in username and password, not in the address");
    }
    String path = u.getRawPath() == null ? "" : trimSlashes(u.getRawPath());
    if (!path.isEmpty() || u.getRawQuery() != null || u.getRawFragment() != null) {
      return Optional.of(
          "an endpoint is scheme, host and port only; put a path in baseContentPath");
    }
    return Optional.empty();
  }

  private static Optional<String> caProblem(String pem) {
    try {
      Collection<? extends java.security.cert.Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certs.isEmpty()) {
        return Optional.of("no certificate in the PEM text");
      }
      for (java.security.cert.Certificate c : certs) {
        if (!(c instanceof X509Certificate)) {
          return Optional.of("not an X.509 certificate");
        }
      }
      return Optional.empty();
    } catch (CertificateException | IllegalArgumentException e) {
      return Optional.of("not a PEM certificate: " + e.getMessage());
    }
  }

  private static String trimSlashes(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) == '/') {
      from++;
    }
    while (to > from && s.charAt(to - 1) == '/') {
      to--;
    }
    return s.substring(from, to);
  }
}
