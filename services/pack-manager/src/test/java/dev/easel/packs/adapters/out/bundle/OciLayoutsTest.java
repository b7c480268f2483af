package dev.easel.packs.adapters.out.bundle;

import static dev.easel.packs.adapters.out.bundle.TestArchives.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.packs.adapters.out.bundle.OciBundle.Desc;
import dev.easel.packs.adapters.out.bundle.OciLayouts.Artifact;
import dev.easel.packs.adapters.out.bundle.OciLayouts.Blob;
import dev.easel.packs.adapters.out.bundle.OciLayouts.Layout;
import dev.easel.packs.adapters.out.bundle.TestArchives.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutsTest {

  private static final ArchiveLimits LIMITS = ArchiveLimits.defaults();

  @TempDir Path dir;

  @Test
  void extractsTwoPacksAndAMultiArchImageSharingABlob() throws IOException {
    OciBundle bundle = new OciBundle();
    byte[] calico = shippedPack("cni-calico-3.29.2");
    byte[] piraeus = shippedPack("csi-piraeus-2.8.1");
    Desc calicoLayer = bundle.blob(OciBundle.LAYER_TAR, calico);
    Desc calicoManifest = bundle.manifest(bundle.emptyConfig(), calicoLayer);
    Desc piraeusLayer = bundle.blob(OciBundle.LAYER_TAR, piraeus);
    Desc piraeusManifest = bundle.manifest(bundle.emptyConfig(), piraeusLayer);
    Desc base = bundle.blob(OciBundle.LAYER_TAR_GZIP, TestArchives.gzip(bytes("base layer")));
    Desc amd64Layer = bundle.blob(OciBundle.LAYER_TAR_GZIP, TestArchives.gzip(bytes("amd64")));
    Desc arm64Layer = bundle.blob(OciBundle.LAYER_TAR_GZIP, TestArchives.gzip(bytes("arm64")));
    Desc amd64Config = bundle.blob(OciBundle.IMAGE_CONFIG, "{\"architecture\":\"amd64\"}");
    Desc arm64Config = bundle.blob(OciBundle.IMAGE_CONFIG, "{\"architecture\":\"arm64\"}");
    Desc amd64 = bundle.manifest(amd64Config, base, amd64Layer);
    Desc arm64 = bundle.manifest(arm64Config, base, arm64Layer);
    Desc node = bundle.imageIndex(amd64, arm64);
    bundle
        .ref(calicoManifest, "spectro-packs/archive/cni-calico:3.29.2")
        .ref(node, "calico/node:v3.29.2")
        .ref(piraeusManifest, "spectro-packs/archive/csi-piraeus:2.8.1");

    Layout layout = extract(bundle.zstd());

    assertThat(layout.dir()).isEqualTo(dir);
    assertThat(layout.artifacts())
        .extracting(Artifact::ref)
        .containsExactly(
            "spectro-packs/archive/cni-calico:3.29.2",
            "calico/node:v3.29.2",
            "spectro-packs/archive/csi-piraeus:2.8.1");
    assertThat(layout.packs())
        .extracting(a -> a.pack().name())
        .containsExactly("cni-calico", "csi-piraeus");

    Artifact calicoPack = layout.artifacts().get(0);
    assertThat(calicoPack.mediaType()).isEqualTo(OciLayouts.OCI_MANIFEST);
    assertThat(calicoPack.digest()).isEqualTo(calicoManifest.digest());
    assertThat(calicoPack.size()).isEqualTo(calicoManifest.size());
    assertThat(calicoPack.pack().manifest().layer()).isEqualTo("cni");
    assertThat(calicoPack.blobs())
        .extracting(Blob::digest)
        .containsExactly(
            calicoLayer.digest(), bundle.emptyConfig().digest(), calicoManifest.digest());

    Artifact image = layout.artifacts().get(1);
    assertThat(image.isPack()).isFalse();
    assertThat(image.isIndex()).isTrue();
    assertThat(image.blobs())
        .extracting(Blob::digest)
        .containsExactly(
            base.digest(),
            amd64Layer.digest(),
            amd64Config.digest(),
            arm64Layer.digest(),
            arm64Config.digest(),
            amd64.digest(),
            arm64.digest(),
            node.digest());
    assertThat(image.blobs())
        .extracting(Blob::isManifest)
        .containsExactly(false, false, false, false, false, true, true, true);
    assertThat(image.blobs().get(7).mediaType()).isEqualTo(OciLayouts.OCI_INDEX);

    for (Artifact a : layout.artifacts()) {
      for (Blob b : a.blobs()) {
        assertThat(b.file())
            .isEqualTo(layout.blobFile(b.digest()))
            .hasDigest("SHA-256", b.digest().substring(7));
        assertThat(Files.size(b.file())).isEqualTo(b.size());
      }
    }
    assertThat(layout.totalBlobBytes()).isEqualTo(sizeOfBlobs());
    assertThat(filesUnder(dir)).noneMatch(p -> p.toString().endsWith(".partial"));
  }

  @Test
  void extractsALayoutUnderATopDirectoryWithTheIndexFirst() throws IOException {
    OciBundle bundle = new OciBundle().underTopDirectory("bundle").blobsFirst(false);
    Desc m =
        bundle.manifest(
            bundle.blob(OciBundle.IMAGE_CONFIG, "{}"), bundle.blob(OciBundle.LAYER_TAR_GZIP, "l"));
    bundle.ref(m, "library/busybox:1.37");

    Layout layout = extract(bundle.zstd());

    assertThat(layout.artifacts())
        .singleElement()
        .satisfies(a -> assertThat(a.ref()).isEqualTo("library/busybox:1.37"));
    assertThat(Files.isRegularFile(OciLayouts.blobFile(layout, m.digest()))).isTrue();
  }

  @Test
  void refusesABlobWhoseContentDoesNotMatchItsDigestAndLeavesNothing() throws IOException {
    Files.writeString(dir.resolve("keep.txt"), "the caller's");
    OciBundle bundle = new OciBundle();
    Desc layer = bundle.blob(OciBundle.LAYER_TAR_GZIP, "genuine");
    bundle.ref(bundle.manifest(bundle.emptyConfig(), layer), "a/b:1");
    bundle.replaceBlobContent(layer, bytes("tampered"));

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("digest-mismatch");
    assertThat(r.getMessage())
        .contains(layer.digest())
        .contains(TestArchives.sha256(bytes("tampered")));
    assertThat(filesUnder(dir)).containsExactly(dir.resolve("keep.txt"));
  }

  @Test
  void refusesAManifestNamingAMissingBlobAndLeavesNothing() throws IOException {
    OciBundle bundle = new OciBundle();
    Desc layer = bundle.blob(OciBundle.LAYER_TAR_GZIP, "layer");
    bundle.ref(bundle.manifest(bundle.emptyConfig(), layer), "a/b:1").removeBlob(layer);

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("missing-blob");
    assertThat(r.problems())
        .containsExactly("a/b:1 > layers[0]: blob " + layer.digest() + " is not in the bundle");
    assertThat(filesUnder(dir)).isEmpty();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void refusesADescriptorWhoseSizeIsWrong() {
    OciBundle bundle = new OciBundle();
    Desc layer = bundle.blob(OciBundle.LAYER_TAR_GZIP, "12345");
    bundle.ref(bundle.manifest(bundle.emptyConfig(), layer.withSize(4)), "a/b:1");

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("size-mismatch");
    assertThat(r.getMessage())
        .isEqualTo(
            "a/b:1 > layers[0]: the descriptor of "
                + layer.digest()
                + " says 4 bytes, the blob has 5");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void reportsEveryGraphProblemTogether() {
    OciBundle bundle = new OciBundle();
    Desc missing = bundle.blob(OciBundle.LAYER_TAR_GZIP, "missing");
    Desc sized = bundle.blob(OciBundle.LAYER_TAR_GZIP, "sized");
    bundle.ref(bundle.manifest(bundle.emptyConfig(), missing), "a/missing:1");
    bundle.ref(bundle.manifest(bundle.emptyConfig(), sized.withSize(1)), "a/sized:1");
    bundle.ref(bundle.manifest(bundle.emptyConfig(), sized), "Not/Valid:1");
    bundle.removeBlob(missing);

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("missing-blob");
    assertThat(r.problems()).hasSize(3);
    assertThat(r.problems().get(1)).startsWith("a/sized:1 > layers[0]: the descriptor");
    assertThat(r.problems().get(2)).contains("invalid repository 'Not/Valid'");
  }

  @Test
  void refusesATruncatedBundleAndRemovesTheBlobsItWrote() throws IOException {
    OciBundle bundle = new OciBundle();
    Desc big = bundle.blob(OciBundle.LAYER_TAR_GZIP, randomBytes(400_000));
    bundle.blob(OciBundle.LAYER_TAR_GZIP, randomBytes(400_000));
    bundle.ref(bundle.manifest(bundle.emptyConfig(), big), "a/b:1");
    byte[] zstd = bundle.zstd();
    byte[] half = Arrays.copyOf(zstd, zstd.length / 2);

    BundleRefused r = refusal(() -> extract(half));

    assertThat(r.type()).isEqualTo("truncated");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void refusesAnIndexEntryThatIsNotAManifest() {
    OciBundle bundle = new OciBundle();
    Desc layer = bundle.blob(OciBundle.LAYER_TAR_GZIP, "layer");
    bundle.ref(layer, "a/b:1");

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("wrong-media-type");
    assertThat(r.getMessage())
        .isEqualTo("a/b:1: '" + OciBundle.LAYER_TAR_GZIP + "' is not an image manifest or index");
  }

  @Test
  void refusesAManifestWhoseOwnMediaTypeDiffersFromItsDescriptor() {
    OciBundle bundle = new OciBundle();
    Desc m =
        bundle.manifest(
            OciLayouts.DOCKER_MANIFEST,
            bundle.emptyConfig(),
            bundle.blob(OciBundle.LAYER_TAR, "l"));
    bundle.ref(m, "a/b:1");

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("wrong-media-type");
    assertThat(r.getMessage()).contains("the manifest says '" + OciLayouts.DOCKER_MANIFEST + "'");
  }

  @Test
  void refusesAnIndexChildThatIsNotAManifest() {
    OciBundle bundle = new OciBundle();
    Desc config = bundle.blob(OciBundle.IMAGE_CONFIG, "{}");
    Desc index = bundle.imageIndex(config);
    bundle.ref(index, "a/b:1");

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("wrong-media-type");
    assertThat(r.getMessage()).startsWith("a/b:1 > manifests[0]:");
  }

  @Test
  void refusesAPackUnderAnotherVersionsRef() throws IOException {
    OciBundle bundle = new OciBundle();
    bundle.ref(
        bundle.packManifest(shippedPack("cni-calico-3.29.2")),
        "spectro-packs/archive/cni-calico:3.29.1");

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("pack-ref-mismatch");
    assertThat(r.getMessage())
        .isEqualTo(
            "spectro-packs/archive/cni-calico:3.29.1: holds pack cni-calico 3.29.2, so its ref must"
                + " be spectro-packs/archive/cni-calico:3.29.2");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void refusesAPackHiddenUnderAnImageRef() throws IOException {
    OciBundle bundle = new OciBundle();
    bundle.ref(bundle.packManifest(shippedPack("zot-0.1.67")), "project-zot/zot:v2.1.2");

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("pack-ref-mismatch");
  }

  @Test
  void refusesAnInvalidPackInsideABundle() {
    OciBundle bundle = new OciBundle();
    byte[] pack =
        new TarBuilder()
            .file("x-1.0.0/pack.json", PackArchivesTest.packJson("x", "v1.2", "addon"))
            .file("x-1.0.0/values.yaml", "")
            .gzip();
    bundle.ref(bundle.packManifest(pack), "spectro-packs/archive/x:1.0.0");

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("invalid-pack");
    assertThat(r.problems())
        .containsExactly(
            "spectro-packs/archive/x:1.0.0: pack.json version: 'v1.2' is not a semantic version"
                + " such as 1.2.3");
  }

  @Test
  void refusesSomethingThatIsNotAPackUnderThePackPath() {
    OciBundle bundle = new OciBundle();
    Desc m =
        bundle.manifest(
            bundle.blob(OciBundle.IMAGE_CONFIG, "{}"), bundle.blob(OciBundle.LAYER_TAR_GZIP, "l"));
    bundle.ref(m, "spectro-packs/archive/nginx:1.27.0");

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("not-an-archive");
    assertThat(r.getMessage())
        .startsWith("spectro-packs/archive/nginx:1.27.0: the archive is not gzip");
  }

  @Test
  void refusesInvalidRefNames() {
    for (String ref :
        List.of(
            "Calico/Node:v1",
            "calico/node",
            "calico/node:",
            "calico//node:v1",
            "calico/node:-x",
            "registry.io:5000/node:v1",
            "a/b:" + "t".repeat(129))) {
      OciBundle bundle = new OciBundle();
      bundle.ref(
          bundle.manifest(bundle.emptyConfig(), bundle.blob(OciBundle.LAYER_TAR_GZIP, "l")), ref);

      BundleRefused r = refusal(() -> extract(bundle.zstd()));

      assertThat(r.type()).as(ref).isEqualTo("invalid-layout");
    }
  }

  @Test
  void refusesLinksOfAnyKind() {
    OciBundle bundle = new OciBundle();
    Desc m = bundle.manifest(bundle.emptyConfig(), bundle.blob(OciBundle.LAYER_TAR_GZIP, "l"));
    bundle.ref(m, "a/b:1");
    byte[] withLink =
        bundle.tarBuilder().symlink("blobs/sha256/link", m.digest().substring(7)).zstd();

    BundleRefused r = refusal(() -> extract(withLink));

    assertThat(r.type()).isEqualTo("unsafe-link");
  }

  @Test
  void refusesABrokenLayoutFile() {
    OciBundle noIndex = new OciBundle().indexJson("{\"schemaVersion\":2,\"manifests\":[]}");
    OciBundle notJson = new OciBundle().indexJson("{manifests");

    assertThat(refusal(() -> extract(noIndex.zstd())).getMessage())
        .isEqualTo("index.json: manifests must list at least one artifact");
    assertThat(refusal(() -> extract(notJson.zstd())).type()).isEqualTo("invalid-layout");
    assertThat(refusal(() -> extract(new TarBuilder().file("other", "x").zstd())).problems())
        .containsExactly("oci-layout: missing", "index.json: missing");
  }

  @Test
  void refusesAZstdBombWithinSecondsAndLeavesNothing() {
    String hex = "0".repeat(64);
    byte[] bomb = TestArchives.zerosBomb("blobs/sha256/" + hex, 2L << 30, true);

    long start = System.nanoTime();
    BundleRefused r = refusal(() -> extract(bomb));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(r.type()).isEqualTo("decompression-bomb");
    assertThat(took).isLessThan(Duration.ofSeconds(2));
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void refusesABlobNameThatIsNotADigest() {
    byte[] archive = new TarBuilder().file("blobs/sha256/../../../etc", "x").zstd();
    byte[] notHex = new TarBuilder().file("blobs/sha256/ABC", "x").zstd();

    assertThat(refusal(() -> extract(archive)).type()).isEqualTo("unsafe-path");
    assertThat(refusal(() -> extract(notHex)).type()).isEqualTo("invalid-layout");
  }

  @Test
  void readsAPackNamedByManyRefsOnce() throws IOException {
    OciBundle bundle = new OciBundle();
    Desc pack = bundle.packManifest(shippedPack("zot-0.1.67"));
    bundle.ref(pack, "spectro-packs/archive/zot:0.1.67");
    for (int i = 0; i < 200; i++) {
      bundle.ref(pack, "mirror/zot:copy-" + i);
    }

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("pack-ref-mismatch");
    assertThat(r.problems()).hasSize(BundleRefused.MAX_PROBLEMS);
    assertThat(r.problems().get(0)).startsWith("mirror/zot:copy-0: holds pack zot 0.1.67");
  }

  @Test
  void refusesAGraphThatFansOutTooFar() {
    OciBundle bundle = new OciBundle();
    Desc m = bundle.manifest(bundle.emptyConfig(), bundle.blob(OciBundle.LAYER_TAR_GZIP, "l"));
    Desc[] children = new Desc[2000];
    java.util.Arrays.fill(children, m);
    Desc wide = bundle.imageIndex(children);
    for (int i = 0; i < 60; i++) {
      bundle.ref(wide, "wide/index:" + i);
    }

    BundleRefused r = refusal(() -> extract(bundle.zstd()));

    assertThat(r.type()).isEqualTo("too-large");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void namesBlobFilesOnlyForSha256Digests() {
    assertThat(OciLayouts.blobFile(dir, "sha256:" + "a".repeat(64)))
        .isEqualTo(dir.resolve("blobs/sha256/" + "a".repeat(64)));
    assertThatThrownBy(() -> OciLayouts.blobFile(dir, "sha256:../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------------------------------------

  private Layout extract(byte[] zstdTar) throws IOException {
    return OciLayouts.extract(new ByteArrayInputStream(zstdTar), dir, LIMITS);
  }

  private static byte[] shippedPack(String name) throws IOException {
    return PackArchivesTest.tarGzOfDirectory(PackArchivesTest.SHIPPED_PACKS.resolve(name)).gzip();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new java.util.Random(n).nextBytes(b);
    return b;
  }

  private long sizeOfBlobs() throws IOException {
    long n = 0;
    for (Path p : filesUnder(dir.resolve("blobs"))) {
      n += Files.size(p);
    }
    return n;
  }

  private static List<Path> filesUnder(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
