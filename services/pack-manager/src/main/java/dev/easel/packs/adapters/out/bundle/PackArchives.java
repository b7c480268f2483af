package dev.easel.packs.adapters.out.bundle;

import static dev.easel.packs.adapters.out.bundle.BundleRefused.INVALID_PACK;
import static dev.easel.packs.adapters.out.bundle.SafeTarReader.quote;

import dev.easel.packs.adapters.out.bundle.SafeTarReader.Compression;
import dev.easel.packs.adapters.out.bundle.SafeTarReader.Entry;
import dev.easel.packs.adapters.out.bundle.SafeTarReader.Kind;
import dev.easel.packs.adapters.out.bundle.SafeTarReader.Links;
import dev.easel.packs.domain.PackManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a pack archive: the {@code .tar.gz} of one Palette pack directory.
 *
 * <p>The archive holds {@code pack.json} and {@code values.yaml} (both required), and optionally
 * {@code charts/*.tgz}, {@code manifests/*.yaml}, {@code schema.yaml}, {@code presets.yaml}, {@code
 * README.md} and {@code logo.png}; other files are allowed and only listed. The files sit either at
 * the archive root or under exactly one top directory, by convention {@code <name>-<version>/}, as
 * {@code tar -czf} of the pack directory makes it. When {@code pack.json} is at the root, the root
 * is the pack directory; otherwise every entry must lie under one top directory holding {@code
 * pack.json}. The top directory's name is not checked against the pack.
 *
 * <p>The archive is never extracted. It is streamed once through {@link SafeTarReader} (symbolic
 * and hard links allowed only inside the archive, though they never stand in for the files below),
 * and only the small text files are kept in memory, each under its own cap: {@code pack.json}
 * {@value #MAX_PACK_JSON_BYTES} bytes, {@code values.yaml}, {@code schema.yaml} and {@code
 * presets.yaml} {@value #MAX_YAML_BYTES} bytes each, {@code README.md} {@value #MAX_README_BYTES}
 * bytes; a larger one is refused as {@code too-large}. The rest (charts, manifests, the logo) is
 * read, counted and discarded. Text files must be UTF-8.
 *
 * <p>Once the archive is read to its end, the pack is checked, and every problem is reported
 * together as {@code invalid-pack}: {@code pack.json} and {@code values.yaml} present as regular
 * files; {@code pack.json} valid JSON (unknown fields ignored, duplicate keys refused) whose {@link
 * PackManifest#problems()} are empty; each of its {@code charts} and {@code kubeManifests} a safe
 * relative path to a regular file of the archive.
 */
public final class PackArchives {

  public static final int MAX_PACK_JSON_BYTES = 256 * 1024;
  public static final int MAX_YAML_BYTES = 2 * 1024 * 1024;
  public static final int MAX_README_BYTES = 1024 * 1024;

  static final String PACK_JSON = "pack.json";
  static final String VALUES_YAML = "values.yaml";
  static final String SCHEMA_YAML = "schema.yaml";
  static final String PRESETS_YAML = "presets.yaml";
  static final String README = "README.md";
  static final String LOGO = "logo.png";

  /** The files kept in memory, with their caps. */
  private static final Map<String, Integer> KEPT =
      Map.of(
          PACK_JSON, MAX_PACK_JSON_BYTES,
          VALUES_YAML, MAX_YAML_BYTES,
          SCHEMA_YAML, MAX_YAML_BYTES,
          PRESETS_YAML, MAX_YAML_BYTES,
          README, MAX_README_BYTES);

  private static final int MAX_MESSAGE_DETAIL = 300;

  /**
   * Duplicate keys are refused because two readers may keep different ones; unknown fields are
   * ignored because real packs carry many ({@code resources}, {@code eol}, {@code group}).
   */
  static final JsonMapper JSON =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private PackArchives() {}

  /** Reads the pack archive in a file. */
  public static PackContent read(Path tarGz, ArchiveLimits limits) throws IOException {
    try (InputStream in = Files.newInputStream(tarGz)) {
      return read(in, limits);
    }
  }

  /**
   * Reads a pack archive from a stream, which is read to its end and left open.
   *
   * @throws BundleRefused when the archive is unsafe or not a valid pack
   * @throws IOException when the stream itself fails
   */
  public static PackContent read(InputStream tarGz, ArchiveLimits limits) throws IOException {
    Scan scan = new Scan();
    try (SafeTarReader tar =
        SafeTarReader.open(tarGz, Compression.GZIP, limits, Links.INSIDE_ROOT)) {
      for (Entry e = tar.next(); e != null; e = tar.next()) {
        scan.add(e, tar);
      }
      return scan.content(tar.fileBytes());
    }
  }

  /**
   * Whether a blob looks like a pack archive: a gzip tar with a {@code pack.json} file at its root
   * or one directory down. Reads only up to that file; anything unreadable is not a pack.
   */
  static boolean holdsPackJson(Path blob, ArchiveLimits limits) throws IOException {
    try (InputStream in = Files.newInputStream(blob);
        SafeTarReader tar = SafeTarReader.open(in, Compression.GZIP, limits, Links.INSIDE_ROOT)) {
      for (Entry e = tar.next(); e != null; e = tar.next()) {
        if (e.kind() == Kind.FILE && e.depth() <= 2 && e.fileName().equals(PACK_JSON)) {
          return true;
        }
      }
      return false;
    } catch (BundleRefused e) {
      return false;
    }
  }

  /** The state of one pass over an archive. */
  private static final class Scan {

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, byte[]> kept = new HashMap<>();
    private String firstSegment;

    void add(Entry e, SafeTarReader tar) throws IOException {
      entries.add(e);
      String first = firstSegment(e.path());
      if (firstSegment == null) {
        firstSegment = first;
      }
      if (e.kind() != Kind.FILE) {
        return;
      }
      Integer cap = KEPT.get(e.fileName());
      // Only the root and the one possible top directory can hold the pack's files, which bounds
      // what is kept in memory to two copies of each file whatever the archive holds.
      boolean candidate = e.depth() == 1 || (e.depth() == 2 && first.equals(firstSegment));
      if (cap != null && candidate) {
        kept.put(e.path(), tar.readSmall(cap, e.path()));
      }
    }

    PackContent content(long uncompressedBytes) {
      String root = root();
      Map<String, Entry> inPack = new LinkedHashMap<>();
      List<String> files = new ArrayList<>();
      for (Entry e : entries) {
        if (e.path().length() <= root.length()) {
          continue; // the top directory itself
        }
        String relative = e.path().substring(root.length());
        inPack.put(relative, e);
        if (e.kind() == Kind.FILE) {
          files.add(relative);
        }
      }
      List<String> problems = new ArrayList<>();
      String packJson = text(root, PACK_JSON, inPack, true, problems);
      String values = text(root, VALUES_YAML, inPack, true, problems);
      String schema = text(root, SCHEMA_YAML, inPack, false, problems);
      String presets = text(root, PRESETS_YAML, inPack, false, problems);
      String readme = text(root, README, inPack, false, problems);
      PackManifest manifest = packJson == null ? null : parse(packJson, problems);
      if (manifest != null) {
        Set<String> fileSet = Set.copyOf(files);
        for (String chart : manifest.charts()) {
          checkReference("charts", chart, fileSet, problems);
        }
        for (String path : manifest.kubeManifests()) {
          checkReference("kubeManifests", path, fileSet, problems);
        }
      }
      if (!problems.isEmpty()) {
        throw new BundleRefused(INVALID_PACK, problems);
      }
      Entry logo = inPack.get(LOGO);
      return new PackContent(
          manifest,
          packJson,
          values,
          schema,
          presets,
          readme,
          logo != null && logo.kind() == Kind.FILE,
          files,
          uncompressedBytes);
    }

    /** The pack directory inside the archive: empty for the root, else {@code "top/"}. */
    private String root() {
      for (Entry e : entries) {
        if (e.path().equals(PACK_JSON)) {
          return "";
        }
      }
      if (firstSegment != null) {
        String top = firstSegment + "/";
        boolean allUnderTop = true;
        boolean packJsonUnderTop = false;
        for (Entry e : entries) {
          allUnderTop &= e.path().equals(firstSegment) || e.path().startsWith(top);
          packJsonUnderTop |= e.path().equals(top + PACK_JSON);
        }
        if (allUnderTop && packJsonUnderTop) {
          return top;
        }
      }
      throw new BundleRefused(
          INVALID_PACK,
          "pack.json: missing; it must be at the archive root or in a single top directory");
    }

    private String text(
        String root, String name, Map<String, Entry> inPack, boolean required, List<String> out) {
      Entry e = inPack.get(name);
      if (e == null) {
        if (required) {
          out.add(name + ": missing");
        }
        return null;
      }
      if (e.kind() != Kind.FILE) {
        out.add(
            name + ": must be a regular file, not a " + e.kind().name().toLowerCase(Locale.ROOT));
        return null;
      }
      byte[] bytes = kept.get(root + name);
      if (bytes == null) {
        throw new IllegalStateException("the pack's " + name + " was not kept");
      }
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
      } catch (CharacterCodingException notUtf8) {
        out.add(name + ": not UTF-8 text");
        return null;
      }
    }
  }

  private static PackManifest parse(String packJson, List<String> problems) {
    try {
      PackManifest manifest = JSON.readValue(packJson, PackManifest.class);
      if (manifest == null) {
        problems.add("pack.json: must be a JSON object, not null");
        return null;
      }
      problems.addAll(manifest.problems());
      return manifest;
    } catch (JacksonException e) {
      String detail = e.getOriginalMessage();
      if (detail != null && detail.length() > MAX_MESSAGE_DETAIL) {
        detail = detail.substring(0, MAX_MESSAGE_DETAIL) + "...";
      }
      String at =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      problems.add("pack.json: not valid" + at + ": " + detail);
      return null;
    }
  }

  /** A {@code charts} or {@code kubeManifests} path must name a regular file of the pack. */
  private static void checkReference(
      String field, String path, Set<String> files, List<String> problems) {
    if (path == null) {
      if (field.equals("charts")) {
        problems.add("pack.json charts: null entry");
      }
      return; // PackManifest reports null kubeManifests itself
    }
    String normal;
    try {
      normal = SafeTarReader.normalise(path);
    } catch (BundleRefused e) {
      normal = "";
    }
    if (normal.isEmpty()) {
      // PackManifest already reports absolute and climbing kubeManifests paths
      boolean reported =
          field.equals("kubeManifests") && (path.startsWith("/") || path.contains(".."));
      if (!reported) {
        problems.add("pack.json " + field + ": " + quote(path) + " is not a path inside the pack");
      }
      return;
    }
    if (!files.contains(normal)) {
      problems.add("pack.json " + field + ": " + quote(path) + " is not in the archive");
    }
  }

  private static String firstSegment(String path) {
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }
}
