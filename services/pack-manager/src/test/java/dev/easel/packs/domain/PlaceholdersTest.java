package dev.easel.packs.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PlaceholdersTest {

  private static final Function<String, Optional<String>> VARS =
      name ->
          Optional.ofNullable(
              Map.of("pod_cidr", "100.64.0.0/18", "empty", "", "quote", "it's \"x\": {y}")
                  .get(name));

  private static final Function<String, Optional<String>> PACKS =
      ref -> ref.equals("pxk-e.pack.podCIDR") ? Optional.of("10.0.0.0/16") : Optional.empty();

  private static final Map<String, String> SYSTEM = Map.of("cluster.kubevip", "10.1.1.1");

  @Test
  void findsVariablesWithOrWithoutSpacesAndPipes() {
    assertThat(
            Placeholders.variablesIn(
                "a: '{{.spectro.var.one}}'\n"
                    + "b: '{{ .spectro.var.two | default \"x\" }}'\n"
                    + "c: '{{ htpasswd \"admin\" .spectro.var.three }}'\n"
                    + "d: '{{.spectro.var.one}}'\n"
                    + "e: .spectro.var.notInsideAnExpression\n"))
        .containsExactly("one", "two", "three");
  }

  @Test
  void findsNoVariablesInPlainText() {
    assertThat(Placeholders.variablesIn("no expressions")).isEmpty();
    assertThat(Placeholders.variablesIn(null)).isEmpty();
    assertThat(Placeholders.variablesIn("{{ .Values.namespace }}")).isEmpty();
  }

  @Test
  void substitutesVariablesPackReferencesAndSystemMacros() {
    String text =
        "cidr={{.spectro.var.pod_cidr}} other={{ .spectro.pack.pxk-e.pack.podCIDR }}"
            + " vip={{ .spectro.system.cluster.kubevip }}";
    assertThat(Placeholders.substitute(text, VARS, PACKS, SYSTEM))
        .isEqualTo("cidr=100.64.0.0/18 other=10.0.0.0/16 vip=10.1.1.1");
  }

  @Test
  void anUndefinedPackReferenceIsEmptyUnlessItHasADefault() {
    assertThat(
            Placeholders.substitute("[{{ .spectro.pack.zot.registry.port }}]", VARS, PACKS, SYSTEM))
        .isEqualTo("[]");
    assertThat(
            Placeholders.substitute(
                "[{{ .spectro.pack.zot.registry.port | default \"30003\" }}]", VARS, PACKS, SYSTEM))
        .isEqualTo("[30003]");
  }

  @Test
  void defaultReplacesAnEmptyVariableValue() {
    assertThat(
            Placeholders.substitute(
                "{{ .spectro.var.empty | default \"fallback\" }}", VARS, PACKS, SYSTEM))
        .isEqualTo("fallback");
    assertThat(
            Placeholders.substitute(
                "{{ .spectro.var.pod_cidr | default \"fallback\" }}", VARS, PACKS, SYSTEM))
        .isEqualTo("100.64.0.0/18");
  }

  @Test
  void leavesWhatItDoesNotFullyUnderstandForTheDeployTimeRenderer() {
    String[] verbatim = {
      "{{ .spectro.system.kubernetes.version | substr 0 4 }}",
      "{{ .Values.namespace }}",
      "{{ htpasswd \"admin\" .spectro.var.pod_cidr }}",
      "{{ .spectro.var.pod_cidr | upper }}",
      "{{ .spectro.system.cluster.name }}",
      "{{- .spectro.var.pod_cidr -}}",
      "{{ .spectro.var.unknown }}",
      "{{ printf \"%s\" .spectro.var.pod_cidr | b64enc }}"
    };
    for (String text : verbatim) {
      assertThat(Placeholders.substitute(text, VARS, PACKS, SYSTEM)).as(text).isEqualTo(text);
    }
  }

  @Test
  void withoutFunctionsVariablesAndPackReferencesStayAsWritten() {
    String text =
        "{{.spectro.var.pod_cidr}} {{ .spectro.pack.pxk-e.pack.podCIDR }} {{"
            + " .spectro.system.cluster.kubevip }}";
    assertThat(Placeholders.substitute(text, null, null, SYSTEM))
        .isEqualTo("{{.spectro.var.pod_cidr}} {{ .spectro.pack.pxk-e.pack.podCIDR }} 10.1.1.1");
  }

  @Test
  void neverExpandsExpressionsInsideASubstitutedValue() {
    Function<String, Optional<String>> vars =
        name -> Optional.of(name.equals("a") ? "{{ .spectro.var.b }}" : "B");
    assertThat(Placeholders.substitute("{{ .spectro.var.a }}", vars, PACKS, SYSTEM))
        .isEqualTo("{{ .spectro.var.b }}");
  }

  @Test
  void substitutesStringScalarsOfATreeSoQuotingCannotBreak() {
    JsonNode tree =
        Yaml.parseMapping(
            "a: '{{.spectro.var.quote}}'\n"
                + "list:\n"
                + "  - 'x-{{ .spectro.var.pod_cidr }}'\n"
                + "n: 5\n"
                + "'{{.spectro.var.pod_cidr}}': key\n");
    JsonNode out = Placeholders.substituteTree(tree, VARS, PACKS, SYSTEM);
    assertThat(out.get("a").stringValue()).isEqualTo("it's \"x\": {y}");
    assertThat(out.at("/list/0").stringValue()).isEqualTo("x-100.64.0.0/18");
    assertThat(out.get("n").intValue()).isEqualTo(5);
    assertThat(out.has("{{.spectro.var.pod_cidr}}")).isTrue();
    assertThat(Yaml.parseMapping(Yaml.dump(out))).isEqualTo(out);
    assertThat(tree.get("a").stringValue()).isEqualTo("{{.spectro.var.quote}}");
  }

  @Test
  void recognisesTemplateExpressions() {
    assertThat(Placeholders.hasExpression("x {{ .Values.a }} y")).isTrue();
    assertThat(Placeholders.hasExpression("{ not one }")).isFalse();
    assertThat(Placeholders.hasExpression(null)).isFalse();
  }
}
