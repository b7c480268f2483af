package dev.easel.packs.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The rules a cluster profile meets before it is stored: its own fields, the shape of its layer
 * stack, the packs it names and what they ask of each other, the values it overrides, and its
 * variables. Validation reports every problem at once, each pinned to its field, so a client can
 * fix a profile in one round trip.
 */
public final class ProfileRules {

  /** Profile names: DNS labels, as they end up in resource names. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** Variable names: identifiers Go templates can reach as {@code .spectro.var.NAME}. */
  public static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  public static final int MAX_DESCRIPTION = 1000;
  public static final int MAX_DISPLAY_NAME = 200;
  public static final int MAX_LAYERS = 50;
  public static final int MAX_REGEX = 1000;

  private static final Pattern PACK_NAME = Pattern.compile(PackManifest.NAME_PATTERN);

  /** The infrastructure layers, in the order they stack. */
  private static final List<Layer> INFRA = List.of(Layer.OS, Layer.K8S, Layer.CNI, Layer.CSI);

  private ProfileRules() {}

  /** Every problem of the profile against the catalogue; empty when it may be stored. */
  public static List<FieldProblem> validate(ProfileDefinition p, PackCatalogueView catalogue) {
    return check(p, catalogue).problems();
  }

  /** The problems, and what was worked out on the way, for {@link ProfileResolution}. */
  static Checked check(ProfileDefinition p, PackCatalogueView catalogue) {
    List<FieldProblem> problems = new ArrayList<>();
    if (p == null) {
      problems.add(new FieldProblem("", "required", "a profile definition is required"));
      return new Checked(problems, List.of());
    }
    Objects.requireNonNull(catalogue, "catalogue");
    checkHeader(p, problems);
    List<Slot> slots = checkLayers(p, catalogue, problems);
    Optional<ProfileType> type = p.typeEnum();
    if (type.isPresent()) {
      checkStack(type.get(), slots, problems);
    }
    checkCloudTypes(p, slots, problems);
    checkDependencies(slots, problems);
    checkValues(slots, problems);
    checkVariableReferences(p, slots, problems);
    checkVariables(p.variables(), problems);
    return new Checked(List.copyOf(problems), slots);
  }

  /** Validation's findings: the problems, and one slot per non-null layer. */
  record Checked(List<FieldProblem> problems, List<Slot> slots) {}

  /** What validation learnt of one layer. */
  static final class Slot {
    final int index;
    final ProfileLayer layer;

    /** The registry copy in use; null for manifest layers and packs not found. */
    CataloguedPack pack;

    /** The layer it stands as; null while unknown. */
    Layer kind;

    /** The pack's own values; empty for manifest layers. */
    JsonNode defaults = JsonNodeFactory.instance.objectNode();

    /** Defaults with the overrides merged in; null when the overrides did not parse. */
    JsonNode merged;

    Slot(int index, ProfileLayer layer) {
      this.index = index;
      this.layer = layer;
    }

    String field() {
      return "layers[" + index + "]";
    }

    String keyField() {
      return field() + (layer.pack() != null ? ".pack" : ".name");
    }

    boolean isPack() {
      return layer.pack() != null;
    }

