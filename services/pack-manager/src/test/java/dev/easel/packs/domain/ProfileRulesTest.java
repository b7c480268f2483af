package dev.easel.packs.domain;

import static dev.easel.packs.domain.InMemoryCatalogue.dependency;
import static dev.easel.packs.domain.InMemoryCatalogue.packJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileRulesTest {

  static final String ZOT_VALUES =
      "pack:\n"
          + "  namespace: zot-system\n"
          + "  content:\n"
          + "    images:\n"
          + "      - image: ghcr.io/project-zot/zot-linux-amd64:v2.1.2\n"
          + "registry:\n"
          + "  port: 30003\n"
          + "  username: admin\n"
          + "  password: '{{.spectro.var.registry_password}}'\n";

  static final String ZOT_SCHEMA =
      "registry.port:\n"
          + "  schema: '{{ required | format \"${number:[30000-32767]}\" }}'\n"
          + "registry.username:\n"
          + "  schema: '{{ required | readonly | format \"${string}\" }}'\n"
          + "registry.password:\n"
          + "  schema: '{{ required | format \"${password}\" }}'\n";

  static InMemoryCatalogue catalogue() {
    return new InMemoryCatalogue()
        .add(packJson("ubuntu", "22.4.0", "os", "edge-native", "maas"))
        .add(packJson("ubuntu-pro", "22.4.0", "os", "edge-native"))
        .add(packJson("kube", "1.26.9", "k8s", "edge-native", "maas"))
        .add(packJson("kube", "1.27.5", "k8s", "edge-native", "maas"))
        .add(packJson("kube", "1.30.2", "k8s", "edge-native", "maas"))
        .add(
            packJson(
                "calico",
                "3.29.2",
                "cni",
                List.of("all"),
                "[" + dependency("kube", "k8s", "1.27", "", "required") + "]"))
        .add(packJson("piraeus", "2.8.1", "csi", "edge-native", "maas"))
        .add(packJson("zot", "0.1.67", "addon", "all"), ZOT_VALUES, ZOT_SCHEMA)
        .add(packJson("nginx", "1.0.0", "addon", "aws"))
        .add(packJson("anywhere", "1.0.0", "addon"))
        .add(
            packJson(
                "legacy",
                "1.0.0",
                "addon",
                List.of("all"),
                "[" + dependency("kube", "k8s", "1.27", "1.27", "notSupported") + "]"))
        .add(
            packJson(
                "never",
                "1.0.0",
                "addon",
                List.of("all"),
                "[" + dependency("kube", "k8s", "", "", "notSupported") + "]"))
        .add(
            packJson(
                "capped",
                "1.0.0",
                "addon",
                List.of("all"),
                "[" + dependency("kube", "k8s", "", "1.27", "optional") + "]"))
        .add(
            packJson(
                "upgrader",
                "1.0.0",
                "addon",
                List.of("all"),
                "["
                    + dependency("kube", "k8s", "9.0", "", "upgrade")
                    + ","
                    + dependency("upgrader", "addon", "1.0.0", "", "upgrade")
                    + "]"))
        .add("main", packJson("mirrored", "1.0.0", "addon", "all"), "", null)
        .add("mirror", packJson("mirrored", "1.0.0", "addon", "all"), "", null)
        .add(
            packJson("bad-schema", "1.0.0", "addon", "all"),
            "a: 1\n",
            "a:\n  schema: '{{ mandatory }}'\n")
        .add(packJson("bad-values", "1.0.0", "addon", "all"), "a: [1\n", null)
        .add(packJson("kernel-pack", "1.0.0", "kernel", "all"));
  }

  static List<ProfileLayer> infra(String kubeVersion) {
    return List.of(
        ProfileLayer.pack("ubuntu", "22.4.0"),
        ProfileLayer.pack("kube", kubeVersion),
        ProfileLayer.pack("calico", "3.29.2"),
        ProfileLayer.pack("piraeus", "2.8.1"));
  }

  static List<ProfileLayer> full(ProfileLayer... addons) {
    List<ProfileLayer> layers = new ArrayList<>(infra("1.27.5"));
    layers.addAll(List.of(addons));
    return layers;
  }

  static Variable password() {
    return new Variable(
        "registry_password",
        "Registry password",
        null,
        "string",
        true,
        null,
        null,
        false,
        false,
        true,
        List.of());
  }

  static ProfileDefinition profile(String type, String cloud, List<ProfileLayer> layers) {
    return profile(type, cloud, layers, List.of(password()));
  }

  static ProfileDefinition profile(
      String type, String cloud, List<ProfileLayer> layers, List<Variable> variables) {
    return new ProfileDefinition(
        "edge", "An edge profile", type, cloud, "1.0.0", layers, variables);
  }

  static List<FieldProblem> validate(ProfileDefinition p) {
    return ProfileRules.validate(p, catalogue());
  }

  static Variable variable(String name, String format, String defaultValue) {
    return new Variable(
        name, null, null, format, false, defaultValue, null, false, false, false, List.of());
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void aValidFullProfileHasNoProblems() {
    assertThat(validate(profile("full", "edge-native", full(ProfileLayer.pack("zot", "0.1.67")))))
        .isEmpty();
  }

  @Test
  void checksTheProfilesOwnFields() {
    ProfileDefinition p =
        new ProfileDefinition(
            "Edge_Profile",
            "x".repeat(1001),
            "cluster",
            "moon",
            "v1.2",
            full(ProfileLayer.pack("zot", "0.1.67")),
            List.of(password()));
    assertThat(validate(p))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("name", "name-format"),
            tuple("description", "too-long"),
            tuple("version", "version-format"),
            tuple("type", "unknown-type"),
            tuple("cloudType", "cloud-type"));
  }

  @Test
  void requiresNameVersionTypeAndCloudType() {
    ProfileDefinition p = new ProfileDefinition(null, null, null, null, null, null, null);
    assertThat(validate(p))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("name", "required"),
            tuple("version", "required"),
            tuple("type", "required"),
            tuple("cloudType", "required"),
            tuple("layers", "layer-count"));
  }

  @Test
  void acceptsPreReleaseProfileVersionsAndLongNames() {
    ProfileDefinition p =
        new ProfileDefinition(
            "a" + "-b".repeat(31),
            null,
            "add-on",
            "all",
            "1.2.3-rc.1",
            List.of(ProfileLayer.pack("anywhere", "1.0.0")),
            List.of());
    assertThat(p.name()).hasSize(63);
    assertThat(validate(p)).isEmpty();
  }

  @Test
  void cloudTypeAllIsOnlyForAddOnProfiles() {
    assertThat(validate(profile("full", "all", full(ProfileLayer.pack("zot", "0.1.67")))))
        .extracting(FieldProblem::field, FieldProblem::code)
        .contains(tuple("cloudType", "cloud-type"));
    assertThat(validate(profile("add-on", "all", List.of(ProfileLayer.pack("zot", "0.1.67")))))
        .isEmpty();
  }

  @Test
  void needsBetweenOneAndFiftyLayers() {
    assertThat(validate(profile("add-on", "all", List.of())))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("layers", "layer-count"));
    List<ProfileLayer> many = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      many.add(
          ProfileLayer.manifests("m" + i, List.of(new ManifestFile("ns", "kind: Namespace\n"))));
    }
    assertThat(validate(profile("add-on", "all", many)))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("layers", "layer-count"));
  }

  @Test
  void infraProfileNeedsOneOfEachInfraLayerInStackOrder() {
    assertThat(validate(profile("infra", "edge-native", infra("1.27.5"), List.of()))).isEmpty();

    List<ProfileLayer> swapped =
        List.of(
            ProfileLayer.pack("kube", "1.27.5"),
            ProfileLayer.pack("ubuntu", "22.4.0"),
            ProfileLayer.pack("calico", "3.29.2"),
            ProfileLayer.pack("piraeus", "2.8.1"));
    List<FieldProblem> problems = validate(profile("infra", "edge-native", swapped, List.of()));
    assertThat(problems)
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("layers[1]", "layer-order"));
    assertThat(problems.get(0).message())
        .contains("os layer ubuntu 22.4.0 has to come before the k8s layer kube 1.27.5");

    List<ProfileLayer> noCsi = infra("1.27.5").subList(0, 3);
    assertThat(validate(profile("infra", "edge-native", noCsi, List.of())))
        .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
        .containsExactly(
            tuple(
                "layers",
                "layer-missing",
                "the infra profile needs one os, k8s, cni and csi layer; missing: csi"));

    List<ProfileLayer> withAddon = new ArrayList<>(infra("1.27.5"));
    withAddon.add(ProfileLayer.pack("anywhere", "1.0.0"));
    assertThat(validate(profile("infra", "edge-native", withAddon, List.of())))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("layers[4]", "layer-not-allowed"));
  }

  @Test
  void aSecondLayerOfTheSameInfraKindIsRefused() {
    List<ProfileLayer> layers = new ArrayList<>(infra("1.27.5"));
    layers.add(1, ProfileLayer.pack("ubuntu-pro", "22.4.0"));
    assertThat(validate(profile("infra", "edge-native", layers, List.of())))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("layers[1]", "layer-duplicate"));
  }

  @Test
  void addOnProfileHoldsOnlyAddonLayers() {
    List<ProfileLayer> layers =
        List.of(
            ProfileLayer.pack("anywhere", "1.0.0"),
            ProfileLayer.pack("calico", "3.29.2"),
            ProfileLayer.manifests("hello", List.of(new ManifestFile("ns", "kind: Namespace\n"))));
    assertThat(validate(profile("add-on", "edge-native", layers, List.of())))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("layers[1]", "layer-not-allowed"), tuple("layers[1].pack", "dependency-missing"));
  }

  @Test
  void fullProfileNeedsTheInfraLayersFollowedByAtLeastOneAddon() {
    assertThat(validate(profile("full", "edge-native", full(), List.of())))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("layers", "layer-missing"));

    List<ProfileLayer> addonFirst = new ArrayList<>();
    addonFirst.add(ProfileLayer.pack("anywhere", "1.0.0"));
    addonFirst.addAll(infra("1.27.5"));
    assertThat(validate(profile("full", "edge-native", addonFirst, List.of())))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("layers[1]", "layer-order"),
            tuple("layers[2]", "layer-order"),
            tuple("layers[3]", "layer-order"),
            tuple("layers[4]", "layer-order"));
  }

  @Test
  void aManifestLayerCountsAsAnAddon() {
    assertThat(
            validate(
                profile(
                    "full",
                    "edge-native",
                    full(
                        ProfileLayer.manifests(
                            "hello", List.of(new ManifestFile("ns", "kind: Namespace\n")))),
                    List.of())))
        .isEmpty();
  }

  @Test
  void layerPackAndManifestLayerNamesAreUnique() {
    List<ProfileLayer> layers =
        List.of(
            ProfileLayer.pack("anywhere", "1.0.0"),
            ProfileLayer.pack("anywhere", "1.0.0"),
            ProfileLayer.manifests(
                "anywhere", List.of(new ManifestFile("ns", "kind: Namespace\n"))));
    assertThat(validate(profile("add-on", "all", layers, List.of())))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("layers[1].pack", "duplicate-layer"), tuple("layers[2].name", "duplicate-layer"));
  }

  @Test
  void manifestLayersNeedANameAndWellFormedManifests() {
    List<ProfileLayer> layers = new ArrayList<>();
    layers.add(ProfileLayer.manifests(null, List.of()));
    layers.add(
        ProfileLayer.manifests(
            "ok",
            java.util.Arrays.asList(
                new ManifestFile("ns", "kind: Namespace\n"),
                new ManifestFile("ns", "kind: Namespace\n"),
                new ManifestFile("Bad Name", " "),
                null)));
    layers.add(null);
    assertThat(validate(profile("add-on", "all", layers, List.of())))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("layers[0].name", "required"),
            tuple("layers[0].manifests", "required"),
            tuple("layers[1].manifests[1].name", "duplicate-manifest"),
            tuple("layers[1].manifests[2].name", "manifest-name"),
            tuple("layers[1].manifests[2].content", "required"),
            tuple("layers[1].manifests[3]", "required"),
            tuple("layers[2]", "required"));
  }

  @Test
  void everyPackLayerNamesAPackVersionTheCatalogueHolds() {
    List<ProfileLayer> layers =
        List.of(
            ProfileLayer.pack("zot", "9.9.9"),
            ProfileLayer.pack("nothing", "1.0.0"),
            ProfileLayer.pack("Not A Name", "1.0.0"),
            new ProfileLayer("anywhere", null, null, null, null, null));
    assertThat(validate(profile("add-on", "all", layers, List.of())))
        .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
        .containsExactly(
            tuple("layers[0].pack", "unknown-pack", "pack zot 9.9.9 is in no registry"),
            tuple("layers[1].pack", "unknown-pack", "pack nothing 1.0.0 is in no registry"),
            tuple("layers[2].pack", "pack-name", "'Not A Name' is not a pack name"),
            tuple("layers[3].version", "required", "a pack version is required"));
  }

  @Test
  void aPackInSeveralRegistriesNeedsTheRegistryNamed() {
    ProfileLayer unnamed = ProfileLayer.pack("mirrored", "1.0.0");
    assertThat(validate(profile("add-on", "all", List.of(unnamed), List.of())))
        .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
        .containsExactly(
            tuple(
                "layers[0].registry",
                "ambiguous-registry",
                "pack mirrored 1.0.0 is in several registries (main, mirror); name one"));
    ProfileLayer named = new ProfileLayer("mirrored", "1.0.0", "mirror", null, null, null);
    assertThat(validate(profile("add-on", "all", List.of(named), List.of()))).isEmpty();
    ProfileLayer wrong = new ProfileLayer("zot", "0.1.67", "mirror", null, null, null);
    assertThat(validate(profile("add-on", "all", List.of(wrong), List.of(password()))))
        .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
        .containsExactly(
            tuple(
                "layers[0].registry",
                "unknown-pack",
                "pack zot 0.1.67 is not in registry 'mirror'; it is in main"));
  }

  @Test
  void aPackRunsOnlyOnTheCloudTypesItNames() {
    assertThat(validate(profile("full", "edge-native", full(ProfileLayer.pack("nginx", "1.0.0")))))
        .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
        .containsExactly(
            tuple(
                "layers[4].pack",
                "cloud-type",
                "pack nginx 1.0.0 runs on aws, not on edge-native"));
    assertThat(
            validate(
                profile(
                    "add-on", "all", List.of(ProfileLayer.pack("ubuntu", "22.4.0")), List.of())))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("layers[0]", "layer-not-allowed"), tuple("layers[0].pack", "cloud-type"));
  }

  @Test
  void aPackOfAnUnsupportedLayerIsRefused() {
    assertThat(
            validate(
                profile(
                    "add-on",
                    "all",
                    List.of(ProfileLayer.pack("kernel-pack", "1.0.0")),
                    List.of())))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("layers[0].pack", "layer-not-allowed"));
  }

  @Test
  void aRequiredDependencyMustBePresentInItsRange() {
    List<FieldProblem> old = validate(profile("infra", "edge-native", infra("1.26.9"), List.of()));
    assertThat(old)
        .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
        .containsExactly(
            tuple(
                "layers[1].version",
                "dependency-version",
                "pack calico 3.29.2 requires kube 1.27 or later; the profile has kube 1.26.9"));

    List<FieldProblem> missing =
        validate(
            profile(
                "add-on",
                "all",
                List.of(
                    ProfileLayer.pack("anywhere", "1.0.0"), ProfileLayer.pack("calico", "3.29.2")),
                List.of()));
    assertThat(missing)
        .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
        .contains(
            tuple(
                "layers[1].pack",
                "dependency-missing",
                "pack calico 3.29.2 requires pack kube (1.27 or later) in the profile"));
  }

  @Test
  void aPartialVersionAdmitsItsPatchReleasesAsMinimumAndAsMaximum() {
    // calico needs kube 1.27 or later, capped works with kube up to 1.27: 1.27.5 fits both.
    assertThat(
            validate(
                profile(
                    "full", "edge-native", full(ProfileLayer.pack("capped", "1.0.0")), List.of())))
        .isEmpty();
    List<ProfileLayer> newer = new ArrayList<>(infra("1.30.2"));
    newer.add(ProfileLayer.pack("capped", "1.0.0"));
    assertThat(validate(profile("full", "edge-native", newer, List.of())))
        .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
        .containsExactly(
            tuple(
                "layers[1].version",
                "dependency-version",
                "pack capped 1.0.0 works with kube 1.27 or earlier only; the profile has kube"
                    + " 1.30.2"));
  }

  @Test
  void anOptionalDependencyIsCheckedOnlyWhenThePackIsPresent() {
    assertThat(
            validate(
                profile("add-on", "all", List.of(ProfileLayer.pack("capped", "1.0.0")), List.of())))
        .isEmpty();
  }

  @Test
  void notSupportedVersionsInsideTheRangeAreRefused() {
    assertThat(
            validate(
                profile(
                    "full", "edge-native", full(ProfileLayer.pack("legacy", "1.0.0")), List.of())))
        .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
        .containsExactly(
            tuple(
                "layers[1].pack",
                "not-supported",
                "pack legacy 1.0.0 does not support kube 1.27.5 (kube between 1.27 and 1.27)"));
    List<ProfileLayer> newer = new ArrayList<>(infra("1.30.2"));
    newer.add(ProfileLayer.pack("legacy", "1.0.0"));
    assertThat(validate(profile("full", "edge-native", newer, List.of()))).isEmpty();
  }

  @Test
  void notSupportedWithoutBoundsRefusesThePackAltogether() {
    List<ProfileLayer> newer = new ArrayList<>(infra("1.30.2"));
    newer.add(ProfileLayer.pack("never", "1.0.0"));
    assertThat(validate(profile("full", "edge-native", newer, List.of())))
        .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
        .containsExactly(
            tuple(
                "layers[1].pack",
                "not-supported",
                "pack never 1.0.0 does not support kube 1.30.2 (no version of kube)"));
    assertThat(
            validate(
                profile("add-on", "all", List.of(ProfileLayer.pack("never", "1.0.0")), List.of())))
        .isEmpty();
  }

  @Test
  void upgradeDependenciesAreIgnored() {
    assertThat(
            validate(
                profile(
                    "full",
                    "edge-native",
                    full(ProfileLayer.pack("upgrader", "1.0.0")),
                    List.of())))
        .isEmpty();
  }

  @Test
  void valueOverridesMustBeAYamlMappingAndTheProblemNamesTheLine() {
    List<FieldProblem> problems =
        validate(
            profile(
                "full",
                "edge-native",
                full(ProfileLayer.pack("zot", "0.1.67", "registry:\n  port: [30003\n"))));
    assertThat(problems)
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("layers[4].values", "values-not-yaml"));
    assertThat(problems.get(0).message()).startsWith("the values are not a YAML mapping: line ");
    assertThat(
            validate(
                profile("full", "edge-native", full(ProfileLayer.pack("zot", "0.1.67", "- a\n")))))
        .extracting(FieldProblem::code)
        .containsExactly("values-not-yaml");
  }

  @Test
  void mergedValuesMustMeetThePackSchema() {
    List<FieldProblem> problems =
        validate(
            profile(
                "full",
                "edge-native",
                full(
                    ProfileLayer.pack(
                        "zot",
                        "0.1.67",
                        "registry:\n  port: 80\n  username: root\n  password: ''\n"))));
    assertThat(problems)
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("layers[4].values.registry.port", "schema-format"),
            tuple("layers[4].values.registry.username", "schema-readonly"),
            tuple("layers[4].values.registry.password", "schema-required"));
  }

  @Test
  void anUnreadableSchemaIsReportedOnceAsACatalogueProblem() {
    List<FieldProblem> problems =
        validate(
            profile(
                "add-on",
                "all",
                List.of(
                    ProfileLayer.pack("bad-schema", "1.0.0", "a: 2\n"),
                    ProfileLayer.pack("bad-values", "1.0.0")),
                List.of()));
    assertThat(problems)
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("layers[0].pack", "schema-invalid"),
            tuple("layers[1].pack", "catalogue-invalid"));
    assertThat(problems.get(0).message()).contains("unknown function 'mandatory'");
  }

  @Test
  void everyVariableReferenceInValuesAndManifestsIsDeclared() {
    ProfileLayer hello =
        new ProfileLayer(
            null,
            null,
            null,
            "replicas: '{{ .spectro.var.replicas | default \"1\" }}'\n",
            "hello",
            List.of(
                new ManifestFile(
                    "deploy",
                    "metadata:\n"
                        + "  name: {{.spectro.var.app_name}}\n"
                        + "  namespace: {{ .Values.namespace }}\n")));
    List<FieldProblem> problems =
        validate(
            profile(
                "full", "edge-native", full(ProfileLayer.pack("zot", "0.1.67"), hello), List.of()));
    assertThat(problems)
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("layers[4].values.registry.password", "undeclared-variable"),
            tuple("layers[5].values.replicas", "undeclared-variable"),
            tuple("layers[5].manifests[0].content", "undeclared-variable"));
    assertThat(problems.get(2).message()).contains("app_name");

    List<Variable> declared =
        List.of(
            password(), variable("replicas", "number", "1"), variable("app_name", null, "hello"));
    assertThat(
            validate(
                profile(
                    "full",
                    "edge-native",
                    full(ProfileLayer.pack("zot", "0.1.67"), hello),
                    declared)))
        .isEmpty();
  }

  @Test
  void variableReferencesInUnparsableValuesAreStillFound() {
    ProfileLayer broken = ProfileLayer.pack("anywhere", "1.0.0", "a: '{{.spectro.var.x}}'\nb: [\n");
    assertThat(validate(profile("add-on", "all", List.of(broken), List.of())))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("layers[0].values", "values-not-yaml"),
            tuple("layers[0].values", "undeclared-variable"));
  }

  @Test
  void variableNamesAreIdentifiersAndUnique() {
    List<Variable> vars =
        List.of(
            variable("ok_name", null, null),
            variable("ok_name", null, null),
            variable("9lives", null, null),
            variable("has-dash", null, null),
            variable("x".repeat(64), null, null),
            variable(null, null, null));
    assertThat(
            validate(
                profile("add-on", "all", List.of(ProfileLayer.pack("anywhere", "1.0.0")), vars)))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("variables[1].name", "duplicate-variable"),
            tuple("variables[2].name", "variable-name"),
            tuple("variables[3].name", "variable-name"),
            tuple("variables[4].name", "variable-name"),
            tuple("variables[5].name", "required"));
  }

  @Test
  void variableDisplayNamesAreUniqueWhenGiven() {
    Variable a =
        new Variable("a", "Same", null, null, false, null, null, false, false, false, null);
    Variable b =
        new Variable("b", "Same", null, null, false, null, null, false, false, false, null);
    Variable c = new Variable("c", null, null, null, false, null, null, false, false, false, null);
    Variable d = new Variable("d", null, null, null, false, null, null, false, false, false, null);
    assertThat(
            validate(
                profile(
                    "add-on",
                    "all",
                    List.of(ProfileLayer.pack("anywhere", "1.0.0")),
                    List.of(a, b, c, d))))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("variables[1].displayName", "duplicate-display-name"));
  }

  @Test
  void variableFormatsAreKnownAndDefaultsFitThem() {
    List<Variable> good =
        List.of(
            variable("s", null, "anything at all"),
            variable("n", "number", "-12.5"),
            variable("b", "boolean", "false"),
            variable("v4", "ipv4", "192.168.1.10"),
            variable("c", "ipv4cidr", "100.64.0.0/18"),
            variable("v6", "ipv6", "2001:db8::ff00:42:8329"),
            variable("v6m", "ipv6", "::ffff:192.0.2.128"),
            variable("ver", "version", "1.2.3-rc.1+build.5"),
            variable("b64", "base64", "aGVsbG8="));
    assertThat(
            validate(
                profile("add-on", "all", List.of(ProfileLayer.pack("anywhere", "1.0.0")), good)))
        .isEmpty();

    List<Variable> bad =
        List.of(
            variable("f", "text", null),
            variable("n", "number", "12,5"),
            variable("b", "boolean", "yes"),
            variable("v4", "ipv4", "192.168.1.256"),
            variable("c", "ipv4cidr", "100.64.0.0/33"),
            variable("c2", "ipv4cidr", "100.64.0.0"),
            variable("v6", "ipv6", "2001:db8::ff00::1"),
            variable("v6h", "ipv6", "localhost"),
            variable("ver", "version", "v1.2"),
            variable("b64", "base64", "not base64!"));
    assertThat(
            validate(
                profile("add-on", "all", List.of(ProfileLayer.pack("anywhere", "1.0.0")), bad)))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("variables[0].format", "variable-format"),
            tuple("variables[1].defaultValue", "variable-default"),
            tuple("variables[2].defaultValue", "variable-default"),
            tuple("variables[3].defaultValue", "variable-default"),
            tuple("variables[4].defaultValue", "variable-default"),
            tuple("variables[5].defaultValue", "variable-default"),
            tuple("variables[6].defaultValue", "variable-default"),
            tuple("variables[7].defaultValue", "variable-default"),
            tuple("variables[8].defaultValue", "variable-default"),
            tuple("variables[9].defaultValue", "variable-default"));
  }

  @Test
  void hiddenRequiredAndImmutableVariablesNeedADefault() {
    Variable hidden =
        new Variable("h", null, null, null, true, null, null, true, false, false, null);
    Variable hiddenOptional =
        new Variable("ho", null, null, null, false, null, null, true, false, false, null);
    Variable readOnly =
        new Variable("r", null, null, null, false, "", null, false, true, false, null);
    Variable readOnlyOption =
        new Variable(
            "ro",
            null,
            null,
            null,
            false,
            null,
            null,
            false,
            true,
            false,
            List.of(new Variable.Option("a", "A", null, true)));
    assertThat(
            validate(
                profile(
                    "add-on",
                    "all",
                    List.of(ProfileLayer.pack("anywhere", "1.0.0")),
                    List.of(hidden, hiddenOptional, readOnly, readOnlyOption))))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("variables[0].defaultValue", "variable-default-required"),
            tuple("variables[2].defaultValue", "variable-default-required"));
  }

  @Test
  void aVariableRegexCompilesAndTheDefaultMatchesIt() {
    Variable broken =
        new Variable("a", null, null, null, false, "x", "([a-z", false, false, false, null);
    Variable mismatch =
        new Variable(
            "b",
            null,
            null,
            null,
            false,
            "/dev/sdb",
            "^/dev/nvme[0-9]+n1$",
            false,
            false,
            true,
            null);
    Variable partial =
        new Variable("c", null, null, null, false, "abc123", "[0-9]+", false, false, false, null);
    List<FieldProblem> problems =
        validate(
            profile(
                "add-on",
                "all",
                List.of(ProfileLayer.pack("anywhere", "1.0.0")),
                List.of(broken, mismatch, partial)));
    assertThat(problems)
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("variables[0].regex", "variable-regex"),
            tuple("variables[1].defaultValue", "variable-default"));
    assertThat(problems.get(1).message()).doesNotContain("/dev/sdb").contains("********");
  }

  @Test
  void withOptionsTheDefaultIsOneOfThemAndAtMostOneIsTheDefault() {
    List<Variable.Option> options =
        List.of(
            new Variable.Option("arp", "ARP", null, true),
            new Variable.Option("bgp", "BGP", null, true),
            new Variable.Option("arp", "again", null, false));
    Variable v =
        new Variable("mode", null, null, null, false, "ospf", null, false, false, false, options);
    assertThat(
            validate(
                profile(
                    "add-on", "all", List.of(ProfileLayer.pack("anywhere", "1.0.0")), List.of(v))))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("variables[0].options[0].isDefault", "variable-options"),
            tuple("variables[0].options[1].isDefault", "variable-options"),
            tuple("variables[0].options[2].value", "duplicate-option"),
            tuple("variables[0].options", "variable-options"),
            tuple("variables[0].defaultValue", "variable-default"));

    Variable numbers =
        new Variable(
            "count",
            null,
            null,
            "number",
            false,
            "3",
            null,
            false,
            false,
            false,
            List.of(
                new Variable.Option("1", null, null, false),
                new Variable.Option("3", null, null, false),
                new Variable.Option("many", null, null, false)));
    assertThat(
            validate(
                profile(
                    "add-on",
                    "all",
                    List.of(ProfileLayer.pack("anywhere", "1.0.0")),
                    List.of(numbers))))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("variables[0].options[2].value", "variable-options"));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    List<ProfileLayer> layers =
        List.of(
            ProfileLayer.pack("kube", "1.26.9"),
            ProfileLayer.pack("ubuntu", "22.4.0"),
            ProfileLayer.pack("calico", "3.29.2"),
            ProfileLayer.pack("piraeus", "2.8.1"),
            ProfileLayer.pack("zot", "0.1.67", "registry:\n  port: 1\n"),
            ProfileLayer.pack("nginx", "1.0.0"),
            ProfileLayer.pack("ghost", "1.0.0"));
    ProfileDefinition p =
        new ProfileDefinition(
            "BAD",
            null,
            "full",
            "edge-native",
            "1",
            layers,
            List.of(variable("b", "boolean", "maybe")));
    assertThat(validate(p))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("name", "name-format"),
            tuple("version", "version-format"),
            tuple("layers[6].pack", "unknown-pack"),
            tuple("layers[1]", "layer-order"),
            tuple("layers[5].pack", "cloud-type"),
            tuple("layers[0].version", "dependency-version"),
            tuple("layers[4].values.registry.port", "schema-format"),
            tuple("layers[4].values.registry.password", "undeclared-variable"),
            tuple("variables[0].defaultValue", "variable-default"));
  }

  @Test
  void validatesATwentyLayerProfile() {
    InMemoryCatalogue catalogue = catalogue();
    List<ProfileLayer> layers = new ArrayList<>(infra("1.27.5"));
    List<Variable> variables = new ArrayList<>(List.of(password()));
    for (int i = 0; i < 16; i++) {
      String name = "addon-" + i;
      catalogue.add(
          packJson(
              name,
              "1.0.0",
              "addon",
              List.of("all"),
              "[" + dependency("kube", "k8s", "1.27", "1.30", "optional") + "]"),
          ZOT_VALUES.replace("30003", String.valueOf(30010 + i)) + "extra:\n  list: [a, b, c]\n",
          ZOT_SCHEMA
              + "extra.list.$[]:\n  schema: '{{ required | format \"${list:[a,b,c]}\" }}'\n");
      layers.add(
          ProfileLayer.pack(
              name,
              "1.0.0",
              "registry:\n  port: "
                  + (30100 + i)
                  + "\n  password: '{{.spectro.var.v"
                  + i
                  + "}}'\n"));
      variables.add(variable("v" + i, null, "secret-" + i));
    }
    ProfileDefinition p = profile("full", "edge-native", layers, variables);
    assertThat(p.layers()).hasSize(20);
    for (int round = 0; round < 50; round++) {
      assertThat(ProfileRules.validate(p, catalogue)).isEmpty();
    }
  }
}
