package dev.easel.compliance.application;

import dev.easel.compliance.domain.feature.Feature;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which pack provides which feature: configuration ({@code easel.compliance.features.<feature>}),
 * with the seed's table as the default.
 */
public final class FeaturePacks {

  public static final String THIRD_PARTY = "easel-third-party";
  public static final String THIRD_PARTY_CONFORMANCE = "easel-third-party-conformance";

  private final Map<Feature, String> packs;

  public FeaturePacks(Map<Feature, String> packs) {
    this.packs = new EnumMap<>(Feature.class);
    this.packs.putAll(defaults());
    this.packs.putAll(packs);
  }

  public static Map<Feature, String> defaults() {
    Map<Feature, String> d = new EnumMap<>(Feature.class);
    d.put(Feature.BACKUP_RESTORE, THIRD_PARTY);
    d.put(Feature.CONFIGURATION_SECURITY, THIRD_PARTY);
    d.put(Feature.PENETRATION_TESTING, THIRD_PARTY);
    d.put(Feature.SBOM, THIRD_PARTY);
    d.put(Feature.CONFORMANCE, THIRD_PARTY_CONFORMANCE);
    return d;
  }

  public String packOf(Feature f) {
    return packs.get(f);
  }

  /** The features a pack provides; empty for any other pack. */
  public List<Feature> featuresOf(String pack) {
    List<Feature> out = new ArrayList<>();
    packs.forEach(
        (f, p) -> {
          if (p.equals(pack)) {
            out.add(f);
          }
        });
    return out;
  }
}
