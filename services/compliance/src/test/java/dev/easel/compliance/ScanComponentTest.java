package dev.easel.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.agent.run.StateDir;
import dev.easel.agent.server.ServerApi;
import dev.easel.agent.simulate.SimulatedNode;
import dev.easel.agent.simulate.SimulatedOutputs;
import dev.easel.agent.simulate.SimulatedTools;
import dev.easel.agent.simulate.Simulator;
import dev.easel.compliance.support.Packs;
import dev.easel.compliance.support.RunningCompliance;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.compliance.FeatureEnabled;
import dev.easel.contracts.compliance.ScanCancelled;
import dev.easel.contracts.compliance.ScanCompleted;
import dev.easel.contracts.compliance.ScanFailed;
import dev.easel.contracts.compliance.ScanProgressed;
import dev.easel.testing.EventStream;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.ReceivedEvent;
import dev.easel.testing.RunningNodeDiscovery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Scans for real: compliance in this JVM, the real node-discovery (its jar, as its own process) on
 * the shared broker and PostgreSQL, and simulated agents that run the scans' plans over HTTP and
 * upload the tools' reports in their real formats. pack-manager's and cluster-former's events are
 * sent as they send them. Each scenario has a cluster of its own, of three fresh nodes.
 */
class ScanComponentTest {

  private static final String HINT = "compliance_scans";
  private static final Duration WAIT = Duration.ofSeconds(90);

  private static RunningNodeDiscovery discovery;
  private static RunningCompliance compliance;
  private static Simulator fleet;
  private static EventStream events;
  private static List<UUID> free;
  private static Path artifacts;

  /** Per node, what its tools leave instead of the usual reports: the hostile cases. */
  private static final Map<UUID, SimulatedOutputs> HOSTILE = new ConcurrentHashMap<>();

  private static final SimulatedTools TOOLS = new SimulatedTools();

  /** A conformance run that goes on until it is cancelled, on the node {@link #slow}. */
  private static final SimulatedTools SLOW = TOOLS.conformanceReads(1_000_000);

  private static volatile UUID slow;

