package dev.easel.compliance.adapters.out.reports;

import static dev.easel.compliance.adapters.out.reports.KubeBenchParserTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.easel.compliance.domain.report.Component;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.ReportSink;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SbomParserTest {

  private static final ReportContext IMAGE =
      new ReportContext(null, null, "registry.local/app:1.4");

  private final SbomParser parser = new SbomParser();

  @Test
  void syftJsonGivesOneComponentPerArtifact() throws Exception {
    CollectingSink sink = parse(Fixtures.open("syft/alpine.syft.json"), ReportContext.none());

    assertThat(sink.components).hasSize(14);
    assertThat(sink.components.get(0))
        .isEqualTo(
            new Component(
                "alpine@sha256:b95359c2505145f16c6aa384f9cc74eeff78eb36d308ca4fd902eeeb0a0b161b",
                "alpine-baselayout",
                "3.2.0-r23",
                "apk",
                "pkg:apk/alpine/alpine-baselayout@3.2.0-r23?arch=x86_64&upstream=alpine-baselayout"
                    + "&distro=alpine-3.16.3"));
    assertThat(sink.components.get(13).name()).isEqualTo("zlib");
    assertThat(sink.findings).isEmpty();
  }

  @Test
  void syftJsonComponentsComeFromTheScannedImageWhenTheScanNamesIt() throws Exception {
    CollectingSink named = parse(Fixtures.open("syft/TestImageEncoder.syft.json"), IMAGE);
    CollectingSink unnamed =
        parse(Fixtures.open("syft/TestImageEncoder.syft.json"), ReportContext.none());

    assertThat(named.components)
        .containsExactly(
            new Component("registry.local/app:1.4", "package-1", "1.0.1", "python", "a-purl-1"),
            new Component(
                "registry.local/app:1.4",
                "package-2",
                "2.0.1",
                "deb",
                "pkg:deb/debian/package-2@2.0.1"));
    assertThat(unnamed.components).extracting(Component::source).containsOnly("user-image-input");
  }

  @Test
  void spdxJsonGivesItsPackagesButNotTheImageItDescribes() throws Exception {
    CollectingSink sink =
        parse(Fixtures.open("syft/TestSPDXJSONImageEncoder.spdx.json"), ReportContext.none());

    assertThat(sink.components)
        .containsExactly(
            new Component("user-image-input", "package-1", "1.0.1", null, "a-purl-1"),
            new Component(
                "user-image-input", "package-2", "2.0.1", "deb", "pkg:deb/debian/package-2@2.0.1"));
  }

  @Test
  void spdxJsonFromAnImageGivesPackageTypesFromTheirPurls() throws Exception {
    CollectingSink sink =
        parse(Fixtures.open("syft/alpine-3.10.syft.spdx.json"), ReportContext.none());

    assertThat(sink.components)
        .extracting(Component::name, Component::version, Component::type, Component::source)
        .containsExactly(
            tuple("busybox", "1.30.1-r5", "apk", "alpine-3.10"),
            tuple("libssl1.1", "1.1.1k-r0", "apk", "alpine-3.10"),
            tuple("ssl_client", "1.30.1-r5", "apk", "alpine-3.10"));
  }

  @Test
  void cycloneDx17FromSyftIsReadWithoutValidation() throws Exception {
    CollectingSink sink =
        parse(Fixtures.open("syft/TestCycloneDxImageEncoder.cdx.json"), ReportContext.none());

    assertThat(sink.components)
        .extracting(Component::name, Component::version, Component::type, Component::source)
        .containsExactly(
            tuple("package-1", "1.0.1", "python", "user-image-input"),
            tuple("package-2", "2.0.1", "deb", "user-image-input"),
            tuple("debian", "1.2.3", "operating-system", "user-image-input"));
    assertThat(sink.component("package-2").purl()).isEqualTo("pkg:deb/debian/package-2@2.0.1");
  }

  @Test
  void cycloneDx15WithoutSyftPropertiesTakesTheTypeFromThePurl() throws Exception {
    CollectingSink sink =
        parse(Fixtures.open("syft/image-sbom-metadata-component.cdx.json"), IMAGE);

    assertThat(sink.components)
        .containsExactly(
            new Component(
                "registry.local/app:1.4",
                "first-subcomponent",
                "2.3.4",
                "maven",
                "pkg:maven/org.example/first-subcomponent@2.3.4"));
  }

  @Test
  void cycloneDxFromGrypeGivesItsComponents() throws Exception {
    CollectingSink sink =
        parse(Fixtures.open("grype/TestCycloneDxPresenterImage.cdx.json"), ReportContext.none());

    assertThat(sink.components)
        .extracting(Component::name, Component::type, Component::source)
        .containsExactly(
            tuple("package-1", "rpm", "user-input"), tuple("package-2", "deb", "user-input"));
  }

  @Test
  void aDeclaredFormatIsAccepted() throws Exception {
    CollectingSink sink = new CollectingSink();

    parser.parse(
        Fixtures.open("syft/TestCycloneDxImageEncoder.cdx.json"),
        "cyclonedx-json@1.7",
        IMAGE,
        sink);

    assertThat(sink.components).hasSize(3);
  }

  @Test
  void aFormatGivenAsTheEnumIsAccepted() throws Exception {
    CollectingSink sink = new CollectingSink();

    parser.parse(
        Fixtures.open("syft/alpine-3.10.syft.spdx.json"), SbomFormat.SPDX_JSON, IMAGE, sink);

    assertThat(sink.components)
        .extracting(Component::source)
        .containsOnly("registry.local/app:1.4");
    assertThat(SbomFormat.fromId("CycloneDX-JSON@1.6")).contains(SbomFormat.CYCLONEDX_JSON);
    assertThat(SbomFormat.fromId("github-json")).isEmpty();
  }

  @Test
  void aDocumentInAnotherFormatThanDeclaredIsRejected() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    Fixtures.open("syft/alpine.syft.json"),
                    "spdx-json",
                    IMAGE,
                    new CollectingSink()))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the SBOM was sent as spdx-json but reads as syft-json");
  }

  @Test
  void aFormatThisServiceDoesNotReadIsRejected() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    Fixtures.open("syft/alpine.syft.json"),
                    "github-json",
                    IMAGE,
                    new CollectingSink()))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith("the SBOM is in github-json, which this service does not read");
  }

  @Test
  void aDocumentOfNoKnownFormatIsRejected() {
    assertThatThrownBy(() -> parse(json("{\"version\":1,\"packages\":[]}"), IMAGE))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith("the SBOM is not in a format this service recognises");
  }

  @Test
  void invalidJsonIsRejected() {
    assertThatThrownBy(() -> parse(json("{\"artifacts\":[{\"name\":}]}"), IMAGE))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith("the SBOM is not valid JSON: ");
  }

  @Test
  void aCycloneDxDocumentTheLibraryCannotReadIsRejectedWithItsReason() {
    assertThatThrownBy(
            () ->
                parse(
                    json(
                        "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
                            + "\"components\":[{\"type\":\"no-such-type\",\"name\":\"x\"}]}"),
                    IMAGE))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith("the SBOM could not be read as CycloneDX JSON: ");
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    CollectingSink sink =
        parse(
            json(
                """
                {"artifacts":[{"name":"openssl","version":"3.0.2","type":"deb",
                   "newField":{"nested":[1,2,3]},"purl":"pkg:deb/ubuntu/openssl@3.0.2"},
                  {"version":"no-name-is-skipped"}],
                 "source":{"id":"x","name":"ubuntu:22.04","type":"image","whatever":true},
                 "schema":{"version":"16.0.0"}}
                """),
            ReportContext.none());

    assertThat(sink.components)
        .containsExactly(
            new Component(
                "ubuntu:22.04", "openssl", "3.0.2", "deb", "pkg:deb/ubuntu/openssl@3.0.2"));
  }

  @Test
  void aLargeSyftSbomIsStreamed() throws Exception {
    GeneratedReport sbom =
        new GeneratedReport(
            "{\"artifacts\":[",
            i ->
                "{\"id\":\""
                    + i
                    + "\",\"name\":\"pkg-"
                    + i
                    + "\",\"version\":\"1.0."
                    + i
                    + "\",\"type\":\"java-archive\",\"foundBy\":\"java-archive-cataloger\","
                    + "\"locations\":[{\"path\":\"/app/lib/pkg-"
                    + i
                    + ".jar\"}],\"purl\":\"pkg:maven/org.example/pkg-"
                    + i
                    + "@1.0."
                    + i
                    + "\",\"metadata\":{\"virtualPath\":\"/app/lib/pkg-"
                    + i
                    + ".jar\",\"manifest\":{\"main\":[{\"key\":\"Created-By\",\"value\":\"Maven\"}]}}}",
            20_000,
            "],\"source\":{\"name\":\"big\"}}");
    AtomicLong readAtFirst = new AtomicLong(-1);
    AtomicLong count = new AtomicLong();
    SbomParser streaming = new SbomParser();

    streaming.parse(
        sbom,
        IMAGE,
        new ReportSink() {
          @Override
          public void finding(Finding finding) {}

          @Override
          public void component(Component component) {
            readAtFirst.compareAndSet(-1, sbom.produced());
            count.incrementAndGet();
          }
        });

    assertThat(count).hasValue(20_000);
    assertThat(sbom.produced()).isGreaterThan(5_000_000);
    assertThat(readAtFirst.get()).isLessThan(sbom.produced() / 20);
  }

  @Test
  void anSbomLargerThanTheLimitIsRejected() {
    SbomParser small = new SbomParser(new ReportLimits(1 << 20, 1L << 30, 10));

    assertThatThrownBy(
            () ->
                small.parse(
                    GeneratedReport.endless("{\"artifacts\":[", " "), IMAGE, new CollectingSink()))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the SBOM is larger than 1 MiB");
  }

  private CollectingSink parse(InputStream in, ReportContext ctx) throws ReportRejected {
    CollectingSink sink = new CollectingSink();
    parser.parse(in, ctx, sink);
    return sink;
  }
}
