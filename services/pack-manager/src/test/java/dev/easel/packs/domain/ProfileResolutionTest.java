package dev.easel.packs.domain;

import static dev.easel.packs.domain.InMemoryCatalogue.packJson;
import static dev.easel.packs.domain.ProfileRulesTest.catalogue;
import static dev.easel.packs.domain.ProfileRulesTest.full;
import static dev.easel.packs.domain.ProfileRulesTest.password;
import static dev.easel.packs.domain.ProfileRulesTest.profile;
import static dev.easel.packs.domain.ProfileRulesTest.variable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProfileResolutionTest {

  private static final Map<String, String> SYSTEM = Map.of("cluster.kubevip", "10.0.0.5");

  private static InMemoryCatalogue richCatalogue() {
    return catalogue()
        .add(
            packJson("charted", "1.0.0", "addon", "all"),
            "pack:\n"
                + "  content:\n"
                + "    images:\n"
                + "      - image: quay.io/a/b:v1\n"
                + "      - image: quay.io/a/c:v2\n"
                + "    charts:\n"
                + "      - repo: https://example.com/charts/\n"
                + "        name: alpha\n"
                + "        version: 1.2.3\n"
                + "      - repo: oci://ghcr.io/beta\n"
                + "        name: beta\n"
                + "        version: 0.1.0\n"
                + "  podCIDR: '{{.spectro.var.pod_cidr}}'\n"
                + "endpoint: '{{ .spectro.system.cluster.kubevip }}'\n",
            "pack.podCIDR:\n  schema: '{{ required | format \"${ipv4cidr}\" }}'\n");
  }

  private static ProfileResolution.Resolved resolve(
      ProfileDefinition p, Map<String, String> values, boolean substitute) {
    return ProfileResolution.resolve(p, richCatalogue(), values, SYSTEM, substitute);
  }

  private static JsonNode values(ProfileResolution.Resolved r, String name) {
    return Yaml.parseMapping(
        r.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow().values());
  }

  @Test
  void resolvesEveryLayerWithItsPackCopyValuesImagesAndCharts() {
    ProfileDefinition p =
        profile(
            "full",
            "edge-native",
            full(
                ProfileLayer.pack("zot", "0.1.67", "registry:\n  port: 30005\n"),
                ProfileLayer.pack("charted", "1.0.0")),
            List.of(password(), variable("pod_cidr", "ipv4cidr", "100.64.0.0/18")));
    ProfileResolution.Resolved r = resolve(p, Map.of("registry_password", "S3cret-pass"), true);
    assertThat(r.problems()).isEmpty();
    assertThat(r.ok()).isTrue();
    assertThat(r.layers())
        .extracting(
            ProfileResolution.ResolvedLayer::kind,
            ProfileResolution.ResolvedLayer::layer,
            ProfileResolution.ResolvedLayer::name,
            ProfileResolution.ResolvedLayer::version,
            ProfileResolution.ResolvedLayer::registry)
        .containsExactly(
            tuple("pack", "os", "ubuntu", "22.4.0", "main"),
            tuple("pack", "k8s", "kube", "1.27.5", "main"),
            tuple("pack", "cni", "calico", "3.29.2", "main"),
            tuple("pack", "csi", "piraeus", "2.8.1", "main"),
            tuple("pack", "addon", "zot", "0.1.67", "main"),
            tuple("pack", "addon", "charted", "1.0.0", "main"));
    ProfileResolution.ResolvedLayer zot = r.layers().get(4);
    assertThat(zot.repository()).isEqualTo("main/spectro-packs/archive/zot");
    assertThat(zot.digest()).startsWith("sha256:");
    assertThat(zot.images()).containsExactly("ghcr.io/project-zot/zot-linux-amd64:v2.1.2");
    JsonNode zotValues = values(r, "zot");
    assertThat(zotValues.at("/registry/port").intValue()).isEqualTo(30005);
    assertThat(zotValues.at("/registry/password").stringValue()).isEqualTo("S3cret-pass");
    assertThat(zotValues.at("/registry/username").stringValue()).isEqualTo("admin");

    ProfileResolution.ResolvedLayer charted = r.layers().get(5);
    assertThat(charted.images()).containsExactly("quay.io/a/b:v1", "quay.io/a/c:v2");
    assertThat(charted.charts())
        .containsExactly("https://example.com/charts/alpha:1.2.3", "oci://ghcr.io/beta/beta:0.1.0");
    assertThat(values(r, "charted").at("/pack/podCIDR").stringValue()).isEqualTo("100.64.0.0/18");
    assertThat(values(r, "charted").at("/endpoint").stringValue()).isEqualTo("10.0.0.5");

    assertThat(r.variables())
        .containsExactly(
            Map.entry("registry_password", ProfileResolution.MASK),
            Map.entry("pod_cidr", "100.64.0.0/18"));
  }

  @Test
  void aProfileWithProblemsResolvesToNoLayers() {
    ProfileDefinition p =
        profile(
            "full", "edge-native", full(ProfileLayer.pack("zot", "0.0.1")), List.of(password()));
    ProfileResolution.Resolved r = resolve(p, Map.of(), true);
    assertThat(r.layers()).isEmpty();
    assertThat(r.variables()).isEmpty();
    assertThat(r.problems()).extracting(FieldProblem::code).containsExactly("unknown-pack");
    assertThat(r.ok()).isFalse();
  }

  @Test
  void aVariableWithoutAGivenValueTakesItsDefault() {
    ProfileDefinition p =
        profile(
            "full",
            "edge-native",
            full(ProfileLayer.pack("charted", "1.0.0")),
            List.of(variable("pod_cidr", "ipv4cidr", "100.64.0.0/18")));
    ProfileResolution.Resolved r = resolve(p, null, true);
    assertThat(r.problems()).isEmpty();
    assertThat(values(r, "charted").at("/pack/podCIDR").stringValue()).isEqualTo("100.64.0.0/18");
    assertThat(r.variables()).containsEntry("pod_cidr", "100.64.0.0/18");
  }

  @Test
  void aRequiredVariableWithoutAValueIsAProblem() {
    ProfileDefinition p =
        profile(
            "full", "edge-native", full(ProfileLayer.pack("zot", "0.1.67")), List.of(password()));
    ProfileResolution.Resolved r = resolve(p, Map.of(), true);
    assertThat(r.layers()).isEmpty();
    assertThat(r.problems())
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("variableValues.registry_password", "variable-required"),
            tuple("layers[4].values.registry.password", "schema-required"));
  }

  @Test
  void givenValuesMustFitTheFormatRegexAndOptions() {
    Variable cidr = variable("pod_cidr", "ipv4cidr", "100.64.0.0/18");
    Variable device =
        new Variable(
            "device",
            null,
            null,
            null,
            false,
            "/dev/sdb",
            "^/dev/sd[a-z]$",
            false,
            false,
            false,
            null);
    Variable mode =
        new Variable(
            "mode",
            null,
            null,
            null,
            false,
            "arp",
            null,
            false,
            false,
            false,
            List.of(
                new Variable.Option("arp", null, null, true),
                new Variable.Option("bgp", null, null, false)));
    ProfileDefinition p =
        profile(
            "full",
            "edge-native",
            full(ProfileLayer.pack("charted", "1.0.0")),
            List.of(cidr, device, mode));
    ProfileResolution.Resolved r =
        resolve(
            p, Map.of("pod_cidr", "100.64.0.0", "device", "/dev/nvme0n1", "mode", "ospf"), true);
    assertThat(r.layers()).isEmpty();
    assertThat(r.problems())
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("variableValues.pod_cidr", "variable-value"),
            tuple("variableValues.device", "variable-value"),
            tuple("variableValues.mode", "variable-value"),
            tuple("layers[4].values.pack.podCIDR", "schema-format"));
  }

  @Test
  void anImmutableVariableKeepsItsDefault() {
    Variable fixed =
        new Variable("fixed", null, null, null, false, "one", null, false, true, false, null);
    ProfileDefinition p =
        profile(
            "full", "edge-native", full(ProfileLayer.pack("anywhere", "1.0.0")), List.of(fixed));
    assertThat(resolve(p, Map.of("fixed", "one"), true).problems()).isEmpty();
    assertThat(resolve(p, Map.of("fixed", "two"), true).problems())
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("variableValues.fixed", "variable-immutable"));
  }

  @Test
  void aValueForAnUndeclaredVariableIsAProblem() {
    ProfileDefinition p =
        profile("full", "edge-native", full(ProfileLayer.pack("anywhere", "1.0.0")), List.of());
    assertThat(resolve(p, Map.of("ghost", "boo"), true).problems())
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("variableValues.ghost", "undeclared-variable"));
  }

  @Test
  void substitutedValuesAreCheckedAgainstThePackSchemaAgain() {
    Variable port = variable("port", "number", "80");
    ProfileDefinition p =
        profile(
            "full",
            "edge-native",
            full(
                ProfileLayer.pack("zot", "0.1.67", "registry:\n  port: '{{.spectro.var.port}}'\n")),
            List.of(password(), port));
    assertThat(ProfileRules.validate(p, richCatalogue())).isEmpty();
    ProfileResolution.Resolved r = resolve(p, Map.of("registry_password", "pw"), true);
    assertThat(r.problems())
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("layers[4].values.registry.port", "schema-format"));
    assertThat(resolve(p, Map.of("registry_password", "pw", "port", "30009"), true).problems())
        .isEmpty();
  }

  @Test
  void packReferencesReadTheOtherLayersValues() {
    ProfileLayer consumer =
        new ProfileLayer(
            null,
            null,
            null,
            "cidr: '{{ .spectro.pack.charted.pack.podCIDR }}'\n"
                + "image: '{{ .spectro.pack.charted.pack.content.images.1.image }}'\n"
                + "missing: '{{ .spectro.pack.charted.nothing.here | default \"fallback\" }}'\n"
                + "self: '[{{ .spectro.pack.consumer.cidr }}]'\n"
                + "port: '{{ .spectro.pack.zot.registry.port }}'\n",
            "consumer",
            List.of(
                new ManifestFile(
                    "cm", "data:\n  cidr: \"{{ .spectro.pack.charted.pack.podCIDR }}\"\n")));
    ProfileDefinition p =
        profile(
            "full",
            "edge-native",
            full(
                ProfileLayer.pack("zot", "0.1.67"),
                ProfileLayer.pack("charted", "1.0.0"),
                consumer),
            List.of(password(), variable("pod_cidr", "ipv4cidr", "100.64.0.0/18")));
    ProfileResolution.Resolved r = resolve(p, Map.of("registry_password", "pw"), true);
    assertThat(r.problems()).isEmpty();
    JsonNode v = values(r, "consumer");
    assertThat(v.get("cidr").stringValue()).isEqualTo("100.64.0.0/18");
    assertThat(v.get("image").stringValue()).isEqualTo("quay.io/a/c:v2");
    assertThat(v.get("missing").stringValue()).isEqualTo("fallback");
    assertThat(v.get("self").stringValue()).isEqualTo("[]");
    assertThat(v.get("port").stringValue()).isEqualTo("30003");
    assertThat(r.layers().get(6).kind()).isEqualTo("manifest");
    assertThat(r.layers().get(6).layer()).isEqualTo("addon");
    assertThat(r.layers().get(6).manifests())
        .containsExactly(new ManifestFile("cm", "data:\n  cidr: \"100.64.0.0/18\"\n"));
  }

  @Test
  void withoutSubstitutionVariablesStayPlaceholdersForPublishing() {
    ProfileLayer app =
        new ProfileLayer(
            null,
            null,
            null,
            null,
            "app",
            List.of(
                new ManifestFile(
                    "cm",
                    "data:\n"
                        + "  a: '{{.spectro.var.registry_password}}'\n"
                        + "  b: {{ .spectro.pack.charted.endpoint }}\n"
                        + "  c: {{ .Values.x }}\n")));
    ProfileDefinition p =
        profile(
            "full",
            "edge-native",
            full(ProfileLayer.pack("zot", "0.1.67"), ProfileLayer.pack("charted", "1.0.0"), app),
            List.of(password(), variable("pod_cidr", "ipv4cidr", "100.64.0.0/18")));
    ProfileResolution.Resolved r = resolve(p, Map.of(), false);
    assertThat(r.problems()).isEmpty();
    assertThat(r.variables()).isEmpty();
    assertThat(values(r, "zot").at("/registry/password").stringValue())
        .isEqualTo("{{.spectro.var.registry_password}}");
    assertThat(values(r, "charted").at("/pack/podCIDR").stringValue())
        .isEqualTo("{{.spectro.var.pod_cidr}}");
    assertThat(values(r, "charted").at("/endpoint").stringValue()).isEqualTo("10.0.0.5");
    assertThat(r.layers().get(6).manifests().get(0).content())
        .isEqualTo(
            "data:\n"
                + "  a: '{{.spectro.var.registry_password}}'\n"
                + "  b: 10.0.0.5\n"
                + "  c: {{ .Values.x }}\n");
  }

  @Test
  void systemMacrosNotGivenAreLeftForTheDeployTimeRenderer() {
    ProfileDefinition p =
        profile(
            "full",
            "edge-native",
            full(ProfileLayer.pack("charted", "1.0.0")),
            List.of(variable("pod_cidr", "ipv4cidr", "100.64.0.0/18")));
    ProfileResolution.Resolved r =
        ProfileResolution.resolve(p, richCatalogue(), Map.of(), Map.of(), true);
    assertThat(r.problems()).isEmpty();
    assertThat(values(r, "charted").at("/endpoint").stringValue())
        .isEqualTo("{{ .spectro.system.cluster.kubevip }}");
  }

  @Test
  void valuesWithAwkwardCharactersSurviveSubstitutionIntact() {
    String awkward = "it's: \"quoted\" # not a comment\nsecond line";
    ProfileDefinition p =
        profile(
            "full", "edge-native", full(ProfileLayer.pack("zot", "0.1.67")), List.of(password()));
    ProfileResolution.Resolved r = resolve(p, Map.of("registry_password", awkward), true);
    assertThat(r.problems()).isEmpty();
    assertThat(values(r, "zot").at("/registry/password").stringValue()).isEqualTo(awkward);
    assertThat(r.variables()).containsEntry("registry_password", ProfileResolution.MASK);
  }
}
