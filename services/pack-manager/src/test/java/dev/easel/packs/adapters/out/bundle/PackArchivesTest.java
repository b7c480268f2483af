package dev.easel.packs.adapters.out.bundle;

import static dev.easel.packs.adapters.out.bundle.TestArchives.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.packs.adapters.out.bundle.TestArchives.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackArchivesTest {

  /** The packs Easel ships, relative to the module directory, where tests run. */
  static final Path SHIPPED_PACKS = Path.of("src/main/resources/packs");

  static final String HELLO_PACK_JSON =
      """
      {
        "addonType": "app services",
        "annotations": { "source": "community", "contributor": "spectrocloud" },
        "cloudTypes": ["all"],
        "displayName": "Hello Universe",
        "kubeManifests": ["manifests/hello-universe.yaml"],
        "charts": ["charts/hello-universe-1.1.1.tgz"],
        "layer": "addon",
        "name": "hello-universe",
        "version": "1.1.1",
        "eol": "2028-04-30",
        "constraints": {
          "dependencies": [
            {
              "packName": "kubernetes", "layer": "k8s",
              "minVersion": "1.27", "maxVersion": "", "type": "optional"
            }
          ],
          "resources": [ { "type": "cpu", "minLimit": 100 } ]
        }
      }
      """;

  private static final ArchiveLimits LIMITS = ArchiveLimits.defaults();

  @Test
  void readsARealisticPackUnderItsTopDirectory() throws IOException {
    byte[] chart = TestArchives.gzip(new byte[5000]);
    byte[] logo = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};
    byte[] archive =
        new TarBuilder()
            .dir("hello-universe-1.1.1/")
            .file("hello-universe-1.1.1/pack.json", HELLO_PACK_JSON)
            .file("hello-universe-1.1.1/values.yaml", "pack:\n  namespace: hello-universe\n")
            .file(
                "hello-universe-1.1.1/schema.yaml", "pack.namespace:\n  schema: '{{ required }}'\n")
            .file("hello-universe-1.1.1/presets.yaml", "presets: []\n")
            .file("hello-universe-1.1.1/README.md", "# Hello Universe\n")
            .file("hello-universe-1.1.1/logo.png", logo)
            .dir("hello-universe-1.1.1/charts/")
            .file("hello-universe-1.1.1/charts/hello-universe-1.1.1.tgz", chart)
            .dir("hello-universe-1.1.1/manifests/")
            .file("hello-universe-1.1.1/manifests/hello-universe.yaml", "kind: Namespace\n")
            .gzip();

    PackContent pack = PackArchives.read(new ByteArrayInputStream(archive), LIMITS);

    assertThat(pack.manifest().name()).isEqualTo("hello-universe");
    assertThat(pack.manifest().version()).isEqualTo("1.1.1");
    assertThat(pack.manifest().constraints().dependencies()).hasSize(1);
    assertThat(pack.packJson()).isEqualTo(HELLO_PACK_JSON);
    assertThat(pack.valuesYaml()).isEqualTo("pack:\n  namespace: hello-universe\n");
    assertThat(pack.schemaYaml()).startsWith("pack.namespace:");
    assertThat(pack.presetsYaml()).isEqualTo("presets: []\n");
    assertThat(pack.readme()).isEqualTo("# Hello Universe\n");
    assertThat(pack.hasLogo()).isTrue();
    assertThat(pack.files())
        .containsExactly(
            "pack.json",
            "values.yaml",
            "schema.yaml",
            "presets.yaml",
            "README.md",
            "logo.png",
            "charts/hello-universe-1.1.1.tgz",
            "manifests/hello-universe.yaml");
    assertThat(pack.uncompressedBytes())
        .isEqualTo(
            utf8Length(
                    HELLO_PACK_JSON,
                    pack.valuesYaml(),
                    pack.schemaYaml(),
                    pack.presetsYaml(),
                    pack.readme(),
                    "kind: Namespace\n")
                + logo.length
                + chart.length);
  }

  @Test
  void readsAPackAtTheArchiveRootAsTarMakesItFromInsideTheDirectory() throws IOException {
    byte[] archive =
        new TarBuilder()
            .dir("./")
            .file("./values.yaml", "")
            .file("./pack.json", packJson("spegel", "0.0.18", "addon"))
            .gzip();

    PackContent pack = PackArchives.read(new ByteArrayInputStream(archive), LIMITS);

    assertThat(pack.name()).isEqualTo("spegel");
    assertThat(pack.valuesYaml()).isEmpty();
    assertThat(pack.schemaYaml()).isNull();
    assertThat(pack.readme()).isNull();
    assertThat(pack.hasLogo()).isFalse();
    assertThat(pack.files()).containsExactly("values.yaml", "pack.json");
  }

  @Test
  void readsEveryPackEaselShips(@TempDir Path tmp) throws IOException {
    List<Path> packDirs;
    try (Stream<Path> dirs = Files.list(SHIPPED_PACKS)) {
      packDirs = dirs.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(packDirs).isNotEmpty();

    for (Path dir : packDirs) {
      Path archive = tmp.resolve(dir.getFileName() + ".tar.gz");
      Files.write(archive, tarGzOfDirectory(dir).gzip());

      PackContent pack = PackArchives.read(archive, LIMITS);

      String top = dir.getFileName().toString();
      assertThat(pack.name() + "-" + pack.version()).isEqualTo(top);
      assertThat(pack.valuesYaml()).isEqualTo(Files.readString(dir.resolve("values.yaml")));
      assertThat(pack.packJson()).isEqualTo(Files.readString(dir.resolve("pack.json")));
      assertThat(pack.hasLogo()).isTrue();
      assertThat(pack.files()).containsAll(pack.manifest().kubeManifests());
      assertThat(pack.uncompressedBytes()).isEqualTo(sizeOf(dir));
    }
  }

  @Test
  void refusesPackJsonWithoutName() {
    BundleRefused r = refusePackJson(HELLO_PACK_JSON.replace("\"name\": \"hello-universe\",", ""));

    assertThat(r.type()).isEqualTo("invalid-pack");
    assertThat(r.problems()).singleElement().asString().startsWith("pack.json name: required");
  }

  @Test
  void refusesPackJsonWithoutVersion() {
    BundleRefused r = refusePackJson(HELLO_PACK_JSON.replace("\"version\": \"1.1.1\",", ""));

    assertThat(r.problems()).containsExactly("pack.json version: required");
  }

  @Test
  void refusesPackJsonWithoutLayer() {
    BundleRefused r = refusePackJson(HELLO_PACK_JSON.replace("\"layer\": \"addon\",", ""));

    assertThat(r.problems()).singleElement().asString().startsWith("pack.json layer: required");
  }

  @Test
  void refusesAVersionThatIsNotSemver() {
    BundleRefused r = refusePackJson(HELLO_PACK_JSON.replace("\"1.1.1\"", "\"v1.2\""));

    assertThat(r.problems())
        .containsExactly("pack.json version: 'v1.2' is not a semantic version such as 1.2.3");
  }

  @Test
  void refusesAnUnknownConstraintType() {
    BundleRefused r = refusePackJson(HELLO_PACK_JSON.replace("\"optional\"", "\"recommended\""));

    assertThat(r.problems())
        .singleElement()
        .asString()
        .startsWith("pack.json constraints.dependencies[0].type: 'recommended'");
  }

  @Test
  void reportsEveryProblemOfAPackAtOnce() {
    String bad =
        "{\"displayName\":\"X\",\"cloudTypes\":[\"mars\"],\"charts\":[\"charts/missing.tgz\"]}";
    byte[] archive = new TarBuilder().file("pack.json", bad).gzip();

    BundleRefused r = refusal(() -> PackArchives.read(new ByteArrayInputStream(archive), LIMITS));

    assertThat(r.type()).isEqualTo("invalid-pack");
    assertThat(r.problems())
        .containsExactly(
            "values.yaml: missing",
            "pack.json name: required, lower-case letters, digits, '.', '_' and '-'",
            "pack.json version: required",
            "pack.json layer: required, one of os, k8s, cni, csi, addon",
            "pack.json cloudTypes: 'mars' is not a known cloud type",
            "pack.json charts: 'charts/missing.tgz' is not in the archive");
    assertThat(r.getMessage()).isEqualTo("values.yaml: missing (and 5 more problems)");
  }

  @Test
  void refusesChartsAndManifestsThePackJsonListsButTheArchiveLacks() {
    byte[] archive =
        new TarBuilder()
            .file("p/pack.json", HELLO_PACK_JSON)
            .file("p/values.yaml", "")
            .symlink("p/charts/hello-universe-1.1.1.tgz", "../values.yaml")
            .gzip();

    BundleRefused r = refusal(() -> PackArchives.read(new ByteArrayInputStream(archive), LIMITS));

    assertThat(r.problems())
        .containsExactly(
            "pack.json charts: 'charts/hello-universe-1.1.1.tgz' is not in the archive",
            "pack.json kubeManifests: 'manifests/hello-universe.yaml' is not in the archive");
  }

  @Test
  void refusesMalformedOrAmbiguousPackJson() {
    BundleRefused trailingComma = refusePackJson("{\"name\": \"a\",}");
    BundleRefused duplicateKey =
        refusePackJson(
            HELLO_PACK_JSON.replace(
                "\"layer\": \"addon\",", "\"layer\": \"addon\", \"layer\": \"os\","));
    BundleRefused wrongShape = refusePackJson(HELLO_PACK_JSON.replace("[\"all\"]", "{\"all\": 1}"));

    assertThat(List.of(trailingComma, duplicateKey, wrongShape))
        .allSatisfy(r -> assertThat(r.type()).isEqualTo("invalid-pack"));
    assertThat(duplicateKey.getMessage()).contains("Duplicate").contains("\"layer\"");
  }

  @Test
  void refusesAnOversizedPackJsonBeforeKeepingIt() {
    String huge = "{\"padding\": \"" + "x".repeat(300 * 1024) + "\"}";

    BundleRefused r = refusePackJson(huge);

    assertThat(r.type()).isEqualTo("too-large");
  }

  @Test
  void refusesTextThatIsNotUtf8() {
    byte[] latin1 = {'k', ':', ' ', (byte) 0xe9, '\n'};
    byte[] archive =
        new TarBuilder()
            .file("pack.json", packJson("a", "1.0.0", "addon"))
            .file("values.yaml", latin1)
            .gzip();

    BundleRefused r = refusal(() -> PackArchives.read(new ByteArrayInputStream(archive), LIMITS));

    assertThat(r.problems()).containsExactly("values.yaml: not UTF-8 text");
  }

  @Test
  void refusesFilesSpreadOverSeveralTopDirectories() {
    byte[] archive =
        new TarBuilder()
            .file("a-1.0.0/pack.json", packJson("a", "1.0.0", "addon"))
            .file("a-1.0.0/values.yaml", "")
            .file("b-1.0.0/values.yaml", "")
            .gzip();

    BundleRefused r = refusal(() -> PackArchives.read(new ByteArrayInputStream(archive), LIMITS));

    assertThat(r.type()).isEqualTo("invalid-pack");
    assertThat(r.getMessage()).startsWith("pack.json: missing");
  }

  @Test
  void refusesAPackWithAnEscapingSymlink() {
    byte[] archive =
        new TarBuilder()
            .file("a/pack.json", packJson("a", "1.0.0", "addon"))
            .file("a/values.yaml", "")
            .symlink("a/charts/evil.tgz", "../../../etc/shadow")
            .gzip();

    BundleRefused r = refusal(() -> PackArchives.read(new ByteArrayInputStream(archive), LIMITS));

    assertThat(r.type()).isEqualTo("unsafe-link");
  }

  @Test
  void refusesAPackJsonThatIsALink() {
    byte[] archive =
        new TarBuilder()
            .file("real.json", packJson("a", "1.0.0", "addon"))
            .hardlink("pack.json", "real.json")
            .file("values.yaml", "")
            .gzip();

    BundleRefused r = refusal(() -> PackArchives.read(new ByteArrayInputStream(archive), LIMITS));

    assertThat(r.problems()).containsExactly("pack.json: must be a regular file, not a hardlink");
  }

  // ---------------------------------------------------------------------------------------------

  static String packJson(String name, String version, String layer) {
    return "{\"name\":\""
        + name
        + "\",\"displayName\":\""
        + name
        + "\",\"version\":\""
        + version
        + "\",\"layer\":\""
        + layer
        + "\",\"cloudTypes\":[\"all\"]}";
  }

  /** A pack directory as {@code tar -czf <name>.tar.gz <name>} would write it. */
  static TarBuilder tarGzOfDirectory(Path dir) throws IOException {
    String top = dir.getFileName().toString();
    TarBuilder tar = new TarBuilder().dir(top);
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(p -> !p.equals(dir)).sorted().forEach(paths::add);
    }
    for (Path p : paths) {
      String name = top + "/" + dir.relativize(p).toString().replace('\\', '/');
      if (Files.isDirectory(p)) {
        tar.dir(name);
      } else {
        tar.file(name, Files.readAllBytes(p));
      }
    }
    return tar;
  }

  private static long utf8Length(String... texts) {
    long n = 0;
    for (String t : texts) {
      n += t.getBytes(StandardCharsets.UTF_8).length;
    }
    return n;
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static BundleRefused refusePackJson(String packJson) {
    byte[] archive =
        new TarBuilder()
            .file("hello-universe-1.1.1/pack.json", packJson)
            .file("hello-universe-1.1.1/values.yaml", "")
            .file("hello-universe-1.1.1/charts/hello-universe-1.1.1.tgz", "chart")
            .file("hello-universe-1.1.1/manifests/hello-universe.yaml", "kind: List\n")
            .gzip();
    return refusal(() -> PackArchives.read(new ByteArrayInputStream(archive), LIMITS));
  }
}