  @BeforeAll
  static void start() throws Exception {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(3, "easel.nodes.events", "easel.nodes.commands", "easel.nodes.replies");
    artifacts = Files.createTempDirectory("easel-artifacts");
    discovery =
        RunningNodeDiscovery.start(
            "compliance_nodes",
            List.of(
                "--easel.nodes.artifacts.dir=" + artifacts,
                "--easel.nodes.artifacts.max-size=8MB"));
    compliance = RunningCompliance.start(HINT, "easel.nodes.events", Map.of());
    events = EventStream.watch(ContractRegistry.withShipped(List.of()), "easel.compliance.events");
    compliance.sendPackEvent(Packs.PROFILE, Packs.profile("1.0.0", "1.32.3"));
    compliance.sendPackEvent("r", Packs.added(Packs.THIRD_PARTY, "1.0.0"));
    compliance.sendPackEvent("r", Packs.added(Packs.CONFORMANCE, "1.0.0"));
    SimulatedOutputs outputs =
        new SimulatedOutputs() {
          @Override
          public void write(Path file, ServerApi.Step step, SimulatedNode node) throws IOException {
            HOSTILE.getOrDefault(node.nodeId(), TOOLS).write(file, step, node);
          }

          @Override
          public Exit ran(ServerApi.Step step, SimulatedNode node) {
            return (node.nodeId().equals(slow) ? SLOW : TOOLS).ran(step, node);
          }
        };
    fleet =
        new Simulator(
            new Simulator.Options(
                discovery.base,
                discovery.registrationToken(),
                27,
                new StateDir(Files.createTempDirectory("easel-sim")),
                Duration.ofMillis(5),
                Duration.ofMillis(20),
                Map.of(),
                0.0,
                List.of(),
                Duration.ofSeconds(1),
                true,
                8,
                null),
            nanos -> {},
            null,
            outputs);
    fleet.registerAll();
    fleet.startHeartbeats(Duration.ofSeconds(1));
    fleet.startPlans();
    free = new ArrayList<>(fleet.nodeIds());
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {fleet, events, compliance, discovery}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** A running cluster of three fresh nodes, with the feature enabled (its install plan run). */
  private static synchronized Cluster cluster(String name, String feature) throws Exception {
    List<UUID> nodes = new ArrayList<>(free.subList(0, 3));
    free.subList(0, 3).clear();
    UUID id = UUID.randomUUID();
    compliance.sendClusterEvent(id, Packs.running(id, name, "1.0.0", nodes));
    String features = "/api/v1/clusters/" + id + "/compliance/features";
    Awaitility.await(name + " known, " + feature + " available")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              HttpResponse<String> r = compliance.call("GET", features, null);
              return r.statusCode() == 200
                  && find(compliance.json(r), feature).get("available").asBoolean();
            });
    HttpResponse<String> put = compliance.call("PUT", features + "/" + feature, null);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
    events
        .andWaitForEventOfType(FeatureEnabled.class)
        .matching(e -> e.clusterId().equals(id) && e.feature().equals(feature))
        .within(WAIT)
        .toArrive();
    return new Cluster(id, nodes);
  }

  record Cluster(UUID id, List<UUID> nodes) {}

  private static JsonNode find(JsonNode features, String feature) {
    for (JsonNode f : features.get("features")) {
      if (f.get("feature").asString().equals(feature)) {
        return f;
      }
    }
    throw new AssertionError("no feature " + feature);
  }

  private static UUID scan(Cluster c, String body) throws Exception {
    HttpResponse<String> r = compliance.call("POST", "/api/v1/clusters/" + c.id() + "/scans", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return UUID.fromString(compliance.json(r).get("id").asString());
  }

  private static JsonNode awaitState(UUID scan, String state) {
    JsonNode[] last = new JsonNode[1];
    Awaitility.await("scan " + scan + " " + state)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last[0] = compliance.json(compliance.call("GET", "/api/v1/scans/" + scan, null));
              return !last[0].get("state").asString().equals("Initiated")
                      && !last[0].get("state").asString().equals("InProgress")
                  || last[0].get("state").asString().equals(state);
            });
    assertThat(last[0].get("state").asString()).as(last[0].toString()).isEqualTo(state);
    return last[0];
  }

  private static JsonNode report(UUID scan, String query) throws Exception {
    HttpResponse<String> r =
        compliance.call("GET", "/api/v1/scans/" + scan + "/report" + query, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return compliance.json(r);
  }

  @Test
  void aConfigurationScanRunsKubeBenchOnEveryNodeByRoleAndGivesAReportInJsonCsvAndPdf()
      throws Exception {
    Cluster c = cluster("config", "configuration-security");
    UUID id = scan(c, "{\"kind\":\"configuration\"}");
    JsonNode done = awaitState(id, "Completed");
    // Simulated kube-bench: the control-plane node runs master, etcd, controlplane and policies
    // (1 fail, 3 warn, 2 pass); each worker runs node (3 pass).
    JsonNode summary = done.get("summary");
    assertThat(summary.get("pass").asLong()).isEqualTo(2 + 3 + 3);
    assertThat(summary.get("fail").asLong()).isEqualTo(1);
    assertThat(summary.get("warn").asLong()).isEqualTo(3);

    JsonNode cp = report(id, "?role=control-plane");
    assertThat(cp.get("findings")).hasSize(6);
    JsonNode failures = report(id, "?status=fail");
    assertThat(failures.get("findings")).hasSize(1);
    assertThat(failures.get("findings").get(0).get("id").asString()).isEqualTo("1.2.16");
    assertThat(failures.get("findings").get(0).get("node").asString()).isEqualTo("config-0");
    JsonNode worker = report(id, "?node=config-2");
    assertThat(worker.get("findings")).hasSize(3);
    assertThat(worker.get("findings").get(0).get("role").asString()).isEqualTo("worker");

    // The plan ran kube-bench with the targets of each role and the benchmark of 1.32.
    JsonNode plan = discovery.plan("scan-" + id + "-" + c.nodes().get(0));
    assertThat(plan.toString())
        .contains("--targets master,controlplane,etcd,policies --benchmark cis-1.12");
    assertThat(discovery.plan("scan-" + id + "-" + c.nodes().get(1)).toString())
        .contains("--targets node --benchmark cis-1.12");

    HttpResponse<byte[]> csv = compliance.download("/api/v1/scans/" + id + "/report?format=csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    List<CSVRecord> rows =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .get()
            .parse(new StringReader(new String(csv.body(), StandardCharsets.UTF_8)))
            .getRecords();
    assertThat(rows).hasSize(12);
    assertThat(rows)
        .anyMatch(r -> r.get("rule").equals("1.2.16") && r.get("status").equals("FAIL"));

    HttpResponse<byte[]> pdf = compliance.download("/api/v1/scans/" + id + "/report?format=pdf");
    assertThat(pdf.statusCode()).isEqualTo(200);
    try (PDDocument doc = Loader.loadPDF(pdf.body())) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("config").contains(id.toString()).contains("1.2.16");
    }
  }

  @Test
  void aPenetrationScanRunsKubeHunterInBothModesOnTheInitNode() throws Exception {
    Cluster c = cluster("pen", "penetration-testing");
    UUID id = scan(c, "{\"kind\":\"penetration\"}");
    JsonNode done = awaitState(id, "Completed");
    assertThat(done.get("summary").get("high").asLong()).isEqualTo(2);
    assertThat(done.get("summary").get("medium").asLong()).isEqualTo(1);
    JsonNode high = report(id, "?severity=high");
    assertThat(high.get("findings")).hasSize(2);
    List<String> scopes = new ArrayList<>();
    for (JsonNode f : high.get("findings")) {
      scopes.add(f.get("scope").asString());
      assertThat(f.get("id").asString()).isEqualTo("KHV002");
      assertThat(f.get("reference").asString())
          .isEqualTo("https://avd.aquasec.com/kube-hunter/khv002/");
    }
    assertThat(scopes).containsExactlyInAnyOrder("internal", "external");
  }

  @Test
  void anSbomScanListsEachImagesComponentsAndVulnerabilitiesAndDownloadsItsSbom() throws Exception {
    Cluster c = cluster("sbom", "sbom");
    UUID id = scan(c, "{\"kind\":\"sbom\",\"options\":{\"format\":\"cyclonedx-json\"}}");
    JsonNode done = awaitState(id, "Completed");
    // Three images; two matches each (a Medium and a High); seven components in all.
    assertThat(done.get("summary").get("high").asLong()).isEqualTo(3);
    assertThat(done.get("summary").get("medium").asLong()).isEqualTo(3);
    assertThat(done.get("summary").get("components").asLong()).isEqualTo(7);
    JsonNode high = report(id, "?severity=high");
    JsonNode first = high.get("findings").get(0);
    assertThat(first.get("id").asString()).isEqualTo("CVE-2024-45338");
    assertThat(first.get("package").get("name").asString()).isEqualTo("golang.org/x/net");
    assertThat(first.get("package").get("fixedIn").get(0).asString()).isEqualTo("0.33.0");

    JsonNode images =
        compliance.json(compliance.call("GET", "/api/v1/scans/" + id + "/sbom", null));
    assertThat(images.get("format").asString()).isEqualTo("cyclonedx-json");
    assertThat(images.get("images")).hasSize(3);
    String image = images.get("images").get(1).asString();
    HttpResponse<byte[]> sbom =
        compliance.download(
            "/api/v1/scans/"
                + id
                + "/sbom?image="
                + URLEncoder.encode(image, StandardCharsets.UTF_8));
    assertThat(sbom.statusCode()).isEqualTo(200);
    JsonNode bom = RunningCompliance.JSON.readTree(sbom.body());
    assertThat(bom.get("bomFormat").asString()).isEqualTo("CycloneDX");
    assertThat(bom.get("metadata").get("component").get("name").asString()).isEqualTo(image);
    assertThat(
            compliance
                .call("GET", "/api/v1/scans/" + id + "/sbom?image=docker.io/none:1", null)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void aConformanceScanPublishesSonobuoysProgressLiveAndCountsTheResults() throws Exception {
    Cluster c = cluster("conf", "conformance");
    UUID id = scan(c, "{\"kind\":\"conformance\",\"options\":{\"mode\":\"quick\"}}");
    JsonNode done = awaitState(id, "Completed");
    List<ReceivedEvent<ScanProgressed>> progress =
        events.receivedOfType(ScanProgressed.class).stream()
            .filter(e -> e.payload().scanId().equals(id))
            .toList();
    assertThat(progress).extracting(e -> e.payload().completed()).contains(4L, 8L, 12L);
    assertThat(progress).allMatch(e -> e.payload().total() == 12);
    assertThat(done.get("summary").get("pass").asLong()).isEqualTo(11);
    assertThat(done.get("summary").get("skipped").asLong()).isEqualTo(1);
    assertThat(done.get("progress").get("completed").asLong()).isEqualTo(12);
  }

  @Test
  void aConformanceScanCancelledWhileItRunsStopsAndRemovesSonobuoy() throws Exception {
    Cluster c = cluster("cancel", "conformance");
    slow = c.nodes().get(0);
    UUID id = scan(c, "{\"kind\":\"conformance\"}");
    events
        .andWaitForEventOfType(ScanProgressed.class)
        .matching(e -> e.scanId().equals(id))
        .within(WAIT)
        .toArrive();
    HttpResponse<String> cancel = compliance.call("POST", "/api/v1/scans/" + id + "/cancel", null);
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
    events
        .andWaitForEventOfType(ScanCancelled.class)
        .matching(e -> e.scanId().equals(id))
        .within(WAIT)
        .toArrive();
    Awaitility.await("sonobuoy removed")
        .atMost(WAIT)
        .until(
            () -> {
              JsonNode plan = discovery.plan("scan-" + id + "-" + c.nodes().get(0) + "-abort");
              return plan != null && plan.get("state").asString().equals("COMPLETED");
            });
    events
        .andWaitForEventOfType(ScanCompleted.class)
        .matching(e -> e.scanId().equals(id))
        .toNotArriveWithin(Duration.ofSeconds(2));
    assertThat(
            compliance
                .json(compliance.call("GET", "/api/v1/scans/" + id, null))
                .get("state")
                .asString())
        .isEqualTo("Cancelled");
  }

  @Test
  void twoRunsCompareByNewAndFixedFindings() throws Exception {
    Cluster c = cluster("compare", "configuration-security");
    UUID first = scan(c, "{\"kind\":\"configuration\"}");
    awaitState(first, "Completed");
    HOSTILE.put(c.nodes().get(0), TOOLS.worse());
    HOSTILE.put(c.nodes().get(1), TOOLS.worse());
    UUID second;
    try {
      second = scan(c, "{\"kind\":\"configuration\"}");
      awaitState(second, "Completed");
    } finally {
      HOSTILE.remove(c.nodes().get(0));
      HOSTILE.remove(c.nodes().get(1));
    }
    JsonNode diff =
        compliance.json(compliance.call("GET", "/api/v1/scans/" + second + "/compare", null));
    assertThat(diff.get("baseline").get("id").asString()).isEqualTo(first.toString());
    assertThat(diff.get("newCount").asLong()).isEqualTo(2);
    List<String> rules = new ArrayList<>();
    for (JsonNode f : diff.get("new")) {
      rules.add(f.get("id").asString());
    }
    assertThat(rules).containsExactlyInAnyOrder("1.2.17", "4.2.6");
    assertThat(diff.get("fixedCount").asLong()).isZero();
    JsonNode back =
        compliance.json(
            compliance.call("GET", "/api/v1/scans/" + first + "/compare?with=" + second, null));
    assertThat(back.get("fixedCount").asLong()).isEqualTo(2);

    JsonNode history =
        compliance.json(
            compliance.call(
                "GET", "/api/v1/clusters/" + c.id() + "/scans?kind=configuration", null));
    assertThat(history.get("scans")).hasSize(2);
    assertThat(history.get("scans").get(0).get("id").asString()).isEqualTo(second.toString());
  }

  @Test
  void hostileReportsFailTheScanWithAClearReasonAndNeverTheService() throws Exception {
    Cluster c = cluster("hostile", "configuration-security");
    record Case(String what, SimulatedOutputs writes, String reason) {}
    List<Case> cases =
        List.of(
            new Case(
                "invalid JSON",
                (file, step, node) -> Files.writeString(file, "{\"Controls\": [ {\"id\": "),
                "not valid JSON"),
            new Case(
                "too large for the agent channel",
                (file, step, node) -> {
                  try (OutputStream out = Files.newOutputStream(file)) {
                    byte[] chunk = new byte[1 << 20];
                    for (int i = 0; i < 9; i++) {
                      out.write(chunk);
                    }
                  }
                },
                "413"),
            new Case(
                "nested past any sense",
                (file, step, node) -> Files.writeString(file, "[".repeat(5000) + "]".repeat(5000)),
                "deep"));
    for (Case k : cases) {
      HOSTILE.put(c.nodes().get(2), k.writes());
      try {
        UUID id = scan(c, "{\"kind\":\"configuration\"}");
        JsonNode failed = awaitState(id, "Failed");
        assertThat(failed.get("reason").asString()).as(k.what()).containsIgnoringCase(k.reason());
        assertThat(failed.get("reason").asString()).contains("hostile-2");
        events
            .andWaitForEventOfType(ScanFailed.class)
            .matching(e -> e.scanId().equals(id))
            .within(WAIT)
            .toArrive();
      } finally {
        HOSTILE.remove(c.nodes().get(2));
      }
    }
    assertThat(compliance.call("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void anSbomArchiveThatEscapesOrAConformanceTarballWithExternalEntitiesIsRefused()
      throws Exception {
    Cluster c = cluster("escape", "sbom");
    HOSTILE.put(
        c.nodes().get(0),
        (file, step, node) -> {
          if (file.getFileName().toString().equals("sbom.tar")) {
            Files.write(file, tar("index.tsv", "1.json\timage\n", "../../etc/evil.json", "{}"));
          } else {
            TOOLS.write(file, step, node);
          }
        });
    try {
      UUID id = scan(c, "{\"kind\":\"sbom\"}");
      JsonNode failed = awaitState(id, "Failed");
      assertThat(failed.get("reason").asString()).contains("sbom.tar").contains("evil");
    } finally {
      HOSTILE.remove(c.nodes().get(0));
    }
  }

  @Test
  void aScheduledRunMissedWhileTheServiceWasDownRunsOnceAfterItsRestart() throws Exception {
    Cluster c = cluster("missed", "configuration-security");
    String schedule = "/api/v1/clusters/" + c.id() + "/scan-schedules/configuration";
    HttpResponse<String> put =
        compliance.call(
            "PUT",
            schedule,
            "{\"preset\":\"custom\",\"cron\":\"0 3 * * *\",\"timeZone\":\"Europe/Paris\"}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    Instant next = Instant.parse(compliance.json(put).get("nextRunAt").asString());
    assertThat(next).isAfter(Instant.now());

    // Down for three days: three 03:00 runs missed.
    var db = compliance.db;
    compliance.close();
    compliance = null;
    int moved =
        new JdbcTemplate(db.dataSource())
            .update(
                "UPDATE scheduled_tasks SET execution_time = now() - interval '3 days'"
                    + " WHERE task_instance LIKE ?",
                c.id() + "%");
    assertThat(moved).isEqualTo(1);
    compliance = RunningCompliance.start(HINT, "easel.nodes.events", db, Map.of());

    String history = "/api/v1/clusters/" + c.id() + "/scans?kind=configuration";
    Awaitility.await("the missed run")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> compliance.json(compliance.call("GET", history, null)).get("scans").size() == 1);
    JsonNode run = compliance.json(compliance.call("GET", history, null)).get("scans").get(0);
    assertThat(run.get("trigger").asString()).isEqualTo("scheduled");
    awaitState(UUID.fromString(run.get("id").asString()), "Completed");
    // Once, not once per missed slot; and the next run is in the future again.
    Awaitility.await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> compliance.json(compliance.call("GET", history, null)).get("scans").size() == 1);
    Instant after =
        Instant.parse(
            compliance.json(compliance.call("GET", schedule, null)).get("nextRunAt").asString());
    assertThat(after).isAfter(Instant.now());
  }

  private static byte[] tar(String... namesAndContents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(namesAndContents[i], true);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
