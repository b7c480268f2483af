package dev.easel.packs.application;

import dev.easel.packs.application.port.CatalogueStore;
import dev.easel.packs.domain.CataloguedPack;
import dev.easel.packs.domain.Layer;
import dev.easel.packs.domain.PackManifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Reading the pack catalogue: cursor pages, a pack's versions, and one version's files. */
@Service
public class Catalogue {

  public static final int MAX_PAGE = 500;

  private final CatalogueStore store;

  public Catalogue(CatalogueStore store) {
    this.store = store;
  }

  /** One page, and the cursor of the next (null on the last page). */
  public record Page(List<CatalogueStore.Summary> items, String next) {}

  /** One pack version in one registry, with its files. */
  public record Detail(CataloguedPack pack, String readme, List<CatalogueStore.Summary> copies) {}

  public Page list(CatalogueStore.Filter filter, String cursor, int limit) {
    if (filter.layer() != null && Layer.of(filter.layer()).isEmpty()) {
      throw new RequestRefused(
          RequestRefused.Kind.INVALID,
          "invalid-parameter",
          "layer must be one of os, k8s, cni, csi, addon");
    }
    if (filter.cloudType() != null && !PackManifest.CLOUD_TYPES.contains(filter.cloudType())) {
      throw new RequestRefused(
          RequestRefused.Kind.INVALID,
          "invalid-parameter",
          "cloudType " + filter.cloudType() + " is not known");
    }
    if (filter.q() != null && filter.q().length() > 200) {
      throw new RequestRefused(
          RequestRefused.Kind.INVALID, "invalid-parameter", "q is at most 200 characters");
    }
    if (limit < 1 || limit > MAX_PAGE) {
      throw new RequestRefused(
          RequestRefused.Kind.INVALID, "invalid-parameter", "limit is between 1 and " + MAX_PAGE);
    }
    CatalogueStore.Page p = store.list(filter, decode(cursor), limit);
    return new Page(p.items(), encode(p.next()));
  }

  public List<CatalogueStore.Summary> versions(String name) {
    List<CatalogueStore.Summary> v = store.versions(name);
    if (v.isEmpty()) {
      throw RequestRefused.notFound("pack " + name);
    }
    return v;
  }

  /**
   * One version: the named registry's copy, or else the internal registry's, or else the first.
   *
   * @param registry a registry name or id, or null
   */
  public Detail version(String name, String version, String registry) {
    List<CataloguedPack> copies = store.find(name, version);
    Optional<CataloguedPack> chosen =
        registry == null
            ? copies.stream().findFirst()
            : copies.stream()
                .filter(c -> c.registry().equals(registry) || c.registryId().equals(registry))
                .findFirst();
    CataloguedPack pack =
        chosen.orElseThrow(
            () ->
                RequestRefused.notFound(
                    "pack " + name + " " + version + (registry == null ? "" : " in " + registry)));
    List<CatalogueStore.Summary> summaries = new ArrayList<>();
    for (CatalogueStore.Summary s : store.versions(name)) {
      if (s.version().equals(version)) {
        summaries.add(s);
      }
    }
    String readme = store.readme(UUID.fromString(pack.registryId()), name, version).orElse(null);
    return new Detail(pack, readme, summaries);
  }

  private static String encode(CatalogueStore.Cursor c) {
    if (c == null) {
      return null;
    }
    String raw = c.name() + "\n" + c.versionKey() + "\n" + c.registryId();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  private static CatalogueStore.Cursor decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException("parts");
      }
      return new CatalogueStore.Cursor(parts[0], parts[1], UUID.fromString(parts[2]));
    } catch (IllegalArgumentException e) {
      throw new RequestRefused(
          RequestRefused.Kind.INVALID, "invalid-cursor", "the cursor is not one this service gave");
    }
  }
}
