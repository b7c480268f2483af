package dev.easel.packs.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The packs the appliance ships, read from the module's resources as the catalogue would. */
class AppliancePacksTest {

  private static final Path PACKS = Path.of("src/main/resources/packs");

  private static final List<String> APPLIANCE =
      List.of(
          "kairos-ubuntu-22.4.0",
          "pxk-e-1.32.3",
          "cni-calico-3.29.2",
          "csi-piraeus-2.8.1",
          "zot-0.1.67");

  private static List<Path> packDirectories() throws IOException {
    try (Stream<Path> dirs = Files.list(PACKS)) {
      return dirs.filter(d -> Files.exists(d.resolve("pack.json"))).sorted().toList();
    }
  }

  private static InMemoryCatalogue catalogue() throws IOException {
    InMemoryCatalogue catalogue = new InMemoryCatalogue();
    for (Path dir : packDirectories()) {
      catalogue.addDirectory("appliance", dir);
    }
    return catalogue;
  }

  private static Variable variable(
      String name, String format, boolean required, String defaultValue, boolean sensitive) {
    return new Variable(
        name, name, null, format, required, defaultValue, null, false, false, sensitive, List.of());
  }

  private static ProfileDefinition appliance(String cloudType) {
    return new ProfileDefinition(
        "easel-appliance",
        "The management appliance: Kairos Ubuntu, PXK-E, Calico, Piraeus and Zot",
        "full",
        cloudType,
        "1.0.0",
        List.of(
            ProfileLayer.pack("kairos-ubuntu", "22.4.0"),
            ProfileLayer.pack("pxk-e", "1.32.3"),
            ProfileLayer.pack("cni-calico", "3.29.2"),
            ProfileLayer.pack("csi-piraeus", "2.8.1"),
            ProfileLayer.pack("zot", "0.1.67")),
        List.of(
            variable("pod_cidr", "ipv4cidr", true, "100.64.0.0/18", false),
            variable("service_cidr", "ipv4cidr", true, "100.64.64.0/18", false),
            new Variable(
                "storage_pool_device",
                "Storage pool disk",
                "Whole disk given to the CSI storage pool; it is wiped",
                "string",
                true,
                "/dev/sdb",
                "^/dev/[A-Za-z0-9_-]+$",
                false,
                false,
                false,
                List.of()),
            new Variable(
                "csi_placement_count",
                "Replicas per volume",
                null,
                "number",
                true,
                "1",
                null,
                false,
                false,
                false,
                List.of(
                    new Variable.Option("1", "Single node", null, true),
                    new Variable.Option("3", "High availability", null, false))),
            variable("registry_password", "string", true, null, true)));
  }

  @Test
  void everyShippedPackIsValidAndItsDefaultsMeetItsSchema() throws IOException {
    List<Path> dirs = packDirectories();
    assertThat(dirs).hasSizeGreaterThanOrEqualTo(APPLIANCE.size());
    for (Path dir : dirs) {
      PackManifest manifest =
          InMemoryCatalogue.manifest(Files.readString(dir.resolve("pack.json")));
      assertThat(manifest.problems()).as(dir.toString()).isEmpty();
      assertThat(dir.getFileName().toString())
          .isEqualTo(manifest.name() + "-" + manifest.version());
      JsonNode values = Yaml.parseMapping(Files.readString(dir.resolve("values.yaml")));
      Path schemaFile = dir.resolve("schema.yaml");
      ValuesSchema schema =
          Files.exists(schemaFile)
              ? ValuesSchema.parse(Files.readString(schemaFile))
              : ValuesSchema.EMPTY;
      assertThat(schema.check(values, values, "values")).as(dir.toString()).isEmpty();
      assertThat(Yaml.parseMapping(Yaml.dump(values))).as(dir.toString()).isEqualTo(values);
    }
  }

  @Test
  void theAppliancePacksShareTheEdgeNativeCloudType() throws IOException {
    Set<String> shared = null;
    for (String name : APPLIANCE) {
      PackManifest m =
          InMemoryCatalogue.manifest(Files.readString(PACKS.resolve(name).resolve("pack.json")));
      Set<String> clouds = new HashSet<>(m.cloudTypes());
      if (clouds.contains("all")) {
        continue;
      }
      if (shared == null) {
        shared = clouds;
      } else {
        shared.retainAll(clouds);
      }
    }
    assertThat(shared).contains("edge-native");
  }

  @Test
  void theApplianceProfileIsValid() throws IOException {
    assertThat(ProfileRules.validate(appliance("edge-native"), catalogue())).isEmpty();
  }

  @Test
  void theApplianceProfileResolvesWithItsVariablesFilledIn() throws IOException {
    ProfileResolution.Resolved r =
        ProfileResolution.resolve(
            appliance("edge-native"),
            catalogue(),
            Map.of("registry_password", "Appliance-Registry-1"),
            Map.of("cluster.kubevip", "10.10.0.100", "kubernetes.version", "v1.32.3"),
            true);
    assertThat(r.problems()).isEmpty();
    assertThat(r.layers())
        .extracting(ProfileResolution.ResolvedLayer::layer)
        .containsExactly("os", "k8s", "cni", "csi", "addon");
    JsonNode calico = Yaml.parseMapping(r.layers().get(2).values());
    assertThat(
            calico
                .at("/charts/tigera-operator/installation/calicoNetwork/ipPools/0/cidr")
                .stringValue())
        .isEqualTo("100.64.0.0/18");
    JsonNode pxk = Yaml.parseMapping(r.layers().get(1).values());
    assertThat(pxk.at("/kubevip/address").stringValue()).isEqualTo("10.10.0.100");
    assertThat(pxk.at("/cluster/config").stringValue())
        .contains("podSubnet: '100.64.0.0/18'")
        .contains("controlPlaneEndpoint: \"10.10.0.100:6443\"");
    JsonNode piraeus = Yaml.parseMapping(r.layers().get(3).values());
    assertThat(piraeus.at("/manifests/linstor-cluster/storagePool/hostDevices/0").stringValue())
        .isEqualTo("/dev/sdb");
    assertThat(piraeus.at("/pack/namespaceLabels/piraeus-system").stringValue())
        .contains("{{ .spectro.system.kubernetes.version | substr 0 4 }}");
    JsonNode zot = Yaml.parseMapping(r.layers().get(4).values());
    assertThat(zot.at("/registry/password").stringValue()).isEqualTo("Appliance-Registry-1");
    assertThat(zot.at("/charts/zot/secretFiles/htpasswd").stringValue())
        .isEqualTo("{{ htpasswd \"admin\" .spectro.var.registry_password }}");
    assertThat(r.layers().get(4).charts())
        .containsExactly("https://zotregistry.dev/helm-charts/zot:0.1.67");
    assertThat(r.layers().get(2).images()).hasSize(9);
    assertThat(r.variables()).containsEntry("registry_password", ProfileResolution.MASK);
  }

  @Test
  void theApplianceProfilePublishesWithItsVariablesAsPlaceholders() throws IOException {
    ProfileResolution.Resolved r =
        ProfileResolution.resolve(appliance("edge-native"), catalogue(), Map.of(), Map.of(), false);
    assertThat(r.problems()).isEmpty();
    JsonNode zot = Yaml.parseMapping(r.layers().get(4).values());
    assertThat(zot.at("/registry/password").stringValue())
        .isEqualTo("{{.spectro.var.registry_password}}");
  }
}
