package dev.easel.packs.adapters.out.bundle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Builds Easel pack bundles (OCI image layouts in a tar.zst) for tests, tampered ones included. */
final class OciBundle {

  static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";
  static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
  static final String LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  static final String IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A descriptor as a test writes it; fields may be set to lie. */
  record Desc(String mediaType, String digest, long size) {

    Desc withSize(long other) {
      return new Desc(mediaType, digest, other);
    }

    Desc withMediaType(String other) {
      return new Desc(other, digest, size);
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mediaType", mediaType);
      m.put("digest", digest);
      m.put("size", size);
      return m;
    }
  }

  private final Map<String, byte[]> blobs = new LinkedHashMap<>();
  private final List<Map<String, Object>> index = new ArrayList<>();
  private final Map<String, byte[]> extra = new LinkedHashMap<>();
  private String top = "";
  private String indexOverride;
  private boolean blobsFirst = true;

  OciBundle underTopDirectory(String name) {
    top = name + "/";
    return this;
  }

  /** Writes index.json and oci-layout after the blobs (the default) or before them. */
  OciBundle blobsFirst(boolean first) {
    blobsFirst = first;
    return this;
  }

  Desc blob(String mediaType, byte[] content) {
    String digest = "sha256:" + TestArchives.sha256(content);
    blobs.put(digest, content);
    return new Desc(mediaType, digest, content.length);
  }

  Desc blob(String mediaType, String content) {
    return blob(mediaType, content.getBytes(StandardCharsets.UTF_8));
  }

  Desc emptyConfig() {
    return blob(EMPTY_CONFIG, "{}");
  }

  /** An OCI image manifest with its mediaType field set to {@code ownMediaType} (null: none). */
  Desc manifest(String ownMediaType, Desc config, Desc... layers) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", 2);
    if (ownMediaType != null) {
      m.put("mediaType", ownMediaType);
    }
    m.put("config", config.json());
    List<Object> ls = new ArrayList<>();
    for (Desc l : layers) {
      ls.add(l.json());
    }
    m.put("layers", ls);
    return blob(OciLayouts.OCI_MANIFEST, JSON.writeValueAsBytes(m));
  }

  Desc manifest(Desc config, Desc... layers) {
    return manifest(OciLayouts.OCI_MANIFEST, config, layers);
  }

  /** An image index over the given manifests, each with a platform. */
  Desc imageIndex(Desc... manifests) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", 2);
    m.put("mediaType", OciLayouts.OCI_INDEX);
    List<Object> ms = new ArrayList<>();
    String[] arches = {"amd64", "arm64", "s390x", "ppc64le"};
    for (int i = 0; i < manifests.length; i++) {
      Map<String, Object> d = manifests[i].json();
      d.put("platform", Map.of("os", "linux", "architecture", arches[i % arches.length]));
      ms.add(d);
    }
    m.put("manifests", ms);
    return blob(OciLayouts.OCI_INDEX, JSON.writeValueAsBytes(m));
  }

  /** A pack as ORAS pushes it: empty config, one tar.gz layer with a title. */
  Desc packManifest(byte[] packTarGz) {
    return manifest(emptyConfig(), blob(LAYER_TAR, packTarGz));
  }

  OciBundle ref(Desc artifact, String ref) {
    Map<String, Object> d = artifact.json();
    d.put("annotations", Map.of(OciLayouts.REF_NAME, ref));
    index.add(d);
    return this;
  }

  OciBundle removeBlob(Desc d) {
    blobs.remove(d.digest());
    return this;
  }

  /** Stores content under a blob name that is not its digest. */
  OciBundle replaceBlobContent(Desc d, byte[] content) {
    blobs.put(d.digest(), content);
    return this;
  }

  OciBundle extraEntry(String name, byte[] content) {
    extra.put(name, content);
    return this;
  }

  OciBundle indexJson(String json) {
    indexOverride = json;
    return this;
  }

  TestArchives.TarBuilder tarBuilder() {
    TestArchives.TarBuilder tar = new TestArchives.TarBuilder();
    if (!top.isEmpty()) {
      tar.dir(top);
    }
    if (!blobsFirst) {
      writeLayoutFiles(tar);
    }
    tar.dir(top + "blobs/").dir(top + "blobs/sha256/");
    for (Map.Entry<String, byte[]> b : blobs.entrySet()) {
      tar.file(top + "blobs/sha256/" + b.getKey().substring("sha256:".length()), b.getValue());
    }
    for (Map.Entry<String, byte[]> e : extra.entrySet()) {
      tar.file(e.getKey(), e.getValue());
    }
    if (blobsFirst) {
      writeLayoutFiles(tar);
    }
    return tar;
  }

  private void writeLayoutFiles(TestArchives.TarBuilder tar) {
    tar.file(top + "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
    String indexJson;
    if (indexOverride != null) {
      indexJson = indexOverride;
    } else {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("schemaVersion", 2);
      m.put("mediaType", OciLayouts.OCI_INDEX);
      m.put("manifests", index);
      indexJson = JSON.writeValueAsString(m);
    }
    tar.file(top + "index.json", indexJson);
  }

  byte[] zstd() {
    return tarBuilder().zstd();
  }
}
