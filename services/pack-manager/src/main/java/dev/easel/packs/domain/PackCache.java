package dev.easel.packs.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Parsed pack values.yaml trees by pack digest, so that validating a profile does not parse the
 * same large values files again on every request. The trees handed out are shared: callers read
 * them or copy them ({@link Yaml#merge} copies), never change them.
 */
final class PackCache {

  private static final int SIZE = 256;

  private static final Map<Key, Object> VALUES =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Object> eldest) {
          return size() > SIZE;
        }
      };

  private PackCache() {}

  /** The text is part of the key, so two packs that wrongly share a digest never mix. */
  private record Key(String digest, String yaml) {}

  /**
   * The pack's values.yaml as a tree.
   *
   * @throws IllegalArgumentException when it is not a YAML mapping (remembered as well)
   */
  static JsonNode defaults(CataloguedPack pack) {
    String yaml = pack.valuesYaml() == null ? "" : pack.valuesYaml();
    Key key = new Key(pack.digest(), yaml);
    Object hit;
    synchronized (VALUES) {
      hit = VALUES.get(key);
    }
    if (hit == null) {
      try {
        hit = Yaml.parseMapping(yaml);
      } catch (IllegalArgumentException e) {
        hit = e.getMessage();
      }
      synchronized (VALUES) {
        VALUES.put(key, hit);
      }
    }
    if (hit instanceof JsonNode) {
      return (JsonNode) hit;
    }
    throw new IllegalArgumentException((String) hit);
  }

  /** The pack's schema.yaml, parsed; see {@link ValuesSchema#cached}. */
  static ValuesSchema schema(CataloguedPack pack) {
    return ValuesSchema.cached(pack.digest(), pack.schemaYaml());
  }
}
