package dev.easel.clusters.domain.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class PlaceholdersTest {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private static final Map<String, String> VARIABLES = Map.of("SITE", "lab-1", "MTU", "1450");
  private static final Map<String, String> SYSTEM =
      Map.of("cluster.kubevip", "10.10.0.100", "cluster.name", "edge");

  // ---- one string -----------------------------------------------------------------------------

  @Test
  void fillsAVariableAndASystemMacro() {
    assertThat(
            Placeholders.fill(
                "{{.spectro.var.SITE}} at {{.spectro.system.cluster.kubevip}}", VARIABLES, SYSTEM))
        .isEqualTo("lab-1 at 10.10.0.100");
  }

  @Test
  void allowsSpacesInsideTheBraces() {
    assertThat(Placeholders.fill("{{ .spectro.var.SITE }}", VARIABLES, SYSTEM)).isEqualTo("lab-1");
    assertThat(Placeholders.fill("{{   .spectro.system.cluster.name}}", VARIABLES, SYSTEM))
        .isEqualTo("edge");
  }

  @Test
  void fillsEveryPlaceholderOfAString() {
    assertThat(
            Placeholders.fill(
                "{{.spectro.var.SITE}}-{{.spectro.var.SITE}}-{{.spectro.var.MTU}}",
                VARIABLES,
                SYSTEM))
        .isEqualTo("lab-1-lab-1-1450");
  }

  @Test
  void leavesAnUnknownPlaceholderAsWritten() {
    assertThat(Placeholders.fill("{{.spectro.var.NOPE}}", VARIABLES, SYSTEM))
        .isEqualTo("{{.spectro.var.NOPE}}");
    assertThat(Placeholders.fill("{{.spectro.system.cluster.uid}}", VARIABLES, SYSTEM))
        .isEqualTo("{{.spectro.system.cluster.uid}}");
  }

  @Test
  void aVariableIsNotASystemMacroNorTheOtherWayRound() {
    assertThat(Placeholders.fill("{{.spectro.system.SITE}}", VARIABLES, SYSTEM))
        .isEqualTo("{{.spectro.system.SITE}}");
    assertThat(Placeholders.fill("{{.spectro.var.cluster.name}}", VARIABLES, SYSTEM))
        .isEqualTo("{{.spectro.var.cluster.name}}");
  }

  @Test
  void leavesPipelinesAndFunctionsAsWritten() {
    assertThat(Placeholders.fill("{{ .spectro.var.SITE | b64enc }}", VARIABLES, SYSTEM))
        .isEqualTo("{{ .spectro.var.SITE | b64enc }}");
    assertThat(Placeholders.fill("{{ htpasswd \"admin\" .spectro.var.SITE }}", VARIABLES, SYSTEM))
        .isEqualTo("{{ htpasswd \"admin\" .spectro.var.SITE }}");
  }

  @Test
  void aValueHoldingDollarsAndBackslashesIsTakenLiterally() {
    Map<String, String> variables = Map.of("PASSWORD", "a$1\\b$");

    assertThat(Placeholders.fill("p={{.spectro.var.PASSWORD}}", variables, SYSTEM))
        .isEqualTo("p=a$1\\b$");
  }

  @Test
  void aFilledValueIsNotFilledAgain() {
    Map<String, String> variables = Map.of("A", "{{.spectro.var.B}}", "B", "b");

    assertThat(Placeholders.fill("{{.spectro.var.A}}", variables, SYSTEM))
        .isEqualTo("{{.spectro.var.B}}");
  }

  // ---- layer values ---------------------------------------------------------------------------

  @Test
  void valuesWithoutPlaceholdersAreReturnedAsGiven() {
    String values = "# a comment that stays\nkey: value   # and this\nlist: [1, 2]\n";

    assertThat(Placeholders.resolve(values, VARIABLES, SYSTEM)).isSameAs(values);
  }

  @Test
  void noValuesAreNone() {
    assertThat(Placeholders.resolve(null, VARIABLES, SYSTEM)).isEmpty();
    assertThat(Placeholders.resolve("  \n", VARIABLES, SYSTEM)).isEqualTo("  \n");
  }

  @Test
  void fillsPlaceholdersInNestedMappingsAndLists() {
    String values =
        """
        cluster:
          endpoint: "{{.spectro.system.cluster.kubevip}}:6443"
          sans:
            - "{{ .spectro.system.cluster.kubevip }}"
            - localhost
          network:
            mtu: "{{.spectro.var.MTU}}"
        """;

    JsonNode resolved = YAML.readTree(Placeholders.resolve(values, VARIABLES, SYSTEM));

    assertThat(resolved.at("/cluster/endpoint").stringValue()).isEqualTo("10.10.0.100:6443");
    assertThat(resolved.at("/cluster/sans/0").stringValue()).isEqualTo("10.10.0.100");
    assertThat(resolved.at("/cluster/sans/1").stringValue()).isEqualTo("localhost");
    assertThat(resolved.at("/cluster/network/mtu").stringValue()).isEqualTo("1450");
  }

  @Test
  void keepsNumbersBooleansAndOtherValuesAsTheyWere() {
    String values =
        """
        name: "{{.spectro.var.SITE}}"
        replicas: 3
        enabled: true
        ratio: 0.5
        nothing: null
        empty: ""
        """;

    JsonNode resolved = YAML.readTree(Placeholders.resolve(values, VARIABLES, SYSTEM));

    assertThat(resolved.path("name").stringValue()).isEqualTo("lab-1");
    assertThat(resolved.path("replicas").isIntegralNumber()).isTrue();
    assertThat(resolved.path("replicas").intValue()).isEqualTo(3);
    assertThat(resolved.path("enabled").isBoolean()).isTrue();
    assertThat(resolved.path("ratio").doubleValue()).isEqualTo(0.5);
    assertThat(resolved.path("nothing").isNull()).isTrue();
    assertThat(resolved.path("empty").isString()).isTrue();
    assertThat(resolved.path("empty").stringValue()).isEmpty();
  }

  @Test
  void leavesKeysAlone() {
    JsonNode resolved =
        YAML.readTree(
            Placeholders.resolve(
                "\"{{.spectro.var.SITE}}\": \"{{.spectro.var.SITE}}\"\n", VARIABLES, SYSTEM));

    assertThat(resolved.path("{{.spectro.var.SITE}}").stringValue()).isEqualTo("lab-1");
  }

  @Test
  void aValueWithALineBreakAndAColonStaysOneString() {
    String hostile = "lab-1\nadmin: true\n- item\n\"quoted\": # not a comment";
    Map<String, String> variables = Map.of("SITE", hostile);

    JsonNode resolved =
        YAML.readTree(
            Placeholders.resolve(
                "site: \"{{.spectro.var.SITE}}\"\nother: kept\n", variables, SYSTEM));

    assertThat(resolved.path("site").stringValue()).isEqualTo(hostile);
    assertThat(resolved.propertyNames()).containsExactly("site", "other");
  }

  @Test
  void valuesThatAreNotAMappingAreRefused() {
    assertThatThrownBy(
            () -> Placeholders.resolve("- \"{{.spectro.var.SITE}}\"\n", VARIABLES, SYSTEM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a YAML mapping");
  }

  @Test
  void valuesThatAreNotYamlAreRefused() {
    assertThatThrownBy(
            () -> Placeholders.resolve("key: {{.spectro.var.SITE}}\n  : [", VARIABLES, SYSTEM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer values");
  }
}
