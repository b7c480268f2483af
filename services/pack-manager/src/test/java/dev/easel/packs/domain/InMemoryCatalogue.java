package dev.easel.packs.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A pack catalogue held in memory, filled from small pack.json, values.yaml and schema.yaml texts.
 */
final class InMemoryCatalogue implements PackCatalogueView {

  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final List<CataloguedPack> packs = new ArrayList<>();

  static PackManifest manifest(String packJson) {
    return JSON.readValue(packJson, PackManifest.class);
  }

  /** A pack.json with the usual fields. */
  static String packJson(String name, String version, String layer, String... cloudTypes) {
    return packJson(name, version, layer, List.of(cloudTypes), "[]");
  }

  static String packJson(
      String name, String version, String layer, List<String> cloudTypes, String dependencies) {
    StringBuilder clouds = new StringBuilder();
    for (String c : cloudTypes) {
      clouds.append(clouds.length() == 0 ? "" : ",").append('"').append(c).append('"');
    }
    return "{\"name\":\""
        + name
        + "\",\"displayName\":\""
        + name
        + "\",\"version\":\""
        + version
        + "\",\"layer\":\""
        + layer
        + "\",\"cloudTypes\":["
        + clouds
        + "],\"constraints\":{\"dependencies\":"
        + dependencies
        + ",\"resources\":[{\"type\":\"cpu\",\"minLimit\":100}]}}";
  }

  /** One dependency entry of pack.json. */
  static String dependency(String pack, String layer, String min, String max, String type) {
    return "{\"packName\":\""
        + pack
        + "\",\"layer\":\""
        + layer
        + "\",\"minVersion\":\""
        + min
        + "\",\"maxVersion\":\""
        + max
        + "\",\"type\":\""
        + type
        + "\"}";
  }

  InMemoryCatalogue add(String registry, String packJson, String values, String schema) {
    PackManifest m = manifest(packJson);
    String digest =
        "sha256:" + Integer.toHexString((registry + packJson + values + schema).hashCode());
    packs.add(
        new CataloguedPack(
            registry,
            registry + "-id",
            registry + "/spectro-packs/archive/" + m.name(),
            m,
            values,
            schema,
            null,
            digest));
    return this;
  }

  InMemoryCatalogue add(String packJson, String values, String schema) {
    return add("main", packJson, values, schema);
  }

  InMemoryCatalogue add(String packJson) {
    return add("main", packJson, "", null);
  }

  /** A pack directory as shipped: pack.json, values.yaml and, when present, schema.yaml. */
  InMemoryCatalogue addDirectory(String registry, Path dir) {
    try {
      Path schema = dir.resolve("schema.yaml");
      Path presets = dir.resolve("presets.yaml");
      PackManifest m = manifest(Files.readString(dir.resolve("pack.json")));
      packs.add(
          new CataloguedPack(
              registry,
              registry + "-id",
              registry + "/spectro-packs/archive/" + m.name(),
              m,
              Files.readString(dir.resolve("values.yaml")),
              Files.exists(schema) ? Files.readString(schema) : null,
              Files.exists(presets) ? Files.readString(presets) : null,
              "sha256:" + dir.getFileName()));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<CataloguedPack> versions(String packName, String version) {
    return packs.stream()
        .filter(p -> p.manifest().name().equals(packName) && p.manifest().version().equals(version))
        .toList();
  }
}
