package dev.easel.contracts.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

  private final Map<String, String> big =
      Map.of("zone", "a", "easel.dev/cores", "16", "easel.dev/memory-gib", "64", "gpu", "true");
  private final Map<String, String> small = Map.of("zone", "b", "easel.dev/cores", "4");

  private boolean matches(String selector, Map<String, String> labels) {
    return LabelSelector.parse(selector).matches(labels);
  }

  @Test
  void equalityAndInequality() {
    assertThat(matches("zone=a", big)).isTrue();
    assertThat(matches("zone==a", small)).isFalse();
    assertThat(matches("zone!=a", small)).isTrue();
    assertThat(matches("rack!=r1", small)).as("absent label is not equal").isTrue();
  }

  @Test
  void setMembership() {
    assertThat(matches("zone in (a, c)", big)).isTrue();
    assertThat(matches("zone in (a,c)", small)).isFalse();
    assertThat(matches("zone notin (a)", small)).isTrue();
    assertThat(matches("rack notin (r1)", small)).isTrue();
  }

  @Test
  void existence() {
    assertThat(matches("gpu", big)).isTrue();
    assertThat(matches("!gpu", big)).isFalse();
    assertThat(matches("!gpu", small)).isTrue();
  }

  @Test
  void numericComparisonsOnCoresAndMemory() {
    assertThat(matches("easel.dev/cores>=8", big)).isTrue();
    assertThat(matches("easel.dev/cores>=8", small)).isFalse();
    assertThat(matches("easel.dev/cores<8", small)).isTrue();
    assertThat(matches("easel.dev/memory-gib>32", big)).isTrue();
    assertThat(matches("easel.dev/memory-gib<=32", small)).as("absent is not a number").isFalse();
    assertThat(matches("zone>1", big)).as("a non-numeric value never compares").isFalse();
  }

  @Test
  void everyRequirementMustHold() {
    assertThat(matches("zone=a, easel.dev/cores>=8, gpu", big)).isTrue();
    assertThat(matches("zone=a,easel.dev/cores>=32", big)).isFalse();
    assertThat(matches("", small)).isTrue();
  }

  @Test
  void invalidSelectorsNameWhatIsWrongAndWhere() {
    assertThatThrownBy(() -> LabelSelector.parse("zone in a,b"))
        .isInstanceOf(InvalidSelectorException.class)
        .hasMessageContaining("expected '('");
    assertThatThrownBy(() -> LabelSelector.parse("zone in (a"))
        .hasMessageContaining("expected ')'");
    assertThatThrownBy(() -> LabelSelector.parse("easel.dev/cores>=many"))
        .hasMessageContaining("expected a number");
    assertThatThrownBy(() -> LabelSelector.parse("zone ~ a"))
        .hasMessageContaining("expected an operator");
    assertThatThrownBy(() -> LabelSelector.parse("=a"))
        .hasMessageContaining("expected a label key")
        .hasMessageContaining("at character 1");
    assertThatThrownBy(() -> LabelSelector.parse("zone=a,,"))
        .isInstanceOf(InvalidSelectorException.class);
  }
}
