package dev.easel.compliance.adapters.out.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionOrderTest {

  @Test
  void versionsSortAsSemanticVersionsWithPreReleasesBelowTheirRelease() {
    List<String> versions =
        new ArrayList<>(
            List.of(
                "1.0.0",
                "2.0.0",
                "1.0.0-alpha.1",
                "1.0.0-alpha",
                "1.0.0-rc.1",
                "1.0.0-beta.11",
                "1.0.0-beta.2",
                "1.0.0-beta",
                "1.0.0-alpha.beta",
                "10.0.0",
                "1.10.0",
                "1.9.9"));
    versions.sort(VersionOrder.INSTANCE);
    // SemVer 2.0.0's own example order, then releases by their numbers.
    assertThat(versions)
        .containsExactly(
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.9.9",
            "1.10.0",
            "2.0.0",
            "10.0.0");
  }

  @Test
  void aLeadingVBuildMetadataAndMissingPartsDoNotMatter() {
    assertThat(VersionOrder.INSTANCE.compare("v1.2", "1.2.0")).isZero();
    assertThat(VersionOrder.INSTANCE.compare("1.2.0+build.7", "1.2.0")).isZero();
    assertThat(VersionOrder.INSTANCE.compare("1.2.0.1", "1.2.0")).isPositive();
    assertThat(VersionOrder.INSTANCE.compare("1.2.010", "1.2.9")).isPositive();
    assertThat(VersionOrder.INSTANCE.compare("1.2.x", "1.2.0")).isNegative();
  }
}
