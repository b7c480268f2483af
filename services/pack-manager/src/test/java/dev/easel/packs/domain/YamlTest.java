package dev.easel.packs.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class YamlTest {

  @Test
  void nullBlankAndCommentOnlyDocumentsReadAsAnEmptyMapping() {
    assertThat(Yaml.parseMapping(null).isObject()).isTrue();
    assertThat(Yaml.parseMapping(null).size()).isZero();
    assertThat(Yaml.parseMapping("   \n").size()).isZero();
    assertThat(Yaml.parseMapping("# only a comment\n").size()).isZero();
    assertThat(Yaml.parseMapping("---\n").size()).isZero();
  }

  @Test
  void readsNestedMappingsListsAndTypedScalars() {
    JsonNode n =
        Yaml.parseMapping(
            "a:\n"
                + "  b: 1\n"
                + "  c: [x, y]\n"
                + "  d: true\n"
                + "  e: 1.5\n"
                + "  f: null\n"
                + "  g: '6443'\n"
                + "  h: 12345678901\n");
    assertThat(n.at("/a/b").intValue()).isEqualTo(1);
    assertThat(n.at("/a/c/1").stringValue()).isEqualTo("y");
    assertThat(n.at("/a/d").booleanValue()).isTrue();
    assertThat(n.at("/a/e").doubleValue()).isEqualTo(1.5);
    assertThat(n.at("/a/f").isNull()).isTrue();
    assertThat(n.at("/a/g").isString()).isTrue();
    assertThat(n.at("/a/h").longValue()).isEqualTo(12345678901L);
  }

  @Test
  void refusesADocumentThatIsNotAMapping() {
    assertThatThrownBy(() -> Yaml.parseMapping("- a\n- b\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a mapping")
        .hasMessageContaining("a list");
    assertThatThrownBy(() -> Yaml.parseMapping("just text"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a single value");
  }

  @Test
  void reportsTheLineOfASyntaxError() {
    assertThatThrownBy(() -> Yaml.parseMapping("a: 1\nb: [1, 2\nc: 3\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("(?s)line \\d+, column \\d+: .+");
    assertThatThrownBy(() -> Yaml.parseMapping("a: 1\n  b: 2: 3\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 2");
  }

  @Test
  void refusesAnAliasBombAtItsFirstAlias() {
    StringBuilder bomb =
        new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    char previous = 'a';
    for (char c = 'b'; c <= 'z'; c++) {
      bomb.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 10; i++) {
        bomb.append(i == 0 ? "" : ",").append('*').append(previous);
      }
      bomb.append("]\n");
      previous = c;
    }
    assertThatThrownBy(() -> Yaml.parseMapping(bomb.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aliases are not supported")
        .hasMessageContaining("line 2");
  }

  @Test
  void refusesAMergeKeyAliasInsteadOfMisreadingIt() {
    assertThatThrownBy(() -> Yaml.parseMapping("base: &b\n  x: 1\nother:\n  <<: *b\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("*b");
  }

  @Test
  void refusesDuplicateKeys() {
    assertThatThrownBy(() -> Yaml.parseMapping("a: 1\nb: 2\na: 3\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate key 'a'")
        .hasMessageContaining("line 3");
  }

  @Test
  void refusesMoreThanOneDocument() {
    assertThatThrownBy(() -> Yaml.parseMapping("a: 1\n---\nb: 2\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than one YAML document");
  }

  @Test
  void refusesDocumentsOverOneMebibyte() {
    String big = "a: \"" + "x".repeat(Yaml.MAX_DOCUMENT_BYTES) + "\"\n";
    assertThatThrownBy(() -> Yaml.parseMapping(big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("larger than 1024 KiB");
  }

  @Test
  void countsMultiByteCharactersTowardsTheSizeLimit() {
    String big = "a: \"" + "é".repeat(Yaml.MAX_DOCUMENT_BYTES / 2) + "\"\n";
    assertThat(big.length()).isLessThan(Yaml.MAX_DOCUMENT_BYTES);
    assertThatThrownBy(() -> Yaml.parseMapping(big)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    String deep =
        "a: " + "[".repeat(Yaml.MAX_NESTING_DEPTH + 5) + "]".repeat(Yaml.MAX_NESTING_DEPTH + 5);
    assertThatThrownBy(() -> Yaml.parseMapping(deep))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("depth");
  }

  @Test
  void mergeMergesMappingsDeeplyAndReplacesScalarsAndLists() {
    JsonNode base = Yaml.parseMapping("a:\n  b: 1\n  c: [1, 2]\n  d:\n    e: x\nz: keep\n");
    JsonNode override =
        Yaml.parseMapping("a:\n  b: 2\n  c: [3]\n  d:\n    f: why\n  m: null\n  e:\nw: new\n");
    JsonNode merged = Yaml.merge(base, override);
    assertThat(Yaml.dump(merged))
        .isEqualTo(
            "a:\n"
                + "  b: 2\n"
                + "  c:\n"
                + "    - 3\n"
                + "  d:\n"
                + "    e: x\n"
                + "    f: why\n"
                + "  m: null\n"
                + "  e: null\n"
                + "z: keep\n"
                + "w: new\n");
    assertThat(Yaml.dump(base)).contains("b: 1").doesNotContain("f: why");
  }

  @Test
  void mergeReplacesAMappingWithAScalarAndTheOtherWayRound() {
    JsonNode merged =
        Yaml.merge(
            Yaml.parseMapping("a:\n  b: 1\nc: 2\n"), Yaml.parseMapping("a: flat\nc:\n  d: 3\n"));
    assertThat(merged.at("/a").stringValue()).isEqualTo("flat");
    assertThat(merged.at("/c/d").intValue()).isEqualTo(3);
  }

  @Test
  void dumpWritesBlockYamlWithoutADocumentMarkerInParsedOrder() {
    String text = Yaml.dump(Yaml.parseMapping("zeta: 1\nalpha:\n  - image: a\n  - image: b\n"));
    assertThat(text).isEqualTo("zeta: 1\nalpha:\n  - image: a\n  - image: b\n");
    assertThat(text).doesNotStartWith("---");
  }

  @Test
  void dumpWritesMultiLineStringsAsLiteralBlocks() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("config", "line one\nline two\n");
    assertThat(Yaml.dump(n)).isEqualTo("config: |\n  line one\n  line two\n");
  }

  @Test
  void dumpQuotesEveryStringThatWouldReadBackAsSomethingElse() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    String[] tricky = {
      "true",
      "no",
      "null",
      "~",
      "",
      "1",
      "1.5",
      "1e3",
      "0x1F",
      ".inf",
      "-1",
      "<<",
      "=",
      "{{.spectro.var.pod_cidr}}",
      "a: b",
      "# not a comment",
      "- item",
      "*alias",
      "&anchor",
      "!tag",
      "@at",
      "`tick`",
      " padded ",
      "it's",
      "say \"hi\"",
      "key: value\nnext: line",
      "100.64.0.0/18",
      "v1.32.3",
      "1.32.3",
      "0600"
    };
    for (int i = 0; i < tricky.length; i++) {
      n.put("k" + i, tricky[i]);
    }
    n.put("1", "numeric key");
    n.put("true", "boolean key");
    JsonNode back = Yaml.parseMapping(Yaml.dump(n));
    assertThat(back).isEqualTo(n);
  }

  @Test
  void dumpOfAnEmptyMappingIsAnEmptyFlowMapping() {
    assertThat(Yaml.dump(JsonNodeFactory.instance.objectNode()).strip()).isEqualTo("{}");
    assertThat(Yaml.parseMapping(Yaml.dump(JsonNodeFactory.instance.objectNode())).size()).isZero();
  }

  @Test
  void atFollowsDottedPathsAndListIndexes() {
    JsonNode n = Yaml.parseMapping("pack:\n  content:\n    images:\n      - image: a\n");
    assertThat(Yaml.at(n, "pack.content.images.0.image").stringValue()).isEqualTo("a");
    assertThat(Yaml.at(n, "pack.content.images.1.image").isMissingNode()).isTrue();
    assertThat(Yaml.at(n, "pack.nothing.here").isMissingNode()).isTrue();
  }
}
