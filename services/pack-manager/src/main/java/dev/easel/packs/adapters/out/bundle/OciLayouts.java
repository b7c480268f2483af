package dev.easel.packs.adapters.out.bundle;

import static dev.easel.packs.adapters.out.bundle.BundleRefused.DIGEST_MISMATCH;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.INVALID_LAYOUT;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.INVALID_PACK;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.MISSING_BLOB;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.PACK_REF_MISMATCH;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.SIZE_MISMATCH;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.TOO_LARGE;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.WRONG_MEDIA_TYPE;
import static dev.easel.packs.adapters.out.bundle.SafeTarReader.quote;

import dev.easel.packs.adapters.out.bundle.SafeTarReader.Compression;
import dev.easel.packs.adapters.out.bundle.SafeTarReader.Entry;
import dev.easel.packs.adapters.out.bundle.SafeTarReader.Kind;
import dev.easel.packs.adapters.out.bundle.SafeTarReader.Links;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Extracts and checks an Easel pack bundle: a zstd-compressed tar ({@code .tar.zst}) holding an OCI
 * image layout (image-spec v1.1 {@code image-layout.md}).
 *
 * <h2>Format</h2>
 *
 * <pre>
 *   oci-layout            {"imageLayoutVersion":"1.0.0"}
 *   index.json            an image index naming the bundle's artifacts
 *   blobs/sha256/&lt;hex&gt;    every manifest, index, config and layer, named by its digest
 * </pre>
 *
 * <p>The three may sit under one top directory instead of the root, in which case every entry must
 * be under it. Other files (such as the {@code manifest.json} of {@code docker save}) are read,
 * counted and ignored; a file directly in {@code blobs/sha256/} must be named by 64 lower-case hex
 * digits. Links of any kind are refused.
 *
 * <p>Each entry of {@code index.json} is one artifact and carries the annotation {@value #REF_NAME}
 * = {@code <repository>:<tag>}, relative to the target registry's base path, for example {@code
 * spectro-packs/archive/cni-calico:3.29.2} or {@code calico/node:v3.29.2}. Repository components
 * match {@code [a-z0-9]+([._-][a-z0-9]+)*} and are joined by {@code /} (at most {@value
 * #MAX_REPOSITORY_LENGTH} characters); tags match {@code [A-Za-z0-9_][A-Za-z0-9._-]{0,127}}; refs
 * are unique. An entry is an image manifest (OCI or Docker v2 schema 2) or an image index (OCI
 * index or Docker manifest list), which may nest indexes up to {@value #MAX_NESTING} levels.
 *
 * <p>A pack artifact is a manifest whose single layer is a gzip tar holding a {@code pack.json},
 * whatever the layer's media type (ORAS pushes {@code application/vnd.oci.image.layer.v1.tar}). Its
 * ref must be {@code spectro-packs/archive/<name>:<version>} with the name and version of its
 * {@code pack.json}; a {@code +} in the version is written {@code _} in the tag, as Helm does,
 * since tags cannot hold {@code +}. Every artifact under {@code spectro-packs/archive/} must be a
 * pack. Other single-layer manifests are probed for a {@code pack.json} unless their config is a
 * container image or Helm chart config, so that a pack pushed under a wrong ref is caught.
 *
 * <h2>Extraction</h2>
 *
 * <p>The bundle is streamed once: zstd, then tar through {@link SafeTarReader} (links refused).
 * Each blob is written to {@code <dir>/blobs/sha256/<hex>}, first as {@code <hex>.partial} while
 * its SHA-256 is computed, and renamed only when the digest equals its name ({@code
 * digest-mismatch} otherwise); no blob is held in memory. {@code oci-layout} ({@value
 * #MAX_LAYOUT_FILE_BYTES} bytes) and {@code index.json} ({@value #MAX_INDEX_BYTES} bytes) are kept
 * in memory.
 *
 * <p>Then the graph is checked, collecting every problem: {@code oci-layout} and {@code index.json}
 * valid ({@code invalid-layout}); each descriptor from the index through nested indexes and
 * manifests to configs and layers has a sha256 digest, a blob ({@code missing-blob}) of the stated
 * size ({@code size-mismatch}); index entries and the children of indexes are of the four manifest
 * and index media types, and a manifest's or index's own {@code mediaType}, when present, equals
 * its descriptor's ({@code wrong-media-type}); manifests are at most {@value #MAX_MANIFEST_BYTES}
 * bytes of JSON with {@code schemaVersion} 2; refs are valid ({@code invalid-layout}); packs are
 * valid ({@link PackArchives}) and their refs match ({@code pack-ref-mismatch}). Blobs that no
 * descriptor names are kept and counted.
 *
 * <p>On any failure, refusal or I/O error alike, every file and directory this call created under
 * the target directory is deleted before the exception leaves; the directory itself and anything
 * that was in it before are left alone. The target directory should be empty: a blob that already
 * exists there is an error.
 */
public final class OciLayouts {

  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  public static final Set<String> MANIFEST_TYPES = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
  public static final Set<String> INDEX_TYPES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);

  /** The annotation that names an index entry's {@code <repository>:<tag>}. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  /** Where Palette looks for packs: {@code spectro-packs/archive/<name>:<version>}. */
  public static final String PACK_REPOSITORY_PREFIX = "spectro-packs/archive/";

  public static final String LAYOUT_VERSION = "1.0.0";
  public static final int MAX_LAYOUT_FILE_BYTES = 64 * 1024;
  public static final int MAX_INDEX_BYTES = 4 * 1024 * 1024;

  /** The size every registry must accept for a manifest (distribution-spec, "at least 4MB"). */
  public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  public static final int MAX_REPOSITORY_LENGTH = 255;
  public static final int MAX_NESTING = 4;

  /**
   * The most manifest and index JSON read in one layout. Parsed documents are kept while the graph
   * is checked, so this bounds memory; real bundles hold a few kilobytes per image.
   */
  public static final long MAX_TOTAL_MANIFEST_BYTES = 16L * 1024 * 1024;

  /**
   * The most descriptors visited while checking a layout. Index entries may share manifests, so
   * without a bound a small layout could make the check walk the same large index again and again.
   */
  public static final int MAX_DESCRIPTOR_VISITS = 100_000;

  private static final String OCI_LAYOUT_FILE = "oci-layout";
  private static final String INDEX_FILE = "index.json";

  /** Configs of things that are never packs, so their single layer is not probed. */
  private static final Set<String> NOT_PACK_CONFIGS =
      Set.of(
          "application/vnd.oci.image.config.v1+json",
          "application/vnd.docker.container.image.v1+json",
          "application/vnd.cncf.helm.config.v1+json");

  private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA256_DIGEST = Pattern.compile("sha256:([a-f0-9]{64})");
  private static final Pattern ANY_DIGEST =
      Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
  private static final Pattern REPOSITORY_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  private static final Pattern MEDIA_TYPE =
      Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

  private OciLayouts() {}

  /**
   * An extracted and checked bundle: its blobs on disk and the artifacts its index names.
   *
   * @param dir the directory the bundle was extracted to; blobs are at {@code
   *     <dir>/blobs/sha256/<hex>}
   * @param artifacts the entries of {@code index.json}, in its order
   * @param totalBlobBytes the size of every blob written, referenced or not
   */
  public record Layout(Path dir, List<Artifact> artifacts, long totalBlobBytes) {

    public Layout {
      artifacts = List.copyOf(artifacts);
    }

    /** Where the blob with this {@code sha256:<hex>} digest is, whether or not it exists. */
    public Path blobFile(String digest) {
      return OciLayouts.blobFile(dir, digest);
    }

    /** The pack artifacts only. */
    public List<Artifact> packs() {
      return artifacts.stream().filter(Artifact::isPack).toList();
    }
  }

  /**
   * One entry of {@code index.json}: an image, an image index or a pack, to be pushed as {@code
   * <registry base path>/<repository>:<tag>}.
   *
   * @param repository the repository path relative to the target registry's base path
   * @param mediaType the manifest's or index's media type, as the index names it
   * @param digest the manifest's or index's digest, {@code sha256:<hex>}
   * @param size the manifest's or index's size in bytes
   * @param pack the pack inside, when the artifact is a pack; null otherwise
   * @param blobs every blob the artifact needs, each once, in push order: layers and configs first,
   *     then child manifests (children before the index that names them), then the artifact's own
   *     manifest or index last
   */
  public record Artifact(
      String repository,
      String tag,
      String mediaType,
      String digest,
      long size,
      PackContent pack,
      List<Blob> blobs) {

    public Artifact {
      blobs = List.copyOf(blobs);
    }

    /** {@code <repository>:<tag>}. */
    public String ref() {
      return repository + ":" + tag;
    }

    public boolean isPack() {
      return pack != null;
    }

    public boolean isIndex() {
      return INDEX_TYPES.contains(mediaType);
    }
  }

  /**
   * One blob of an artifact.
   *
   * @param mediaType the media type of the first descriptor that named it
   * @param isManifest whether it is a manifest or an index, pushed with {@code PUT
   *     /v2/<name>/manifests/<digest>} rather than as a blob
   * @param file where it is on disk
   */
  public record Blob(String digest, long size, String mediaType, boolean isManifest, Path file) {}

  /**
   * Extracts the bundle's blobs into {@code dir} (created when missing) and checks the layout.
   *
   * @param zstdTar the bundle; read to its end, left open
   * @return the artifacts, ready to push in the order of their blobs
   * @throws BundleRefused when the bundle is unsafe or invalid; nothing written is left behind
   * @throws IOException when the stream or the disk fails; nothing written is left behind
   */
  public static Layout extract(InputStream zstdTar, Path dir, ArchiveLimits limits)
      throws IOException {
    Files.createDirectories(dir);
    Output out = new Output(dir);
    try {
      Staged staged = stream(zstdTar, out, limits);
      return new GraphCheck(dir, staged, limits).run();
    } catch (IOException | RuntimeException | Error e) {
      out.deleteAll(e);
      throw e;
    }
  }

  /** Where the blob of a layout with this {@code sha256:<hex>} digest is. */
  public static Path blobFile(Layout layout, String digest) {
    return blobFile(layout.dir(), digest);
  }

  /** Where the blob with this {@code sha256:<hex>} digest is under an extraction directory. */
  public static Path blobFile(Path dir, String digest) {
    Matcher m = SHA256_DIGEST.matcher(digest == null ? "" : digest);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a sha256 digest: " + quote(String.valueOf(digest)));
    }
    return dir.resolve("blobs").resolve("sha256").resolve(m.group(1));
  }

  // ---------------------------------------------------------------------------------------------
  // Streaming

  /** What the stream left: blob sizes by hex digest, and the two small files. */
  private record Staged(Map<String, Long> blobs, byte[] ociLayout, byte[] index) {}

  private enum Role {
    LAYOUT_FILE,
    INDEX,
    BLOB
  }

  /** Where an entry sits in the layout: under which prefix ({@code ""} or {@code "top/"}). */
  private record Place(String prefix, Role role, String blobName) {}

  private static Staged stream(InputStream in, Output out, ArchiveLimits limits)
      throws IOException {
    Map<String, Long> blobs = new LinkedHashMap<>();
    byte[] ociLayout = null;
    byte[] index = null;
    String prefix = null;
    Set<String> firstSegments = new HashSet<>();
    try (SafeTarReader tar = SafeTarReader.open(in, Compression.ZSTD, limits, Links.REFUSE)) {
      for (Entry e = tar.next(); e != null; e = tar.next()) {
        String[] segments = e.path().split("/");
        firstSegments.add(segments[0]);
        Place place = place(segments);
        if (place == null) {
          continue; // not part of the layout
        }
        if (prefix == null) {
          prefix = place.prefix();
        } else if (!prefix.equals(place.prefix())) {
          throw new BundleRefused(
              INVALID_LAYOUT,
              "the layout is split: "
                  + quote(e.path())
                  + " is not under "
                  + (prefix.isEmpty() ? "the archive root" : quote(prefix)));
        }
        if (e.kind() != Kind.FILE) {
          throw new BundleRefused(INVALID_LAYOUT, quote(e.path()) + " is not a regular file");
        }
        switch (place.role()) {
          case LAYOUT_FILE:
            ociLayout = tar.readSmall(MAX_LAYOUT_FILE_BYTES, OCI_LAYOUT_FILE);
            break;
          case INDEX:
            index = tar.readSmall(MAX_INDEX_BYTES, INDEX_FILE);
            break;
          case BLOB:
            if (!HEX.matcher(place.blobName()).matches()) {
              throw new BundleRefused(
                  INVALID_LAYOUT, quote(e.path()) + " is not named by a sha256 digest in hex");
            }
            blobs.put(place.blobName(), writeBlob(tar, place.blobName(), out));
            break;
          default:
            throw new IllegalStateException("unknown layout role " + place.role());
        }
      }
    }
    if (prefix != null && !prefix.isEmpty() && firstSegments.size() > 1) {
      throw new BundleRefused(
          INVALID_LAYOUT,
          "the layout is under " + quote(prefix) + " but the archive has entries outside it");
    }
    return new Staged(blobs, ociLayout, index);
  }

  private static Place place(String[] s) {
    int n = s.length;
    if (n == 1 || n == 2) {
      String prefix = n == 1 ? "" : s[0] + "/";
      if (s[n - 1].equals(OCI_LAYOUT_FILE)) {
        return new Place(prefix, Role.LAYOUT_FILE, null);
      }
      if (s[n - 1].equals(INDEX_FILE)) {
        return new Place(prefix, Role.INDEX, null);
      }
    }
    if (n == 3 && s[0].equals("blobs") && s[1].equals("sha256")) {
      return new Place("", Role.BLOB, s[2]);
    }
    if (n == 4 && s[1].equals("blobs") && s[2].equals("sha256")) {
      return new Place(s[0] + "/", Role.BLOB, s[3]);
    }
    return null;
  }

  /** Streams one blob to disk, hashing as it goes; returns its size. */
  private static long writeBlob(SafeTarReader tar, String hex, Output out) throws IOException {
    Path blobs = out.blobDir();
    Path target = blobs.resolve(hex);
    Path partial = blobs.resolve(hex + ".partial");
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(target.toString(), null, "a blob is already there");
    }
    MessageDigest sha256 = sha256();
    long size = 0;
    try (OutputStream file =
        Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.created(partial);
      InputStream in = tar.content();
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha256.update(buffer, 0, n);
        file.write(buffer, 0, n);
        size += n;
      }
    }
    String actual = toHex(sha256.digest());
    if (!actual.equals(hex)) {
      throw new BundleRefused(
          DIGEST_MISMATCH,
          "blob sha256:"
              + hex
              + " does not match its name: its content hashes to sha256:"
              + actual);
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    out.created(target);
    return size;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String toHex(byte[] bytes) {
    StringBuilder b = new StringBuilder(bytes.length * 2);
    for (byte x : bytes) {
      b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return b.toString();
  }

  /** What this extraction created, so that a failure can remove exactly that. */
  private static final class Output {

    private final Path dir;
    private final List<Path> createdFiles = new ArrayList<>();
    private final List<Path> createdDirectories = new ArrayList<>();
    private Path blobDir;

    Output(Path dir) {
      this.dir = dir;
    }

    Path blobDir() throws IOException {
      if (blobDir == null) {
        Path blobs = dir.resolve("blobs");
        Path sha256 = blobs.resolve("sha256");
        for (Path p : List.of(blobs, sha256)) {
          if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(p);
            createdDirectories.add(p);
          }
        }
        blobDir = sha256;
      }
      return blobDir;
    }

    void created(Path file) {
      createdFiles.add(file);
    }

    void deleteAll(Throwable failure) {
      for (int i = createdFiles.size() - 1; i >= 0; i--) {
        try {
          Files.deleteIfExists(createdFiles.get(i));
        } catch (IOException | RuntimeException e) {
          failure.addSuppressed(e);
        }
      }
      for (int i = createdDirectories.size() - 1; i >= 0; i--) {
        try {
          Files.deleteIfExists(createdDirectories.get(i));
        } catch (DirectoryNotEmptyException e) {
          // something not ours is in it; leave it
        } catch (IOException | RuntimeException e) {
          failure.addSuppressed(e);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Graph check

  /** A descriptor that passed its checks. */
  private record Descriptor(String mediaType, String digest, String hex, long size) {}

  /** A valid {@code <repository>:<tag>}. */
  private record Ref(String repository, String tag) {
    String text() {
      return repository + ":" + tag;
    }
  }

  /** A layer read as a pack: the pack, or the refusal reading it ended with. */
  private record PackRead(PackContent pack, BundleRefused refusal) {}

  /** What one artifact needs, gathered while walking it. */
  private static final class Walk {
    private final Map<String, Blob> leaves = new LinkedHashMap<>();
    private final Map<String, Blob> manifests = new LinkedHashMap<>();
    private boolean failed;
    private String configMediaType;
    private final List<Descriptor> layers = new ArrayList<>();

    List<Blob> blobs() {
      List<Blob> all = new ArrayList<>();
      for (Blob b : leaves.values()) {
        if (!manifests.containsKey(b.digest())) {
          all.add(b);
        }
      }
      all.addAll(manifests.values());
      return all;
    }
  }

  private static final class GraphCheck {

    private final Path dir;
    private final Staged staged;
    private final ArchiveLimits limits;
    private final Map<String, String> problems = new LinkedHashMap<>();
    private final Map<String, JsonNode> documents = new HashMap<>();
    private final Map<String, Boolean> probes = new HashMap<>();
    private final Map<String, PackRead> packs = new HashMap<>();
    private long manifestBytes;
    private int visits;

    GraphCheck(Path dir, Staged staged, ArchiveLimits limits) {
      this.dir = dir;
      this.staged = staged;
      this.limits = limits;
    }

    Layout run() throws IOException {
      checkLayoutFile();
      JsonNode index = index();
      throwIfProblems();
      List<Artifact> artifacts = new ArrayList<>();
      Set<String> refs = new HashSet<>();
      int i = 0;
      for (JsonNode node : index.get("manifests")) {
        String where = "index.json manifests[" + i++ + "]";
        Descriptor d = descriptor(node, where);
        Ref ref = ref(node, where);
        if (d == null) {
          continue;
        }
        if (ref != null) {
          if (!refs.add(ref.text())) {
            problem(INVALID_LAYOUT, where + ": ref " + quote(ref.text()) + " is used twice");
          }
          where = ref.text();
        }
        if (!MANIFEST_TYPES.contains(d.mediaType()) && !INDEX_TYPES.contains(d.mediaType())) {
          problem(
              WRONG_MEDIA_TYPE,
              where + ": " + quote(d.mediaType()) + " is not an image manifest or index");
          continue;
        }
        Walk walk = new Walk();
        visit(d, where, 0, walk);
        if (walk.failed || ref == null) {
          continue;
        }
        PackContent pack = pack(ref, d, walk, where);
        artifacts.add(
            new Artifact(
                ref.repository(),
                ref.tag(),
                d.mediaType(),
                d.digest(),
                d.size(),
                pack,
                walk.blobs()));
      }
      throwIfProblems();
      long total = 0;
      for (long size : staged.blobs().values()) {
        total += size;
      }
      return new Layout(dir, artifacts, total);
    }

    private void checkLayoutFile() {
      if (staged.ociLayout() == null) {
        problem(INVALID_LAYOUT, "oci-layout: missing");
        return;
      }
      JsonNode doc = parse(staged.ociLayout(), OCI_LAYOUT_FILE);
      if (doc == null) {
        return;
      }
      JsonNode version = doc.get("imageLayoutVersion");
      if (version == null || !version.isString() || !LAYOUT_VERSION.equals(version.stringValue())) {
        problem(
            INVALID_LAYOUT, "oci-layout: imageLayoutVersion must be \"" + LAYOUT_VERSION + "\"");
      }
    }

    private JsonNode index() {
      if (staged.index() == null) {
        problem(INVALID_LAYOUT, "index.json: missing");
        return null;
      }
      JsonNode doc = parse(staged.index(), INDEX_FILE);
      if (doc == null) {
        return null;
      }
      checkSchemaVersion(doc, INDEX_FILE);
      JsonNode mediaType = doc.get("mediaType");
      if (mediaType != null
          && !(mediaType.isString() && OCI_INDEX.equals(mediaType.stringValue()))) {
        problem(WRONG_MEDIA_TYPE, "index.json: mediaType must be " + OCI_INDEX);
      }
      JsonNode manifests = doc.get("manifests");
      if (manifests == null || !manifests.isArray() || manifests.isEmpty()) {
        problem(INVALID_LAYOUT, "index.json: manifests must list at least one artifact");
        return null;
      }
      return doc;
    }

    /** Checks a descriptor's blob and, for manifests and indexes, what they reference. */
    private void visit(Descriptor d, String where, int depth, Walk walk) throws IOException {
      countVisit();
      if (!present(d, where, walk)) {
        return;
      }
      if (depth > MAX_NESTING) {
        problem(INVALID_LAYOUT, where + ": indexes nest more than " + MAX_NESTING + " levels deep");
        walk.failed = true;
        return;
      }
      JsonNode doc = document(d, where);
      if (doc == null) {
        walk.failed = true;
        return;
      }
      if (INDEX_TYPES.contains(d.mediaType())) {
        JsonNode children = doc.get("manifests");
        if (children == null || !children.isArray()) {
          problem(INVALID_LAYOUT, where + ": the index has no manifests array");
          walk.failed = true;
        } else {
          int i = 0;
          for (JsonNode child : children) {
            String at = where + " > manifests[" + i++ + "]";
            Descriptor c = descriptor(child, at);
            if (c == null) {
              walk.failed = true;
            } else if (!MANIFEST_TYPES.contains(c.mediaType())
                && !INDEX_TYPES.contains(c.mediaType())) {
              problem(
                  WRONG_MEDIA_TYPE,
                  at + ": " + quote(c.mediaType()) + " is not an image manifest or index");
              walk.failed = true;
            } else {
              visit(c, at, depth + 1, walk);
            }
          }
        }
      } else {
        JsonNode layers = doc.get("layers");
        if (layers == null || !layers.isArray()) {
          problem(INVALID_LAYOUT, where + ": the manifest has no layers array");
          walk.failed = true;
        } else {
          int i = 0;
          for (JsonNode layer : layers) {
            Descriptor l = leaf(layer, where + " > layers[" + i++ + "]", walk);
            if (depth == 0 && l != null) {
              walk.layers.add(l);
            }
          }
        }
        JsonNode config = doc.get("config");
        if (config == null || !config.isObject()) {
          problem(INVALID_LAYOUT, where + ": the manifest has no config");
          walk.failed = true;
        } else {
          Descriptor c = leaf(config, where + " > config", walk);
          if (depth == 0 && c != null) {
            walk.configMediaType = c.mediaType();
          }
        }
      }
      walk.manifests.putIfAbsent(d.digest(), blob(d, true));
    }

    private void countVisit() {
      if (++visits > MAX_DESCRIPTOR_VISITS) {
        throw new BundleRefused(
            TOO_LARGE,
            "the layout's graph has more than " + MAX_DESCRIPTOR_VISITS + " descriptors to check");
      }
    }

    private Descriptor leaf(JsonNode node, String where, Walk walk) {
      countVisit();
      Descriptor d = descriptor(node, where);
      if (d == null) {
        walk.failed = true;
        return null;
      }
      if (present(d, where, walk)) {
        walk.leaves.putIfAbsent(d.digest(), blob(d, false));
      }
      return d;
    }

    private boolean present(Descriptor d, String where, Walk walk) {
      Long size = staged.blobs().get(d.hex());
      if (size == null) {
        problem(MISSING_BLOB, where + ": blob " + d.digest() + " is not in the bundle");
        walk.failed = true;
        return false;
      }
      if (size != d.size()) {
        problem(
            SIZE_MISMATCH,
            where
                + ": the descriptor of "
                + d.digest()
                + " says "
                + d.size()
                + " bytes, the blob has "
                + size);
        walk.failed = true;
        return false;
      }
      return true;
    }

    private Blob blob(Descriptor d, boolean isManifest) {
      return new Blob(d.digest(), d.size(), d.mediaType(), isManifest, blobFile(dir, d.digest()));
    }

    /** A manifest's or index's JSON, parsed once; null (problems recorded) when unusable. */
    private JsonNode document(Descriptor d, String where) throws IOException {
      if (documents.containsKey(d.hex())) {
        return documents.get(d.hex());
      }
      JsonNode doc = null;
      if (d.size() > MAX_MANIFEST_BYTES) {
        problem(
            INVALID_LAYOUT,
            where + ": the manifest is " + d.size() + " bytes, over " + MAX_MANIFEST_BYTES);
      } else {
        manifestBytes += d.size();
        if (manifestBytes > MAX_TOTAL_MANIFEST_BYTES) {
          throw new BundleRefused(
              TOO_LARGE,
              "the layout's manifests and indexes add up to more than "
                  + MAX_TOTAL_MANIFEST_BYTES
                  + " bytes");
        }
        doc = parse(Files.readAllBytes(blobFile(dir, d.digest())), where);
        if (doc != null && !checkSchemaVersion(doc, where)) {
          doc = null;
        }
        if (doc != null) {
          JsonNode own = doc.get("mediaType");
          if (own != null && !(own.isString() && own.stringValue().equals(d.mediaType()))) {
            problem(
                WRONG_MEDIA_TYPE,
                where
                    + ": the descriptor says "
                    + quote(d.mediaType())
                    + " but the manifest says "
                    + quote(own.isString() ? own.stringValue() : own.toString()));
            doc = null;
          }
        }
      }
      documents.put(d.hex(), doc);
      return doc;
    }

    private boolean checkSchemaVersion(JsonNode doc, String where) {
      JsonNode v = doc.get("schemaVersion");
      if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() != 2) {
        problem(INVALID_LAYOUT, where + ": schemaVersion must be 2");
        return false;
      }
      return true;
    }

    private JsonNode parse(byte[] json, String where) {
      try {
        JsonNode doc = PackArchives.JSON.readTree(json);
        if (doc == null || !doc.isObject()) {
          problem(INVALID_LAYOUT, where + ": not a JSON object");
          return null;
        }
        return doc;
      } catch (JacksonException e) {
        problem(INVALID_LAYOUT, where + ": not valid JSON: " + e.getOriginalMessage());
        return null;
      }
    }

    private Descriptor descriptor(JsonNode node, String where) {
      if (node == null || !node.isObject()) {
        problem(INVALID_LAYOUT, where + ": not a descriptor");
        return null;
      }
      JsonNode mediaType = node.get("mediaType");
      JsonNode digest = node.get("digest");
      JsonNode size = node.get("size");
      boolean ok = true;
      if (mediaType == null
          || !mediaType.isString()
          || !MEDIA_TYPE.matcher(mediaType.stringValue()).matches()) {
        problem(INVALID_LAYOUT, where + ": mediaType is missing or malformed");
        ok = false;
      }
      String hex = null;
      if (digest == null || !digest.isString()) {
        problem(INVALID_LAYOUT, where + ": digest is missing");
        ok = false;
      } else {
        Matcher m = SHA256_DIGEST.matcher(digest.stringValue());
        if (m.matches()) {
          hex = m.group(1);
        } else {
          boolean other = ANY_DIGEST.matcher(digest.stringValue()).matches();
          problem(
              INVALID_LAYOUT,
              where
                  + ": digest "
                  + quote(digest.stringValue())
                  + (other
                      ? " does not use sha256, the only algorithm supported"
                      : " is malformed"));
          ok = false;
        }
      }
      if (size == null
          || !size.isIntegralNumber()
          || !size.canConvertToLong()
          || size.longValue() < 0) {
        problem(INVALID_LAYOUT, where + ": size must be a non-negative integer");
        ok = false;
      }
      return ok
          ? new Descriptor(mediaType.stringValue(), digest.stringValue(), hex, size.longValue())
          : null;
    }

    private Ref ref(JsonNode node, String where) {
      JsonNode annotations = node == null ? null : node.get("annotations");
      JsonNode name =
          annotations == null || !annotations.isObject() ? null : annotations.get(REF_NAME);
      if (name == null || !name.isString()) {
        problem(INVALID_LAYOUT, where + ": the annotation " + REF_NAME + " is missing");
        return null;
      }
      String text = name.stringValue();
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        problem(INVALID_LAYOUT, where + ": ref " + quote(text) + " is not <repository>:<tag>");
        return null;
      }
      String repository = text.substring(0, colon);
      String tag = text.substring(colon + 1);
      boolean valid = repository.length() <= MAX_REPOSITORY_LENGTH;
      for (String component : repository.split("/", -1)) {
        valid &= REPOSITORY_COMPONENT.matcher(component).matches();
      }
      if (!valid) {
        problem(
            INVALID_LAYOUT,
            where + ": ref " + quote(text) + " has an invalid repository " + quote(repository));
        return null;
      }
      if (!TAG.matcher(tag).matches()) {
        problem(
            INVALID_LAYOUT, where + ": ref " + quote(text) + " has an invalid tag " + quote(tag));
        return null;
      }
      return new Ref(repository, tag);
    }

    /** The pack the artifact holds, or null when it is no pack (or an invalid one, recorded). */
    private PackContent pack(Ref ref, Descriptor d, Walk walk, String where) throws IOException {
      boolean underPacks = ref.repository().startsWith(PACK_REPOSITORY_PREFIX);
      if (!MANIFEST_TYPES.contains(d.mediaType())) {
        if (underPacks) {
          problem(INVALID_PACK, where + ": a pack is a single manifest, not an index");
        }
        return null;
      }
      boolean probe = walk.layers.size() == 1 && !NOT_PACK_CONFIGS.contains(walk.configMediaType);
      if (!underPacks && !probe) {
        return null;
      }
      if (walk.layers.size() != 1) {
        problem(
            INVALID_PACK,
            where + ": a pack has exactly one layer, this manifest has " + walk.layers.size());
        return null;
      }
      Descriptor layer = walk.layers.get(0);
      if (!underPacks && !holdsPackJson(layer)) {
        return null;
      }
      PackRead read = readPack(layer);
      if (read.refusal() != null) {
        for (String p : read.refusal().problems()) {
          problem(read.refusal().type(), where + ": " + p);
        }
        return null;
      }
      PackContent pack = read.pack();
      String repository = PACK_REPOSITORY_PREFIX + pack.name();
      String tag = tagOf(pack.version());
      if (!ref.repository().equals(repository) || !ref.tag().equals(tag)) {
        problem(
            PACK_REF_MISMATCH,
            where
                + ": holds pack "
                + pack.name()
                + " "
                + pack.version()
                + ", so its ref must be "
                + repository
                + ":"
                + tag);
      }
      return pack;
    }

    /**
     * Probes and pack reads are remembered by layer digest: many refs may name one manifest, and
     * each read decompresses the whole layer.
     */
    private boolean holdsPackJson(Descriptor layer) throws IOException {
      Boolean known = probes.get(layer.hex());
      if (known == null) {
        known = PackArchives.holdsPackJson(blobFile(dir, layer.digest()), limits);
        probes.put(layer.hex(), known);
      }
      return known;
    }

    private PackRead readPack(Descriptor layer) throws IOException {
      PackRead known = packs.get(layer.hex());
      if (known == null) {
        try {
          known = new PackRead(PackArchives.read(blobFile(dir, layer.digest()), limits), null);
        } catch (BundleRefused e) {
          known = new PackRead(null, e);
        }
        packs.put(layer.hex(), known);
      }
      return known;
    }

    private void problem(String type, String text) {
      problems.putIfAbsent(text, type);
    }

    private void throwIfProblems() {
      if (!problems.isEmpty()) {
        String type = problems.values().iterator().next();
        throw new BundleRefused(type, new ArrayList<>(problems.keySet()));
      }
    }
  }

  /** The tag a pack version is pushed under: {@code +} becomes {@code _}, as Helm does. */
  public static String tagOf(String version) {
    return version.replace('+', '_');
  }
}
