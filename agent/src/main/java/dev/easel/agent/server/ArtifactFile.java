package dev.easel.agent.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A file a step wrote as an artifact, read once for its digest before it is uploaded: the digest
 * goes in a header ahead of the body, so the server can refuse or skip the upload before a byte of
 * it is sent.
 *
 * @param digest {@code sha256:} and the SHA-256 in lowercase hex
 * @param mediaType what the file's name says it is; {@code application/octet-stream} otherwise
 */
public record ArtifactFile(Path path, String digest, long size, String mediaType) {

  /**
   * Reads the file for its digest and size.
   *
   * @throws NoSuchFileException when there is no regular file at the path: the step did not write
   *     it
   */
  public static ArtifactFile of(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new NoSuchFileException(path.toString(), null, "not a regular file");
    }
    MessageDigest sha = sha256();
    long size = 0;
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(path)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        size += n;
      }
    }
    return new ArtifactFile(
        path,
        "sha256:" + HexFormat.of().formatHex(sha.digest()),
        size,
        mediaTypeOf(path.getFileName().toString()));
  }

  /** The media type a scan report's file name suggests; the server records it as sent. */
  static String mediaTypeOf(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return "application/json";
    }
    if (name.endsWith(".xml")) {
      return "application/xml";
    }
    if (name.endsWith(".html") || name.endsWith(".htm")) {
      return "text/html";
    }
    if (name.endsWith(".csv")) {
      return "text/csv";
    }
    if (name.endsWith(".txt") || name.endsWith(".log")) {
      return "text/plain";
    }
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return "application/yaml";
    }
    if (name.endsWith(".tar.gz") || name.endsWith(".tgz") || name.endsWith(".gz")) {
      return "application/gzip";
    }
    if (name.endsWith(".tar")) {
      return "application/x-tar";
    }
    return "application/octet-stream";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }
}
