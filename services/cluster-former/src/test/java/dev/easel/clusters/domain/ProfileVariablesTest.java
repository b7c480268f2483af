package dev.easel.clusters.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileVariablesTest {

  private static PublishedProfile.Variable variable(
      String name, String format, boolean required, String def, String regex, List<String> opts) {
    return new PublishedProfile.Variable(name, format, required, def, regex, false, opts);
  }

  private static final List<PublishedProfile.Variable> DECLARED =
      List.of(
          variable("site", "string", true, null, "[a-z]+", List.of()),
          variable("replicas", "number", false, "1", null, List.of("1", "3")),
          variable("pod_cidr", "ipv4cidr", false, "100.64.0.0/18", null, List.of()),
          variable("debug", "boolean", false, "false", null, List.of()),
          variable("k8s", "version", true, "1.32.3", null, List.of()));

  @Test
  void valuesThatMeetTheirVariablesPass() {
    assertThat(
            ProfileVariables.check(
                DECLARED,
                Map.of(
                    "site", "lab", "replicas", "3", "pod_cidr", "10.42.0.0/16", "debug", "true")))
        .isEmpty();
  }

  @Test
  void aRequiredVariableWithoutDefaultMustBeGivenOneWithADefaultNeedNot() {
    assertThat(ProfileVariables.check(DECLARED, Map.of()))
        .extracting(p -> p.field() + " " + p.code())
        .containsExactly("variables.site required");
  }

  @Test
  void everyBadValueIsNamedWithItsVariable() {
    assertThat(
            ProfileVariables.check(
                DECLARED,
                Map.of(
                    "site", "Lab 1",
                    "replicas", "2",
                    "pod_cidr", "10.42.0.1/16",
                    "debug", "yes",
                    "k8s", "latest",
                    "colour", "blue")))
        .extracting(p -> p.field() + " " + p.code())
        .containsExactlyInAnyOrder(
            "variables.colour unknown-variable",
            "variables.site pattern-mismatch",
            "variables.replicas not-an-option",
            "variables.pod_cidr invalid-format",
            "variables.debug invalid-format",
            "variables.k8s invalid-format");
  }

  @Test
  void aValueLongerThanALineIsRefused() {
    assertThat(ProfileVariables.check(DECLARED, Map.of("site", "a".repeat(5000))))
        .extracting(FieldProblem::code)
        .containsExactly("too-long");
  }
}
