package dev.easel.packs.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;

/**
 * Turns a valid profile into its bill of materials: for each layer the pack copy in use, the values
 * in force, the images and charts they pull and the manifests they apply.
 *
 * <p>With {@code substituteVariables} the result is what a cluster deploys: each variable takes the
 * given value, else its default, else the empty string, and is filled in wherever the layers refer
 * to it. Without it the variables stay as placeholders, which is the form a profile version is
 * published in; only pack references and the system macros given are filled in then.
 */
public final class ProfileResolution {

  /** What a sensitive variable's value is shown as. */
  public static final String MASK = "********";

  private ProfileResolution() {}

  /**
   * The resolved profile.
   *
   * @param layers in stack order; empty whenever there are problems
   * @param variables the value each variable took, sensitive ones masked; empty when variables were
   *     not substituted
   */
  public record Resolved(
      List<ResolvedLayer> layers, Map<String, String> variables, List<FieldProblem> problems) {
    public Resolved {
      layers = List.copyOf(layers);
      variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * One layer of the bill of materials.
   *
   * @param kind {@code pack} or {@code manifest}
   * @param layer the stack layer: os, k8s, cni, csi or addon
   * @param name the pack's name, or the manifest layer's
   * @param version the pack version; null for a manifest layer
   * @param registry the registry's name; null for a manifest layer
   * @param values the values in force, as YAML
   * @param images every {@code pack.content.images[].image} of the values in force
   * @param charts every {@code pack.content.charts[]} as {@code repo/name:version}
   * @param manifests the layer's own manifests, filled in like the values
   */
  public record ResolvedLayer(
      String kind,
      String layer,
      String name,
      String version,
      String registry,
      String repository,
      String digest,
      String values,
      List<String> images,
      List<String> charts,
      List<ManifestFile> manifests) {
    public ResolvedLayer {
      images = List.copyOf(images);
      charts = List.copyOf(charts);
      manifests = List.copyOf(manifests);
    }
  }

  /**
   * Resolves the profile; any problem (of validation first, then of the variables and of the
   * filled-in values) leaves the layers empty.
   *
   * @param variableValues values given for the profile's variables, by name; may be null
   * @param system system macro values by key ({@code cluster.kubevip}); may be null
   */
  public static Resolved resolve(
      ProfileDefinition p,
      PackCatalogueView catalogue,
      Map<String, String> variableValues,
      Map<String, String> system,
      boolean substituteVariables) {
    ProfileRules.Checked checked = ProfileRules.check(p, catalogue);
    if (!checked.problems().isEmpty()) {
      return new Resolved(List.of(), Map.of(), checked.problems());
    }
    Map<String, String> given = variableValues == null ? Map.of() : variableValues;
    Map<String, String> macros = system == null ? Map.of() : system;
    List<FieldProblem> problems = new ArrayList<>();
    Map<String, String> used = new LinkedHashMap<>();
    Map<String, String> shown = new LinkedHashMap<>();
    Function<String, Optional<String>> variable = null;
    if (substituteVariables) {
      chooseValues(p.variables(), given, used, shown, problems);
      variable = name -> Optional.ofNullable(used.get(name));
    }

    List<ProfileRules.Slot> slots = checked.slots();
    List<ResolvedLayer> layers = new ArrayList<>();
    for (ProfileRules.Slot s : slots) {
      Function<String, Optional<String>> packRef = packReference(s, slots, variable, macros);
      JsonNode values = Placeholders.substituteTree(s.merged, variable, packRef, macros);
      if (s.pack != null) {
        problems.addAll(PackCache.schema(s.pack).check(values, values, s.field() + ".values"));
      }
      List<ManifestFile> manifests = new ArrayList<>();
      for (ManifestFile m : s.layer.manifests()) {
        manifests.add(
            new ManifestFile(
                m.name(), Placeholders.substitute(m.content(), variable, packRef, macros)));
      }
      layers.add(layer(s, values, manifests));
    }
    if (!problems.isEmpty()) {
      return new Resolved(List.of(), shown, problems);
    }
    return new Resolved(layers, shown, List.of());
  }

  /**
   * The value of each declared variable: the given one, else the default. Problems are fields of
   * the values map, {@code variableValues.NAME}.
   */
  private static void chooseValues(
      List<Variable> variables,
      Map<String, String> given,
      Map<String, String> used,
      Map<String, String> shown,
      List<FieldProblem> problems) {
    Set<String> declared = new HashSet<>();
    for (Variable v : variables) {
      declared.add(v.name());
    }
    for (String name : given.keySet()) {
      if (!declared.contains(name)) {
        problems.add(
            new FieldProblem(
                "variableValues." + name,
                "undeclared-variable",
                "the profile declares no variable '" + ProfileRules.shorten(name) + "'"));
      }
    }
    for (Variable v : variables) {
      String field = "variableValues." + v.name();
      Optional<String> fallback = v.effectiveDefault();
      boolean isGiven = given.containsKey(v.name()) && given.get(v.name()) != null;
      String value = isGiven ? given.get(v.name()) : fallback.orElse("");
      if (v.immutable() && isGiven && !value.equals(fallback.orElse(""))) {
        problems.add(
            new FieldProblem(
                field,
                "variable-immutable",
                "variable '" + v.name() + "' is read-only; it keeps its default value"));
      } else if (value.isEmpty()) {
        if (v.required()) {
          problems.add(
              new FieldProblem(
                  field,
                  "variable-required",
                  "variable '" + v.name() + "' is required and has no default value"));
        }
      } else {
        valueProblems(v, value, field, problems);
      }
      used.put(v.name(), value);
      shown.put(v.name(), v.sensitive() ? MASK : value);
    }
  }

  private static void valueProblems(
      Variable v, String value, String field, List<FieldProblem> problems) {
    String format = v.formatOrString();
    Pattern regex = null;
    if (!ProfileRules.blank(v.regex())) {
      try {
        regex = Pattern.compile(v.regex());
      } catch (PatternSyntaxException e) {
        // Validation reported it already; nothing more to check the value against.
        regex = null;
      }
    }
    ProfileRules.valueProblem(v, format, Variable.FORMATS.contains(format), regex, value)
        .ifPresent(
            why -> problems.add(new FieldProblem(field, "variable-value", "the value " + why)));
    if (!v.options().isEmpty()) {
      boolean listed = v.options().stream().anyMatch(o -> o != null && value.equals(o.value()));
      if (!listed) {
        problems.add(
            new FieldProblem(
                field,
                "variable-value",
                "the value has to be one of the options of variable '" + v.name() + "'"));
      }
    }
  }

  /**
   * Looks up {@code .spectro.pack.PACK.path} in the other layers' values. Pack names may hold dots,
   * so the longest layer name the reference starts with wins. The value found is filled in with
   * variables and system macros as well, but pack references inside it are not followed, so
   * references can never loop.
   */
  private static Function<String, Optional<String>> packReference(
      ProfileRules.Slot self,
      List<ProfileRules.Slot> slots,
      Function<String, Optional<String>> variable,
      Map<String, String> macros) {
    return ref -> {
      ProfileRules.Slot target = null;
      for (ProfileRules.Slot s : slots) {
        String key = s.layer.key();
        if (s == self || key == null || s.merged == null || !ref.startsWith(key + ".")) {
          continue;
        }
        if (target == null || key.length() > target.layer.key().length()) {
          target = s;
        }
      }
      if (target == null) {
        return Optional.empty();
      }
      JsonNode node = Yaml.at(target.merged, ref.substring(target.layer.key().length() + 1));
      if (node.isMissingNode() || node.isNull()) {
        return Optional.empty();
      }
      String text = node.isValueNode() ? node.asString() : node.toString();
      return Optional.of(Placeholders.substitute(text, variable, null, macros));
    };
  }

  private static ResolvedLayer layer(
      ProfileRules.Slot s, JsonNode values, List<ManifestFile> manifests) {
    List<String> images = new ArrayList<>();
    for (JsonNode image : Yaml.at(values, "pack.content.images").values()) {
      JsonNode ref = image.isObject() ? image.path("image") : image;
      if (ref.isString() && !ref.stringValue().isBlank()) {
        images.add(ref.stringValue());
      }
    }
    List<String> charts = new ArrayList<>();
    for (JsonNode chart : Yaml.at(values, "pack.content.charts").values()) {
      String name = text(chart.path("name"));
      if (name.isEmpty()) {
        continue;
      }
      String repo = text(chart.path("repo"));
      while (repo.endsWith("/")) {
        repo = repo.substring(0, repo.length() - 1);
      }
      String version = text(chart.path("version"));
      charts.add(
          (repo.isEmpty() ? "" : repo + "/") + name + (version.isEmpty() ? "" : ":" + version));
    }
    if (!s.isPack()) {
      return new ResolvedLayer(
          "manifest",
          Layer.ADDON.wire(),
          s.layer.name(),
          null,
          null,
          null,
          null,
          Yaml.dump(values),
          images,
          charts,
          manifests);
    }
    return new ResolvedLayer(
        "pack",
        s.kind.wire(),
        s.layer.pack(),
        s.layer.version(),
        s.pack.registry(),
        s.pack.repository(),
        s.pack.digest(),
        Yaml.dump(values),
        images,
        charts,
        manifests);
  }

  private static String text(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node.asString().strip() : "";
  }
}
