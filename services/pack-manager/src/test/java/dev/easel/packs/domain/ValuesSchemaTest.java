package dev.easel.packs.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ValuesSchemaTest {

  private static List<FieldProblem> check(String schema, String defaults, String override) {
    JsonNode d = Yaml.parseMapping(defaults);
    JsonNode merged = Yaml.merge(d, Yaml.parseMapping(override));
    return ValuesSchema.parse(schema).check(d, merged, "layers[2].values");
  }

  private static List<String> codes(List<FieldProblem> problems) {
    return problems.stream().map(FieldProblem::code).toList();
  }

  @Test
  void readsRulesForDisplay() {
    ValuesSchema s =
        ValuesSchema.parse(
            "a.b:\n"
                + "  schema: '{{ required | readonly | format \"${number:[1-3]}\" | hints \"one\""
                + " \"two\" }}'\n"
                + "c:\n"
                + "  schema: '{{ hints \"only a hint\" }}'\n");
    assertThat(s.rules())
        .containsExactly(
            new ValuesSchema.Rule("a.b", true, true, "${number:[1-3]}", List.of("one", "two")),
            new ValuesSchema.Rule("c", false, false, null, List.of("only a hint")));
    assertThat(ValuesSchema.EMPTY.rules()).isEmpty();
    assertThat(ValuesSchema.parse("").isEmpty()).isTrue();
  }

  @Test
  void refusesMalformedSchemasNamingTheKey() {
    assertThatThrownBy(() -> ValuesSchema.parse("a.b:\n  schema: '{{ mandatory }}'\n"))
        .hasMessageContaining("'a.b'")
        .hasMessageContaining("unknown function 'mandatory'");
    assertThatThrownBy(() -> ValuesSchema.parse("port:\n  schema: '{{ format \"${port}\" }}'\n"))
        .hasMessageContaining("'port'")
        .hasMessageContaining("unknown format type 'port'");
    assertThatThrownBy(() -> ValuesSchema.parse("x:\n  schema: 'required'\n"))
        .hasMessageContaining("'x'")
        .hasMessageContaining("template");
    assertThatThrownBy(() -> ValuesSchema.parse("x:\n  schema: '{{ format \"${string\" }}'\n"))
        .hasMessageContaining("'x'")
        .hasMessageContaining("does not close");
    assertThatThrownBy(
            () -> ValuesSchema.parse("x:\n  schema: '{{ format \"${string:/([a-z/}\" }}'\n"))
        .hasMessageContaining("'x'")
        .hasMessageContaining("does not compile");
    assertThatThrownBy(
            () -> ValuesSchema.parse("x:\n  schema: '{{ format \"${number:[9-1]}\" }}'\n"))
        .hasMessageContaining("minimum exceeds the maximum");
    assertThatThrownBy(() -> ValuesSchema.parse("x:\n  schema: '{{ required | | readonly }}'\n"))
        .hasMessageContaining("malformed");
    assertThatThrownBy(() -> ValuesSchema.parse("x: 5\n")).hasMessageContaining("'x'");
    assertThatThrownBy(() -> ValuesSchema.parse("x:\n  other: 1\n"))
        .hasMessageContaining("'schema'");
    assertThatThrownBy(() -> ValuesSchema.parse("- not a mapping\n"))
        .hasMessageContaining("schema.yaml is not a YAML mapping");
    assertThatThrownBy(() -> ValuesSchema.parse("a..b:\n  schema: '{{ required }}'\n"))
        .hasMessageContaining("empty segment");
  }

  @Test
  void requiredRefusesMissingNullAndEmptyValues() {
    String schema = "a.b:\n  schema: '{{ required }}'\n";
    assertThat(check(schema, "a:\n  b: x\n", "")).isEmpty();
    assertThat(check(schema, "a:\n  c: x\n", ""))
        .containsExactly(
            new FieldProblem("layers[2].values.a.b", "schema-required", "a value is required"));
    assertThat(codes(check(schema, "a:\n  b: x\n", "a:\n  b: null\n")))
        .containsExactly("schema-required");
    assertThat(codes(check(schema, "a:\n  b: x\n", "a:\n  b: ''\n")))
        .containsExactly("schema-required");
    assertThat(codes(check(schema, "", ""))).containsExactly("schema-required");
  }

  @Test
  void numberRangesAreInclusiveAndAcceptDecimals() {
    String schema =
        "port:\n"
            + "  schema: '{{ format \"${number:[1-65535]}\" }}'\n"
            + "ratio:\n"
            + "  schema: '{{ format \"${number:[0.5-1.5]}\" }}'\n";
    assertThat(check(schema, "port: 1\nratio: 0.5\n", "")).isEmpty();
    assertThat(check(schema, "port: 65535\nratio: 1.5\n", "")).isEmpty();
    assertThat(check(schema, "port: 443\nratio: 1.25\n", "")).isEmpty();
    List<FieldProblem> p = check(schema, "port: 0\nratio: 1.51\n", "");
    assertThat(p)
        .extracting(FieldProblem::field)
        .containsExactly("layers[2].values.port", "layers[2].values.ratio");
    assertThat(p.get(0).message()).contains("0 is outside 1 to 65535");
    assertThat(codes(check(schema, "port: abc\n", ""))).containsExactly("schema-format");
  }

  @Test
  void aListFormatAcceptsOnlyItsChoices() {
    String schema =
        "mode:\n  schema: '{{ required | format \"${list:[VXLAN,VXLANCrossSubnet,None]}\" }}'\n";
    assertThat(check(schema, "mode: VXLANCrossSubnet\n", "")).isEmpty();
    assertThat(check(schema, "mode: None\n", "")).isEmpty();
    assertThat(codes(check(schema, "mode: vxlan\n", ""))).containsExactly("schema-format");
    assertThat(check(schema, "mode: [VXLAN, None]\n", "")).isEmpty();
    assertThat(codes(check(schema, "mode: [VXLAN, Bad]\n", ""))).containsExactly("schema-format");
  }

  @Test
  void aCompositeFormatMatchesLiteralTextBetweenPlaceholders() {
    String schema =
        "pool:\n"
            + "  schema: '{{ required | format \"${ipv4} - ${ipv4}\" | hints \"ip pool"
            + " range\"}}'\n";
    assertThat(check(schema, "pool: 10.10.10.10 - 10.10.10.255\n", "")).isEmpty();
    List<FieldProblem> p = check(schema, "pool: 10.10.10.10-10.10.10.255\n", "");
    assertThat(codes(p)).containsExactly("schema-format");
    assertThat(p.get(0).message()).contains("${ipv4} - ${ipv4}").contains("ip pool range");
    assertThat(codes(check(schema, "pool: 10.10.10.10 - 10.10.10.256\n", "")))
        .containsExactly("schema-format");
  }

  @Test
  void aCompositeFormatChecksTheRangeOfItsNumber() {
    String schema = "cidr:\n  schema: '{{ format \"${ipv4}/${number:[8-28]}\" }}'\n";
    assertThat(check(schema, "cidr: 100.64.0.0/18\n", "")).isEmpty();
    assertThat(check(schema, "cidr: 100.64.0.0/30\n", "").get(0).message())
        .contains("30 is outside 8 to 28");
  }

  @Test
  void embeddedRegexesMayCarryTheirOwnAnchors() {
    String schema =
        "device:\n  schema: '{{ format \"${string:/^(auto)?(.dev.[A-Za-z0-9_-]+)?$/}\" }}'\n"
            + "size:\n  schema: '{{ format \"${string:/^[1-9][0-9]*Gi$/}\" }}'\n";
    assertThat(check(schema, "device: auto\nsize: 100Gi\n", "")).isEmpty();
    assertThat(check(schema, "device: /dev/sda\nsize: 5Gi\n", "")).isEmpty();
    assertThat(codes(check(schema, "device: sda\nsize: 100G\n", "")))
        .containsExactly("schema-format", "schema-format");
  }

  @Test
  void typedFormatsCheckBooleansAddressesAndVersions() {
    String schema =
        "b:\n  schema: '{{ format \"${boolean}\" }}'\n"
            + "v4:\n  schema: '{{ format \"${ipv4}\" }}'\n"
            + "c:\n  schema: '{{ format \"${ipv4cidr}\" }}'\n"
            + "v6:\n  schema: '{{ format \"${ipv6}\" }}'\n"
            + "ver:\n  schema: '{{ format \"${version}\" }}'\n";
    assertThat(
            check(
                schema,
                "b: true\nv4: 10.0.0.1\nc: 10.0.0.0/8\nv6: 'fd00::1'\nver: 1.2.3-rc.1\n",
                ""))
        .isEmpty();
    assertThat(
            check(
                schema, "b: yes\nv4: 10.0.0.256\nc: 10.0.0.0/33\nv6: 'fd00:::1'\nver: v1.2\n", ""))
        .extracting(FieldProblem::field)
        .containsExactly(
            "layers[2].values.b",
            "layers[2].values.v4",
            "layers[2].values.c",
            "layers[2].values.v6",
            "layers[2].values.ver");
  }

  @Test
  void everyElementPathsCheckEachElementOfAList() {
    String schema =
        "kairos.users.$[].name:\n"
            + "  schema: '{{ required | format \"${string:/^[a-z_][a-z0-9_-]*$/}\" }}'\n";
    assertThat(check(schema, "kairos:\n  users:\n    - name: kairos\n    - name: ops\n", ""))
        .isEmpty();
    assertThat(
            check(
                schema,
                "kairos:\n  users:\n    - name: kairos\n    - groups: [x]\n    - name: Bad\n",
                ""))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "layers[2].values.kairos.users[1].name", "schema-required"),
            org.assertj.core.groups.Tuple.tuple(
                "layers[2].values.kairos.users[2].name", "schema-format"));
  }

  @Test
  void aTrailingEveryElementPathChecksTheElementsThemselves() {
    String schema =
        "storage.hostDevices.$[]:\n"
            + "  schema: '{{ required | format \"${string:/^.dev.[A-Za-z0-9_-]+$/}\" }}'\n";
    assertThat(check(schema, "storage:\n  hostDevices: [/dev/sdb, /dev/sdc]\n", "")).isEmpty();
    assertThat(check(schema, "storage:\n  hostDevices: [/dev/sdb, sdc]\n", ""))
        .extracting(FieldProblem::field)
        .containsExactly("layers[2].values.storage.hostDevices[1]");
    assertThat(check(schema, "storage:\n  hostDevices: []\n", ""))
        .containsExactly(
            new FieldProblem(
                "layers[2].values.storage.hostDevices[]",
                "schema-required",
                "at least one value is required"));
    assertThat(check(schema, "storage:\n  hostDevices: /dev/sdb\n", ""))
        .extracting(FieldProblem::code, FieldProblem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "schema-format", "expected a list here for the rule on storage.hostDevices.$[]"));
  }

  @Test
  void readonlyValuesMustStayThePacksDefault() {
    String schema = "image.tag:\n  schema: '{{ required | readonly | format \"${string}\" }}'\n";
    String defaults = "image:\n  tag: v2.1.2\n";
    assertThat(check(schema, defaults, "image:\n  tag: v2.1.2\n")).isEmpty();
    List<FieldProblem> p = check(schema, defaults, "image:\n  tag: v9\n");
    assertThat(p)
        .containsExactly(
            new FieldProblem(
                "layers[2].values.image.tag",
                "schema-readonly",
                "the value is read-only: keep the pack's value 'v2.1.2'"));
  }

  @Test
  void readonlyListElementsCannotBeChangedOrRemoved() {
    String schema = "users.$[].name:\n  schema: '{{ readonly }}'\n";
    String defaults = "users:\n  - name: a\n  - name: b\n";
    assertThat(check(schema, defaults, "")).isEmpty();
    assertThat(check(schema, defaults, "users:\n  - name: a\n"))
        .extracting(FieldProblem::field)
        .containsExactly("layers[2].values.users[1].name");
  }

  @Test
  void valuesHoldingTemplateExpressionsAreExemptFromFormats() {
    String schema = "cidr:\n  schema: '{{ required | format \"${ipv4cidr}\" }}'\n";
    assertThat(check(schema, "cidr: '{{.spectro.var.pod_cidr}}'\n", "")).isEmpty();
    assertThat(check(schema, "cidr: 'x{{ .spectro.system.cluster.kubevip }}'\n", "")).isEmpty();
  }

  @Test
  void passwordValuesAreNeverEchoed() {
    String schema = "pw:\n  schema: '{{ format \"${password:/^.{12,}$/}\" }}'\n";
    List<FieldProblem> p = check(schema, "pw: short\n", "");
    assertThat(p).hasSize(1);
    assertThat(p.get(0).message()).doesNotContain("short").startsWith("the value does not have");
  }

  @Test
  void aFormatOnAMappingIsAProblem() {
    String schema = "a:\n  schema: '{{ format \"${string}\" }}'\n";
    assertThat(check(schema, "a:\n  b: 1\n", ""))
        .extracting(FieldProblem::code)
        .containsExactly("schema-format");
  }

  @Test
  void aCostlyRegexGivesUpInsteadOfHanging() {
    String schema = "a:\n  schema: '{{ format \"${string:/(x+x+)+y/}\" }}'\n";
    List<FieldProblem> p = check(schema, "a: " + "x".repeat(5000) + "\n", "");
    assertThat(p).hasSize(1);
    assertThat(p.get(0).message()).contains("gave up");
  }

  @Test
  void cachedSchemasAreParsedOncePerDigest() {
    String yaml = "a:\n  schema: '{{ required }}'\n";
    assertThat(ValuesSchema.cached("sha256:1", yaml))
        .isSameAs(ValuesSchema.cached("sha256:1", yaml));
    assertThat(ValuesSchema.cached("sha256:1", null)).isSameAs(ValuesSchema.EMPTY);
    assertThatThrownBy(() -> ValuesSchema.cached("sha256:2", "a:\n  schema: '{{ nope }}'\n"))
        .hasMessageContaining("unknown function 'nope'");
    assertThatThrownBy(() -> ValuesSchema.cached("sha256:2", "a:\n  schema: '{{ nope }}'\n"))
        .hasMessageContaining("unknown function 'nope'");
  }
}
