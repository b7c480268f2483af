package dev.easel.compliance.adapters.out.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.compliance.application.port.PackStore.PackVersion;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Feature packs' versions across registries in the real PostgreSQL. */
class JdbcPackStoreTest {

  private static final UUID PUBLIC = UUID.randomUUID();
  private static final UUID MIRROR = UUID.randomUUID();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static JdbcPackStore store;

  @BeforeAll
  static void migrate() {
    store = new JdbcPackStore(Migrated.database("compliance_packs").jdbc());
  }

  private static PackVersion pack(UUID registry, String name, String version) {
    return new PackVersion(
        registry,
        registry == PUBLIC ? "public" : "mirror",
        name,
        version,
        "sha256:" + version,
        "pack:\n  namespace: x\n",
        T0);
  }

  @Test
  void theBestVersionIsTheHighestSemanticVersionAcrossRegistries() {
    store.added(pack(PUBLIC, "third-party", "1.9.0"));
    store.added(pack(PUBLIC, "third-party", "1.10.0-rc.1"));
    store.added(pack(MIRROR, "third-party", "1.10.0"));
    store.added(pack(MIRROR, "third-party", "v1.2"));
    store.added(pack(PUBLIC, "third-party", "1.10.0-beta.11"));
    store.added(pack(PUBLIC, "third-party", "1.10.0-beta.2"));

    assertThat(store.best("third-party")).map(PackVersion::version).contains("1.10.0");
    assertThat(store.best("third-party")).map(PackVersion::registryId).contains(MIRROR);
    assertThat(store.versions("third-party"))
        .extracting(PackVersion::version)
        .containsExactly(
            "1.10.0", "1.10.0-rc.1", "1.10.0-beta.11", "1.10.0-beta.2", "1.9.0", "v1.2");
    assertThat(store.best("no-such-pack")).isEmpty();
  }

  @Test
  void aPackIsNewWithItsFirstVersionAndGoneWithItsLast() {
    assertThat(store.added(pack(PUBLIC, "conformance", "0.1.0"))).isTrue();
    assertThat(store.added(pack(MIRROR, "conformance", "0.1.0"))).isFalse();
    assertThat(store.added(pack(PUBLIC, "conformance", "0.1.0"))).isFalse();

    assertThat(store.removed(PUBLIC, "conformance", "0.1.0")).isFalse();
    assertThat(store.removed(MIRROR, "conformance", "0.1.0")).isTrue();
    // The same removal again leaves nothing that was there: it says nothing new.
    assertThat(store.removed(MIRROR, "conformance", "0.1.0")).isFalse();
    assertThat(store.versions("conformance")).isEmpty();
  }

  @Test
  void aVersionAddedAgainReplacesItsDigestAndValues() {
    store.added(pack(PUBLIC, "replaced", "1.0.0"));
    store.added(
        new PackVersion(
            PUBLIC, "public", "replaced", "1.0.0", "sha256:new", "v: 2", T0.plusSeconds(1)));
    assertThat(store.versions("replaced")).hasSize(1);
    assertThat(store.best("replaced").orElseThrow().digest()).isEqualTo("sha256:new");
    assertThat(store.best("replaced").orElseThrow().values()).isEqualTo("v: 2");
  }
}