    /** "cni-calico 3.29.2", or the manifest layer's name. */
    String label() {
      return isPack() ? layer.pack() + " " + layer.version() : "manifest layer " + layer.name();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The profile's own fields
  // ---------------------------------------------------------------------------------------------

  private static void checkHeader(ProfileDefinition p, List<FieldProblem> problems) {
    if (blank(p.name())) {
      problems.add(new FieldProblem("name", "required", "a name is required"));
    } else if (!NAME.matcher(p.name()).matches()) {
      problems.add(
          new FieldProblem(
              "name",
              "name-format",
              "'"
                  + shorten(p.name())
                  + "' is not a name: lower-case letters, digits and '-', starting and ending"
                  + " with a letter or digit, at most 63 characters"));
    }
    if (p.description() != null && p.description().length() > MAX_DESCRIPTION) {
      problems.add(
          new FieldProblem(
              "description", "too-long", "at most " + MAX_DESCRIPTION + " characters"));
    }
    if (blank(p.version())) {
      problems.add(new FieldProblem("version", "required", "a version such as 1.0.0 is required"));
    } else if (!SemVer.isValid(p.version())) {
      problems.add(
          new FieldProblem(
              "version",
              "version-format",
              "'"
                  + shorten(p.version())
                  + "' is not a semantic version such as 1.0.0 or 1.2.3-rc.1"));
    }
    Optional<ProfileType> type = p.typeEnum();
    if (blank(p.type())) {
      problems.add(
          new FieldProblem("type", "required", "a type is required: infra, add-on or full"));
    } else if (type.isEmpty()) {
      problems.add(
          new FieldProblem(
              "type",
              "unknown-type",
              "'" + shorten(p.type()) + "' is not a profile type: infra, add-on or full"));
    }
    if (blank(p.cloudType())) {
      problems.add(new FieldProblem("cloudType", "required", "a cloud type is required"));
    } else if (!PackManifest.CLOUD_TYPES.contains(p.cloudType())) {
      problems.add(
          new FieldProblem(
              "cloudType",
              "cloud-type",
              "'"
                  + shorten(p.cloudType())
                  + "' is not a cloud type; one of "
                  + String.join(", ", PackManifest.CLOUD_TYPES.stream().sorted().toList())));
    } else if (p.cloudType().equals("all")
        && type.isPresent()
        && type.get() != ProfileType.ADD_ON) {
      problems.add(
          new FieldProblem(
              "cloudType",
              "cloud-type",
              "cloud type 'all' is only for add-on profiles; a "
                  + type.get().wire()
                  + " profile names the cloud it runs on"));
    }
    if (p.layers().isEmpty()) {
      problems.add(new FieldProblem("layers", "layer-count", "a profile needs at least one layer"));
    } else if (p.layers().size() > MAX_LAYERS) {
      problems.add(
          new FieldProblem(
              "layers",
              "layer-count",
              "at most " + MAX_LAYERS + " layers; this profile has " + p.layers().size()));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Each layer, and the packs it names
  // ---------------------------------------------------------------------------------------------

  private static List<Slot> checkLayers(
      ProfileDefinition p, PackCatalogueView catalogue, List<FieldProblem> problems) {
    List<Slot> slots = new ArrayList<>();
    Map<String, Integer> firstByKey = new HashMap<>();
    for (int i = 0; i < p.layers().size(); i++) {
      ProfileLayer layer = p.layers().get(i);
      if (layer == null) {
        problems.add(new FieldProblem("layers[" + i + "]", "required", "a layer is required here"));
        continue;
      }
      Slot slot = new Slot(i, layer);
      slots.add(slot);
      if (layer.pack() != null) {
        checkPackLayer(slot, catalogue, problems);
      } else {
        checkManifestLayer(slot, problems);
      }
      checkManifests(slot, problems);
      String key = layer.key();
      if (!blank(key)) {
        Integer first = firstByKey.putIfAbsent(key, i);
        if (first != null) {
          problems.add(
              new FieldProblem(
                  slot.keyField(),
                  "duplicate-layer",
                  "'" + key + "' is already layer " + first + "; each pack appears once"));
        }
      }
    }
    return slots;
  }

  private static void checkPackLayer(
      Slot slot, PackCatalogueView catalogue, List<FieldProblem> problems) {
    ProfileLayer layer = slot.layer;
    boolean named = true;
    if (blank(layer.pack())) {
      problems.add(new FieldProblem(slot.field() + ".pack", "required", "a pack name is required"));
      named = false;
    } else if (!PACK_NAME.matcher(layer.pack()).matches()) {
      problems.add(
          new FieldProblem(
              slot.field() + ".pack",
              "pack-name",
              "'" + shorten(layer.pack()) + "' is not a pack name"));
      named = false;
    }
    if (blank(layer.version())) {
      problems.add(
          new FieldProblem(slot.field() + ".version", "required", "a pack version is required"));
      named = false;
    }
    if (!named) {
      return;
    }
    List<CataloguedPack> copies = new ArrayList<>();
    List<CataloguedPack> answer = catalogue.versions(layer.pack(), layer.version());
    if (answer != null) {
      for (CataloguedPack c : answer) {
        if (c != null) {
          copies.add(c);
        }
      }
    }
    copies.sort(Comparator.comparing(c -> Objects.toString(c.registry(), "")));
    String registries =
        copies.stream().map(CataloguedPack::registry).collect(Collectors.joining(", "));
    if (copies.isEmpty()) {
      problems.add(
          new FieldProblem(
              slot.field() + ".pack",
              "unknown-pack",
              "pack " + slot.label() + " is in no registry"));
      return;
    }
    if (!blank(layer.registry())) {
      Optional<CataloguedPack> inRegistry =
          copies.stream().filter(c -> layer.registry().equals(c.registry())).findFirst();
      if (inRegistry.isEmpty()) {
        problems.add(
            new FieldProblem(
                slot.field() + ".registry",
                "unknown-pack",
                "pack "
                    + slot.label()
                    + " is not in registry '"
                    + shorten(layer.registry())
                    + "'; it is in "
                    + registries));
        return;
      }
      slot.pack = inRegistry.get();
    } else {
      if (copies.size() > 1) {
        problems.add(
            new FieldProblem(
                slot.field() + ".registry",
                "ambiguous-registry",
                "pack "
                    + slot.label()
                    + " is in several registries ("
                    + registries
                    + "); name one"));
      }
      // Registries hold copies of the same pack, so the first still serves the remaining checks.
      slot.pack = copies.get(0);
    }
    PackManifest manifest = slot.pack.manifest();
    if (manifest == null) {
      problems.add(
          new FieldProblem(
              slot.field() + ".pack",
              "catalogue-invalid",
              "the catalogue has no pack.json for " + slot.label()));
      slot.pack = null;
      return;
    }
    Optional<Layer> kind = Layer.of(manifest.layer());
    if (kind.isEmpty()) {
      problems.add(
          new FieldProblem(
              slot.field() + ".pack",
              "layer-not-allowed",
              "pack "
                  + slot.label()
                  + " is a '"
                  + manifest.layer()
                  + "' layer, which profiles here do not hold; use os, k8s, cni, csi or addon"
                  + " packs"));
      return;
    }
    slot.kind = kind.get();
  }

  private static void checkManifestLayer(Slot slot, List<FieldProblem> problems) {
    ProfileLayer layer = slot.layer;
    slot.kind = Layer.ADDON;
    if (blank(layer.name())) {
      problems.add(
          new FieldProblem(
              slot.field() + ".name",
              "required",
              "a layer without a pack is a manifest layer and needs a name"));
    } else if (!PACK_NAME.matcher(layer.name()).matches()) {
      problems.add(
          new FieldProblem(
              slot.field() + ".name",
              "layer-name",
              "'"
                  + shorten(layer.name())
                  + "' is not a layer name: lower-case letters, digits, '.', '_' and '-'"));
    }
    if (layer.manifests().isEmpty()) {
      problems.add(
          new FieldProblem(
              slot.field() + ".manifests",
              "required",
              "a manifest layer needs at least one manifest"));
    }
  }

  private static void checkManifests(Slot slot, List<FieldProblem> problems) {
    Set<String> names = new HashSet<>();
    List<ManifestFile> manifests = slot.layer.manifests();
    for (int k = 0; k < manifests.size(); k++) {
      ManifestFile m = manifests.get(k);
      String at = slot.field() + ".manifests[" + k + "]";
      if (m == null) {
        problems.add(new FieldProblem(at, "required", "a manifest is required here"));
        continue;
      }
      if (blank(m.name())) {
        problems.add(new FieldProblem(at + ".name", "required", "a manifest needs a name"));
      } else if (!PACK_NAME.matcher(m.name()).matches()) {
        problems.add(
            new FieldProblem(
                at + ".name",
                "manifest-name",
                "'"
                    + shorten(m.name())
                    + "' is not a manifest name: lower-case letters, digits, '.', '_' and '-'"));
      } else if (!names.add(m.name())) {
        problems.add(
            new FieldProblem(
                at + ".name",
                "duplicate-manifest",
                "manifest '" + m.name() + "' appears twice in this layer"));
      }
      if (blank(m.content())) {
        problems.add(new FieldProblem(at + ".content", "required", "a manifest needs content"));
      } else if (Yaml.utf8Length(m.content()) > Yaml.MAX_DOCUMENT_BYTES) {
        problems.add(
            new FieldProblem(
                at + ".content",
                "too-long",
                "a manifest holds at most " + Yaml.MAX_DOCUMENT_BYTES / 1024 + " KiB"));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The layer stack
  // ---------------------------------------------------------------------------------------------

  private static void checkStack(ProfileType type, List<Slot> slots, List<FieldProblem> problems) {
    Map<Layer, Slot> seen = new EnumMap<>(Layer.class);
    Slot highest = null;
    boolean unresolved = false;
    boolean addonSeen = false;
    for (Slot s : slots) {
      if (s.kind == null) {
        unresolved = true;
        continue;
      }
      Layer kind = s.kind;
      if (type == ProfileType.ADD_ON && kind != Layer.ADDON) {
        problems.add(
            new FieldProblem(
                s.field(),
                "layer-not-allowed",
                "an add-on profile holds only addon layers; "
                    + s.label()
                    + " is a "
                    + kind.wire()
                    + " layer"));
        continue;
      }
      if (type == ProfileType.INFRA && kind == Layer.ADDON) {
        problems.add(
            new FieldProblem(
                s.field(),
                "layer-not-allowed",
                "an infra profile holds only the os, k8s, cni and csi layers; "
                    + s.label()
                    + " is an addon layer (use a full or an add-on profile)"));
        continue;
      }
      if (kind != Layer.ADDON) {
        Slot first = seen.putIfAbsent(kind, s);
        if (first != null) {
          problems.add(
              new FieldProblem(
                  s.field(),
                  "layer-duplicate",
                  "a profile has one "
                      + kind.wire()
                      + " layer; "
                      + first.label()
                      + " at layer "
                      + first.index
                      + " is one already"));
          continue;
        }
      } else {
        addonSeen = true;
      }
      if (highest != null && kind.ordinal() < highest.kind.ordinal()) {
        problems.add(
            new FieldProblem(
                s.field(),
                "layer-order",
                "the "
                    + kind.wire()
                    + " layer "
                    + s.label()
                    + " has to come before the "
                    + highest.kind.wire()
                    + " layer "
                    + highest.label()
                    + " (layers stack os, k8s, cni, csi, then add-ons)"));
      } else {
        highest = s;
      }
    }
    if (type == ProfileType.ADD_ON || unresolved) {
      // A layer whose pack is unknown may be the missing one: its own problem comes first.
      return;
    }
    List<String> missing = new ArrayList<>();
    for (Layer l : INFRA) {
      if (!seen.containsKey(l)) {
        missing.add(l.wire());
      }
    }
    if (!missing.isEmpty()) {
      problems.add(
          new FieldProblem(
              "layers",
              "layer-missing",
              "the "
                  + type.wire()
                  + " profile needs one os, k8s, cni and csi layer; missing: "
                  + String.join(", ", missing)));
    }
    if (type == ProfileType.FULL && !addonSeen) {
      problems.add(
          new FieldProblem(
              "layers",
              "layer-missing",
              "a full profile needs at least one addon layer after its infrastructure layers;"
                  + " without add-ons make it an infra profile"));
    }
  }

  private static void checkCloudTypes(
      ProfileDefinition p, List<Slot> slots, List<FieldProblem> problems) {
    String cloud = p.cloudType();
    if (blank(cloud) || !PackManifest.CLOUD_TYPES.contains(cloud)) {
      return;
    }
    for (Slot s : slots) {
      if (s.pack == null) {
        continue;
      }
      List<String> clouds = s.pack.manifest().cloudTypes();
      // pack-central's schema leaves cloudTypes optional; a pack that names none runs anywhere.
      if (clouds.isEmpty() || clouds.contains("all") || clouds.contains(cloud)) {
        continue;
      }
      problems.add(
          new FieldProblem(
              s.field() + ".pack",
              "cloud-type",
              "pack "
                  + s.label()
                  + " runs on "
                  + String.join(", ", clouds)
                  + (cloud.equals("all")
                      ? ", not on every cloud as cloud type 'all' requires"
                      : ", not on " + cloud)));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Dependencies between packs
  // ---------------------------------------------------------------------------------------------

  private static void checkDependencies(List<Slot> slots, List<FieldProblem> problems) {
    Map<String, Slot> byPack = new HashMap<>();
    for (Slot s : slots) {
      if (s.isPack() && !blank(s.layer.pack())) {
        byPack.putIfAbsent(s.layer.pack(), s);
      }
    }
    for (Slot s : slots) {
      if (s.pack == null) {
        continue;
      }
      List<PackManifest.Dependency> deps = s.pack.manifest().constraints().dependencies();
      for (int k = 0; k < deps.size(); k++) {
        PackManifest.Dependency d = deps.get(k);
        if (d == null || blank(d.packName()) || d.type() == null) {
          continue;
        }
        // "upgrade" is in pack-central's schema but described nowhere (piraeus-operator declares
        // itself with it); it says nothing about the other packs of a profile.
        if (!d.type().equals("required")
            && !d.type().equals("optional")
            && !d.type().equals("notSupported")) {
          continue;
        }
        if (d.packName().equals(s.layer.pack())) {
          continue;
        }
        Optional<Range> range = Range.of(d);
        if (range.isEmpty()) {
          problems.add(
              new FieldProblem(
                  s.field() + ".pack",
                  "catalogue-invalid",
                  "pack "
                      + s.label()
                      + " declares a dependency on "
                      + d.packName()
                      + " with a bound that is not a version ("
                      + d.minVersion()
                      + ", "
                      + d.maxVersion()
                      + ")"));
          continue;
        }
        Slot other = byPack.get(d.packName());
        Optional<SemVer> otherVersion =
            other == null ? Optional.empty() : SemVer.parse(other.layer.version());
        boolean present = other != null;
        boolean inside = otherVersion.isPresent() && range.get().admits(otherVersion.get());
        switch (d.type()) {
          case "required":
            if (!present) {
              problems.add(
                  new FieldProblem(
                      s.field() + ".pack",
                      "dependency-missing",
                      "pack "
                          + s.label()
                          + " requires pack "
                          + d.packName()
                          + " ("
                          + range.get()
                          + ") in the profile"));
            } else if (otherVersion.isPresent() && !inside) {
              problems.add(
                  new FieldProblem(
                      other.field() + ".version",
                      "dependency-version",
                      "pack "
                          + s.label()
                          + " requires "
                          + d.packName()
                          + " "
                          + range.get()
                          + "; the profile has "
                          + other.label()));
            }
            break;
          case "optional":
            if (otherVersion.isPresent() && !inside) {
              problems.add(
                  new FieldProblem(
                      other.field() + ".version",
                      "dependency-version",
                      "pack "
                          + s.label()
                          + " works with "
                          + d.packName()
                          + " "
                          + range.get()
                          + " only; the profile has "
                          + other.label()));
            }
            break;
          default:
            if (present && (range.get().unbounded() || inside)) {
              problems.add(
                  new FieldProblem(
                      other.field() + ".pack",
                      "not-supported",
                      "pack "
                          + s.label()
                          + " does not support "
                          + other.label()
                          + (range.get().unbounded()
                              ? " (no version of " + d.packName() + ")"
                              : " (" + d.packName() + " " + range.get() + ")")));
            }
        }
      }
    }
  }

  /** The versions a dependency admits; either bound may be absent or partial ({@code 1.27}). */
  record Range(SemVer.Partial min, SemVer.Partial max) {

    static Optional<Range> of(PackManifest.Dependency d) {
      SemVer.Partial min = null;
      SemVer.Partial max = null;
      if (!blank(d.minVersion())) {
        Optional<SemVer.Partial> parsed = SemVer.Partial.parse(d.minVersion());
        if (parsed.isEmpty()) {
          return Optional.empty();
        }
        min = parsed.get();
      }
      if (!blank(d.maxVersion())) {
        Optional<SemVer.Partial> parsed = SemVer.Partial.parse(d.maxVersion());
        if (parsed.isEmpty()) {
          return Optional.empty();
        }
        max = parsed.get();
      }
      return Optional.of(new Range(min, max));
    }

    boolean unbounded() {
      return min == null && max == null;
    }

    boolean admits(SemVer v) {
      return (min == null || min.admitsAsMinimum(v)) && (max == null || max.admitsAsMaximum(v));
    }

    @Override
    public String toString() {
      if (min != null && max != null) {
        return "between " + min + " and " + max;
      }
      if (min != null) {
        return min + " or later";
      }
      if (max != null) {
        return max + " or earlier";
      }
      return "any version";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Values
  // ---------------------------------------------------------------------------------------------

  private static void checkValues(List<Slot> slots, List<FieldProblem> problems) {
    for (Slot s : slots) {
      String valuesField = s.field() + ".values";
      JsonNode override = JsonNodeFactory.instance.objectNode();
      boolean parsed = true;
      if (!blank(s.layer.values())) {
        try {
          override = Yaml.parseMapping(s.layer.values());
        } catch (IllegalArgumentException e) {
          problems.add(
              new FieldProblem(
                  valuesField,
                  "values-not-yaml",
                  "the values are not a YAML mapping: " + e.getMessage()));
          parsed = false;
        }
      }
      if (s.pack != null) {
        try {
          s.defaults = PackCache.defaults(s.pack);
        } catch (IllegalArgumentException e) {
          problems.add(
              new FieldProblem(
                  s.field() + ".pack",
                  "catalogue-invalid",
                  "the values.yaml of pack " + s.label() + " cannot be read: " + e.getMessage()));
        }
      }
      if (!parsed) {
        continue;
      }
      s.merged = Yaml.merge(s.defaults, override);
      if (s.pack == null) {
        continue;
      }
      ValuesSchema schema;
      try {
        schema = PackCache.schema(s.pack);
      } catch (IllegalArgumentException e) {
        problems.add(
            new FieldProblem(
                s.field() + ".pack",
                "schema-invalid",
                "the schema.yaml of pack " + s.label() + " cannot be read: " + e.getMessage()));
        continue;
      }
      problems.addAll(schema.check(s.defaults, s.merged, valuesField));
    }
  }

  private static void checkVariableReferences(
      ProfileDefinition p, List<Slot> slots, List<FieldProblem> problems) {
    Set<String> declared = new HashSet<>();
    for (Variable v : p.variables()) {
      if (v != null && v.name() != null) {
        declared.add(v.name());
      }
    }
    Set<String> reported = new LinkedHashSet<>();
    for (Slot s : slots) {
      if (s.merged != null) {
        undeclaredInTree(s.merged, s.field() + ".values", declared, reported, problems);
      } else if (s.layer.values() != null) {
        undeclared(s.layer.values(), s.field() + ".values", declared, reported, problems);
      }
      List<ManifestFile> manifests = s.layer.manifests();
      for (int k = 0; k < manifests.size(); k++) {
        ManifestFile m = manifests.get(k);
        if (m != null) {
          undeclared(
              m.content(),
              s.field() + ".manifests[" + k + "].content",
              declared,
              reported,
              problems);
        }
      }
    }
  }

  private static void undeclaredInTree(
      JsonNode node,
      String field,
      Set<String> declared,
      Set<String> reported,
      List<FieldProblem> problems) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        undeclaredInTree(e.getValue(), field + "." + e.getKey(), declared, reported, problems);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        undeclaredInTree(node.get(i), field + "[" + i + "]", declared, reported, problems);
      }
    } else if (node.isString()) {
      undeclared(node.stringValue(), field, declared, reported, problems);
    }
  }

  private static void undeclared(
      String text,
      String field,
      Set<String> declared,
      Set<String> reported,
      List<FieldProblem> problems) {
    for (String name : Placeholders.variablesIn(text)) {
      if (!declared.contains(name) && reported.add(field + "\u0000" + name)) {
        problems.add(
            new FieldProblem(
                field,
                "undeclared-variable",
                "{{.spectro.var." + name + "}} refers to a variable the profile does not declare"));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Variables
  // ---------------------------------------------------------------------------------------------

  private static void checkVariables(List<Variable> variables, List<FieldProblem> problems) {
    Map<String, Integer> names = new HashMap<>();
    Map<String, Integer> displayNames = new HashMap<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable v = variables.get(i);
      String at = "variables[" + i + "]";
      if (v == null) {
        problems.add(new FieldProblem(at, "required", "a variable is required here"));
        continue;
      }
      if (blank(v.name())) {
        problems.add(new FieldProblem(at + ".name", "required", "a variable needs a name"));
      } else if (!VARIABLE_NAME.matcher(v.name()).matches()) {
        problems.add(
            new FieldProblem(
                at + ".name",
                "variable-name",
                "'"
                    + shorten(v.name())
                    + "' is not a variable name: a letter or '_', then letters, digits or '_',"
                    + " at most 63 characters"));
      } else {
        Integer first = names.putIfAbsent(v.name(), i);
        if (first != null) {
          problems.add(
              new FieldProblem(
                  at + ".name",
                  "duplicate-variable",
                  "variable '" + v.name() + "' is already declared at variables[" + first + "]"));
        }
      }
      if (!blank(v.displayName())) {
        if (v.displayName().length() > MAX_DISPLAY_NAME) {
          problems.add(
              new FieldProblem(
                  at + ".displayName", "too-long", "at most " + MAX_DISPLAY_NAME + " characters"));
        }
        Integer first = displayNames.putIfAbsent(v.displayName(), i);
        if (first != null) {
          problems.add(
              new FieldProblem(
                  at + ".displayName",
                  "duplicate-display-name",
                  "display name '"
                      + shorten(v.displayName())
                      + "' is already used by variables["
                      + first
                      + "]"));
        }
      }
      if (v.description() != null && v.description().length() > MAX_DESCRIPTION) {
        problems.add(
            new FieldProblem(
                at + ".description", "too-long", "at most " + MAX_DESCRIPTION + " characters"));
      }
      checkVariableValues(v, at, problems);
    }
  }

  private static void checkVariableValues(Variable v, String at, List<FieldProblem> problems) {
    String format = v.formatOrString();
    boolean formatKnown = Variable.FORMATS.contains(format);
    if (!formatKnown) {
      problems.add(
          new FieldProblem(
              at + ".format",
              "variable-format",
              "'"
                  + shorten(format)
                  + "' is not a variable format; one of "
                  + String.join(", ", Variable.FORMATS)));
    }
    Optional<String> effectiveDefault = v.effectiveDefault();
    if (v.hidden() && v.required() && effectiveDefault.isEmpty()) {
      problems.add(
          new FieldProblem(
              at + ".defaultValue",
              "variable-default-required",
              "a hidden required variable needs a default value: nobody is asked for it"));
    }
    if (v.immutable() && effectiveDefault.isEmpty()) {
      problems.add(
          new FieldProblem(
              at + ".defaultValue",
              "variable-default-required",
              "a read-only variable needs a default value: it is its only value"));
    }
    Pattern regex = null;
    if (!blank(v.regex())) {
      if (v.regex().length() > MAX_REGEX) {
        problems.add(
            new FieldProblem(
                at + ".regex", "variable-regex", "at most " + MAX_REGEX + " characters"));
      } else {
        try {
          regex = Pattern.compile(v.regex());
        } catch (PatternSyntaxException e) {
          problems.add(
              new FieldProblem(
                  at + ".regex",
                  "variable-regex",
                  "the regular expression does not compile: " + e.getDescription()));
        }
      }
    }
    if (!blank(v.defaultValue())) {
      valueProblem(v, format, formatKnown, regex, v.defaultValue())
          .ifPresent(
              why ->
                  problems.add(
                      new FieldProblem(
                          at + ".defaultValue", "variable-default", "the default " + why)));
    }
    if (v.options().isEmpty()) {
      return;
    }
    Set<String> values = new LinkedHashSet<>();
    int defaults = 0;
    for (int k = 0; k < v.options().size(); k++) {
      Variable.Option o = v.options().get(k);
      String oat = at + ".options[" + k + "]";
      if (o == null) {
        problems.add(new FieldProblem(oat, "required", "an option is required here"));
        continue;
      }
      if (o.isDefault()) {
        defaults++;
      }
      if (blank(o.value())) {
        problems.add(new FieldProblem(oat + ".value", "required", "an option needs a value"));
        continue;
      }
      if (!values.add(o.value())) {
        problems.add(
            new FieldProblem(
                oat + ".value",
                "duplicate-option",
                "option '" + shorten(show(v, o.value())) + "' appears twice"));
      }
      valueProblem(v, format, formatKnown, regex, o.value())
          .ifPresent(
              why ->
                  problems.add(
                      new FieldProblem(oat + ".value", "variable-options", "the option " + why)));
      if (o.isDefault() && !blank(v.defaultValue()) && !o.value().equals(v.defaultValue())) {
        problems.add(
            new FieldProblem(
                oat + ".isDefault",
                "variable-options",
                "the default option differs from the variable's default value"));
      }
    }
    if (defaults > 1) {
      problems.add(
          new FieldProblem(
              at + ".options", "variable-options", "at most one option may be the default"));
    }
    if (!blank(v.defaultValue()) && !values.contains(v.defaultValue())) {
      problems.add(
          new FieldProblem(
              at + ".defaultValue",
              "variable-default",
              "the default has to be one of the options"
                  + (v.sensitive() ? "" : ": " + shorten(String.join(", ", values)))));
    }
  }

  /**
   * Why a value does not suit the variable, phrased to follow "the default" or "the value"; empty
   * when it does. Used for defaults, options and the values given at deployment.
   */
  static Optional<String> valueProblem(
      Variable v, String format, boolean formatKnown, Pattern regex, String value) {
    if (formatKnown && !TextFormats.isValid(format, value)) {
      return Optional.of(
          "'" + shorten(show(v, value)) + "' is not " + TextFormats.describe(format));
    }
    if (regex != null) {
      Regexes.Outcome outcome = Regexes.finds(regex, value);
      if (outcome == Regexes.Outcome.TOO_COMPLEX) {
        return Optional.of(
            "could not be checked: the regular expression is too costly for this value");
      }
      if (outcome == Regexes.Outcome.NO_MATCH) {
        return Optional.of(
            "'"
                + shorten(show(v, value))
                + "' does not match the regular expression "
                + shorten(v.regex()));
      }
    }
    return Optional.empty();
  }

  /** A value as messages may show it: masked for sensitive variables. */
  static String show(Variable v, String value) {
    return v.sensitive() ? ProfileResolution.MASK : value;
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  static String shorten(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
