package dev.easel.packs.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/** Pack archives and Easel pack bundles for tests, built in memory. */
public final class TestBundles {

  /** The appliance's packs, as the project ships them. */
  public static final Path PACKS = Path.of("src", "main", "resources", "packs");

  private TestBundles() {}

  /** A {@code .tar.gz} of one of the project's pack directories, the directory as top entry. */
  public static byte[] packArchive(String dirName) throws IOException {
    Path dir = PACKS.resolve(dirName);
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
        files.put(dirName + "/" + dir.relativize(f), Files.readAllBytes(f));
      }
    }
    return tarGz(files);
  }

  /** A minimal pack archive: pack.json and values.yaml under a top directory. */
  public static byte[] packArchive(String name, String version, String layer, String values)
      throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        name + "-" + version + "/pack.json",
        packJson(name, version, layer).getBytes(StandardCharsets.UTF_8));
    files.put(name + "-" + version + "/values.yaml", values.getBytes(StandardCharsets.UTF_8));
    return tarGz(files);
  }

  public static String packJson(String name, String version, String layer) {
    return "{\"name\":\""
        + name
        + "\",\"displayName\":\""
        + name
        + "\",\"version\":\""
        + version
        + "\",\"layer\":\""
        + layer
        + "\",\"cloudTypes\":[\"all\"]}";
  }

  public static byte[] tarGz(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey(), true);
        e.setSize(f.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A zstd tar of the entries, in order: what an Easel pack bundle is. */
  public static byte[] tarZst(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream zstd = new ZstdCompressorOutputStream(bytes, 3);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(zstd)) {
      for (Map.Entry<String, byte[]> f : entries.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey(), true);
        e.setSize(f.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  public static String digest(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An OCI layout being assembled: blobs by digest, and the index's entries. */
  public static final class Layout {
    private final Map<String, byte[]> blobs = new LinkedHashMap<>();
    private final List<String> index = new ArrayList<>();

    /** Adds a blob; answers its descriptor JSON. */
    public String blob(String mediaType, byte[] content) {
      String d = digest(content);
      blobs.put(d, content);
      return "{\"mediaType\":\""
          + mediaType
          + "\",\"digest\":\""
          + d
          + "\",\"size\":"
          + content.length
          + "}";
    }

    /** A pack artifact as pack-manager pushes one, listed in the index under {@code ref}. */
    public Layout pack(byte[] archive, String ref) {
      String empty =
          blob("application/vnd.oci.empty.v1+json", "{}".getBytes(StandardCharsets.UTF_8));
      String layer = blob("application/vnd.oci.image.layer.v1.tar+gzip", archive);
      byte[] manifest =
          ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                  + "\"artifactType\":\"application/vnd.easel.pack.v1\",\"config\":"
                  + empty
                  + ",\"layers\":["
                  + layer
                  + "]}")
              .getBytes(StandardCharsets.UTF_8);
      return entry(manifest, "application/vnd.oci.image.manifest.v1+json", ref);
    }

    /** An image of one config and the given layers. */
    public Layout image(List<byte[]> layers, String ref) {
      String config =
          blob(
              "application/vnd.oci.image.config.v1+json",
              ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + layers.size() + "}")
                  .getBytes(StandardCharsets.UTF_8));
      StringBuilder l = new StringBuilder();
      for (byte[] layer : layers) {
        l.append(l.length() == 0 ? "" : ",")
            .append(blob("application/vnd.oci.image.layer.v1.tar", layer));
      }
      byte[] manifest =
          ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                  + config
                  + ",\"layers\":["
                  + l
                  + "]}")
              .getBytes(StandardCharsets.UTF_8);
      return entry(manifest, "application/vnd.oci.image.manifest.v1+json", ref);
    }

    /** Lists a manifest in the index. */
    public Layout entry(byte[] manifest, String mediaType, String ref) {
      String d = digest(manifest);
      blobs.put(d, manifest);
      index.add(
          "{\"mediaType\":\""
              + mediaType
              + "\",\"digest\":\""
              + d
              + "\",\"size\":"
              + manifest.length
              + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
              + ref
              + "\"}}");
      return this;
    }

    /** Replaces a blob's content, keeping its name: a digest that does not match. */
    public Layout tamper(String digest, byte[] content) {
      blobs.put(digest, content);
      return this;
    }

    /** Drops a blob: a manifest that names a missing one. */
    public Layout drop(String digest) {
      blobs.remove(digest);
      return this;
    }

    public Map<String, byte[]> blobs() {
      return blobs;
    }

    /** The layout's files: oci-layout, index.json, blobs. */
    public Map<String, byte[]> entries() {
      Map<String, byte[]> e = new LinkedHashMap<>();
      e.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      e.put(
          "index.json",
          ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                  + String.join(",", index)
                  + "]}")
              .getBytes(StandardCharsets.UTF_8));
      blobs.forEach((d, b) -> e.put("blobs/sha256/" + d.substring("sha256:".length()), b));
      return e;
    }

    public byte[] bundle() throws IOException {
      return tarZst(entries());
    }
  }
}
