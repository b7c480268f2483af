package dev.easel.packs.adapters.out.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BundleRefusedTest {

  @Test
  void saysTheFirstProblemAndHowManyMore() {
    BundleRefused one = new BundleRefused("truncated", "the zstd stream ends early");
    BundleRefused three = new BundleRefused("invalid-pack", List.of("a", "b", "c"));

    assertThat(one.getMessage()).isEqualTo("the zstd stream ends early");
    assertThat(three.getMessage()).isEqualTo("a (and 2 more problems)");
    assertThat(three.type()).isEqualTo("invalid-pack");
    assertThat(three.problems()).containsExactly("a", "b", "c");
  }

  @Test
  void keepsAtMostAHundredProblems() {
    List<String> many = IntStream.range(0, 5000).mapToObj(i -> "problem " + i).toList();

    BundleRefused r = new BundleRefused("invalid-layout", many);

    assertThat(r.problems()).hasSize(BundleRefused.MAX_PROBLEMS);
    assertThat(r.problems().get(98)).isEqualTo("problem 98");
    assertThat(r.problems().get(99)).isEqualTo("... and 4901 more problems");
    assertThat(r.getMessage()).isEqualTo("problem 0 (and 4999 more problems)");
  }

  @Test
  void needsATypeAndAProblem() {
    assertThatThrownBy(() -> new BundleRefused("", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BundleRefused("x", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
