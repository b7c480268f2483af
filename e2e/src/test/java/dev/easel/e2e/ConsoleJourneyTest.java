package dev.easel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.testing.ConsoleBrowser;
import dev.easel.testing.PackArchives;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web console in a real, headless Chromium against the whole running system of {@code ./easel
 * up --demo}: the journey a new user makes by hand, each step saved as a screenshot under {@code
 * target/screenshots}, and what a viewer may and may not do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleJourneyTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final Duration LIVE = Duration.ofSeconds(60);
  private static final String PASSWORD = "Journey-Console-2026!";

  private static DemoStack stack;

  @BeforeAll
  // The devstack's first start, when DemoTest has not started it already.
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  static void system() throws Exception {
    Assumptions.assumeTrue(
        DemoStack.possible(),
        "the devstack's internal registry needs zot or Debian's docker-registry");
    Assumptions.assumeTrue(
        ConsoleBrowser.available(),
        "the browser tests need Debian's chromium and chromium-driver (.ci/run installs them)");
    stack = DemoStack.get();
  }

  @Test
  @Order(1)
  // A devstack start (when first), three agents, seven uploads, a formation and a scan.
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aNewAdminFormsAClusterFromTheBrowserAndDownloadsItsScanReport() throws Exception {
    Matcher otp = Pattern.compile("one-time password (\\S+)").matcher(stack.output());
    assertThat(otp.find()).as("the devstack prints the first sign-in").isTrue();
    Process agents = null;
    try (ConsoleBrowser b = ConsoleBrowser.start(SHOTS, 1280, 800)) {
      try {
        // Sign in with the one-time password, and choose one's own at once.
        b.open(stack.base + "/");
        assertThat(b.driver().getCurrentUrl()).endsWith("/login");
        b.type("#username", "admin");
        b.type("#password", otp.group(1));
        b.screenshot("01-sign-in");
        b.find("#sign-in").click();
        b.waitFor(LIVE, d -> d.getCurrentUrl().endsWith("/password"));
        b.type("#currentPassword", otp.group(1));
        b.type("#newPassword", PASSWORD);
        b.type("#repeatPassword", PASSWORD);
        b.find("#change-password").click();
        b.waitForText("main", "Your password is changed", LIVE);
        b.screenshot("02-overview");

        // A registration token, its secret shown once with the agent's command line.
        b.open(stack.base + "/tokens");
        b.type("#token-name", "journey");
        b.type("#token-uses", "3");
        b.type("#token-labels", "journey=console");
        b.find("#create-token").click();
        String secret = b.waitForText("#token-secret", "", LIVE).getText().trim();
        assertThat(b.find("#agent-command").getText())
            .contains("EASEL_TOKEN='" + secret + "'")
            .contains("easel-agent run --server " + stack.base);
        b.screenshot("03-token");

        // Three machines register with it; the open nodes page shows them without a reload.
        b.open(
            stack.base
                + "/nodes?selector="
                + URLEncoder.encode("journey=console", StandardCharsets.UTF_8));
        b.waitForText("main", "No nodes match", LIVE);
        ((JavascriptExecutor) b.driver()).executeScript("window.easelJourney = 'not reloaded';");
        agents = simulate(secret, 3);
        b.waitFor(LIVE, d -> d.findElements(By.cssSelector("#node-rows tbody tr")).size() == 3);
        assertThat(((JavascriptExecutor) b.driver()).executeScript("return window.easelJourney;"))
            .as("the rows came live, not by reloading the page")
            .isEqualTo("not reloaded");
        b.screenshot("04-nodes");
        List<String> journeyNodes = nodeIds("journey=console");
        assertThat(journeyNodes).hasSize(3);

        // The appliance's packs, uploaded through the browser: each is in the registry already, so
        // its blobs are skipped.
        Path packs = Path.of("..", "services", "pack-manager", "src", "main", "resources", "packs");
        Path archives = Files.createTempDirectory("journey-packs-");
        List<Path> dirs;
        try (Stream<Path> s = Files.list(packs)) {
          dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        b.open(stack.base + "/packs/registries");
        for (Path dir : dirs) {
          Path file = archives.resolve(dir.getFileName() + ".tar.gz");
          Files.write(file, PackArchives.tarGz(dir));
          WebElement input = b.find("#bundle-file");
          new Select(b.find("#upload-registry")).selectByVisibleText("internal");
          input.sendKeys(file.toAbsolutePath().toString());
          b.find("#bundle-upload button[type=submit]").click();
          b.waitFor(
              LIVE,
              d -> {
                List<WebElement> s = d.findElements(By.cssSelector("#upload-state"));
                return !s.isEmpty()
                    && s.get(0).getText().matches("(?i).*(completed|succeeded|done).*");
              });
        }
        b.screenshot("05-upload");

        // A new version of the appliance profile, published.
        b.open(stack.base + "/profiles/easel-appliance");
        new Select(b.find("#new-version-from")).selectByValue("1.0.0");
        b.type("#new-version", "1.1.0");
        b.find("#new-version-panel button[type=submit]").click();
        b.waitForText("#profile-state", "DRAFT", LIVE);
        b.clickAndConfirm("#publish");
        b.waitForText("#profile-state", "PUBLISHED", LIVE);
        b.screenshot("06-profile");

        // The create wizard, with the three new machines; then the cluster page, live.
        b.open(stack.base + "/clusters/new");
        b.type("#cluster-name", "journey");
        new Select(b.find("#cluster-profile")).selectByValue("easel-appliance:1.1.0");
        // Choosing the profile brings its variables into step 2.
        b.waitFor(LIVE, d -> !d.findElements(By.cssSelector("#var-registry_password")).isEmpty());
        b.type("#var-registry_password", "journey-registry-password");
        b.type("#storage-pool-device", "/dev/sdb");
        b.type("#registry-username", "admin");
        b.type("#registry-password", "journey-registry-password");
        b.type("#vip", "10.0.255.241");
        if (b.find("#cp-pool-name").getAttribute("value").isBlank()) {
          b.type("#cp-pool-name", "control-plane");
        }
        if (!b.find("#cp-allow-workloads").isSelected()) {
          b.find("#cp-allow-workloads").click();
        }
        // Only the new machines: a label selector narrows the free nodes listed.
        b.type("#node-selector", "journey=console");
        b.waitFor(
            LIVE,
            d ->
                journeyNodes.stream().allMatch(id -> !d.findElements(By.id("node-" + id)).isEmpty())
                    && d.findElements(By.cssSelector("input[name=nodes]")).size() == 3);
        for (String id : journeyNodes) {
          WebElement box = b.driver().findElement(By.id("node-" + id));
          if (!box.isSelected()) {
            box.click();
          }
        }
        // Validation runs as the user types: the review says the request is ready.
        b.waitForText("#review", "No problems: this cluster can be deployed", LIVE);
        b.screenshot("07-wizard");
        b.find("#deploy").click();
        b.waitFor(LIVE, d -> d.getCurrentUrl().matches(".*/clusters/[0-9a-f-]{36}$"));
        String clusterUrl = b.driver().getCurrentUrl();
        String clusterId = clusterUrl.substring(clusterUrl.lastIndexOf('/') + 1);
        b.find("#cluster-progress");
        b.screenshot("08-cluster-forming");
        ((JavascriptExecutor) b.driver()).executeScript("window.easelJourney = 'forming';");
        b.waitForText("#cluster-state", "RUNNING", Duration.ofMinutes(3));
        b.waitForAttribute("#cluster-progress", "value", "100", LIVE);
        assertThat(((JavascriptExecutor) b.driver()).executeScript("return window.easelJourney;"))
            .as("the progress bar moved live")
            .isEqualTo("forming");
        b.screenshot("09-cluster-running");

        // Configuration security, a scan, and its report as CSV.
        b.open(stack.base + "/compliance/" + clusterId);
        b.waitFor(
            LIVE, d -> !d.findElements(By.cssSelector("#enable-configuration-security")).isEmpty());
        b.find("#enable-configuration-security").click();
        b.waitFor(LIVE, d -> !d.findElements(By.cssSelector("#run-configuration")).isEmpty());
        b.find("#run-configuration").click();
        // The part re-renders live, so the link is read, not held.
        String scanPath =
            b.waitFor(
                LIVE,
                d -> {
                  for (WebElement a :
                      d.findElements(By.cssSelector("#compliance-live a[href^='/scans/']"))) {
                    try {
                      return a.getAttribute("href");
                    } catch (org.openqa.selenium.StaleElementReferenceException gone) {
                      return null;
                    }
                  }
                  return null;
                });
        b.open(scanPath);
        b.waitForText("#scan-state", "Completed", Duration.ofMinutes(2));
        // A scan that finished while its page was open offers its report with a link.
        if (b.all("#findings").isEmpty()) {
          b.driver().findElement(By.linkText("Show the report")).click();
        }
        b.waitFor(LIVE, d -> !d.findElements(By.cssSelector("#findings")).isEmpty());
        b.screenshot("10-scan-report");
        b.find("#download-csv").click();
        Path csv = b.download(".csv", LIVE);
        assertThat(Files.readString(csv)).startsWith("node,role,scope,rule,title,status");

        // What the browser did, the API shows: the cluster is RUNNING from the published version.
        b.evidence("12-journey-end");
        JsonNode cluster = get("/api/v1/clusters/" + clusterId);
        assertThat(cluster.path("state").asString()).isEqualTo("RUNNING");
        assertThat(cluster.toString()).contains("1.1.0");
      } catch (RuntimeException | AssertionError e) {
        b.evidence("failed-journey");
        throw e;
      }
    } finally {
      if (agents != null) {
        agents.destroy();
        agents.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @Order(2)
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aViewerSeesNoControlThatChangesAnythingAndAForgedPostChangesNothing() throws Exception {
    HttpResponse<String> made =
        send(
            "POST",
            "/api/v1/users",
            "{\"name\":\"journey-viewer\",\"role\":\"viewer\",\"password\":\"Viewer-Journey-2026!\"}");
    assertThat(made.statusCode()).as(made.body()).isIn(201, 409);
    String mgmt = null;
    for (JsonNode c : get("/api/v1/clusters").path("items")) {
      if (c.path("name").asString().equals("easel-management")) {
        mgmt = c.path("id").asString();
      }
    }
    assertThat(mgmt).isNotNull();
    String scan =
        get("/api/v1/clusters/" + mgmt + "/scans").path("scans").get(0).path("id").asString();
    String node = get("/api/v1/nodes?pageSize=1").path("nodes").get(0).path("id").asString();
    int tokensBefore = get("/api/v1/registration-tokens").path("tokens").size();
    String labelsBefore = get("/api/v1/nodes/" + node).path("labels").toString();

    // At a phone's width.
    try (ConsoleBrowser b = ConsoleBrowser.start(SHOTS, 390, 844)) {
      b.open(stack.base + "/login");
      b.type("#username", "journey-viewer");
      b.type("#password", "Viewer-Journey-2026!");
      b.find("#sign-in").click();
      b.waitFor(LIVE, d -> d.getCurrentUrl().endsWith("/password"));
      b.type("#currentPassword", "Viewer-Journey-2026!");
      b.type("#newPassword", "Viewer-Journey-2027!");
      b.type("#repeatPassword", "Viewer-Journey-2027!");
      b.find("#change-password").click();
      b.waitForText("main", "Your password is changed", LIVE);

      List<String> controls = new ArrayList<>();
      for (String page :
          List.of(
              "/",
              "/nodes",
              "/nodes/" + node,
              "/tokens",
              "/clusters",
              "/clusters/new",
              "/clusters/" + mgmt,
              "/packs",
              "/packs/registries",
              "/profiles",
              "/profiles/easel-appliance",
              "/profiles/easel-appliance/versions/1.0.0",
              "/compliance",
              "/compliance/" + mgmt,
              "/scans/" + scan,
              "/audit")) {
        b.open(stack.base + page);
        assertThat(b.find("main").getText()).as(page).doesNotContain("Whitelabel");
        for (WebElement e :
            b.all(
                "form[method=post]:not([action='/logout']), [hx-post], [hx-put], [hx-patch],"
                    + " [hx-delete], form[data-upload], a[href$='/kubeconfig']")) {
          controls.add(page + ": " + e.getTagName() + " " + e.getText().strip());
        }
      }
      assertThat(controls).as("controls a viewer cannot use").isEmpty();
      b.open(stack.base + "/clusters/" + mgmt);
      b.screenshot("11-viewer-phone");

      // The viewer's own session and CSRF token, posting what an admin's and an operator's
      // pages post: the API refuses both.
      b.open(stack.base + "/nodes/" + node);
      Object tokenPost = post(b, "/tokens", "name=forged&ttlHours=1");
      Object labelPost = post(b, "/nodes/" + node + "/labels", "labels=forged%3Dyes");
      assertThat(tokenPost).isEqualTo(403L);
      assertThat(labelPost).isEqualTo(403L);

      // Another site's form, riding the cookie without the CSRF token: refused before anything.
      HttpResponse<String> forged =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(stack.base + "/tokens"))
                  .header("Cookie", "EASEL_SESSION=" + b.cookie("EASEL_SESSION"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("name=forged&ttlHours=1"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(forged.statusCode()).isEqualTo(403);
    }
    assertThat(get("/api/v1/registration-tokens").path("tokens").size()).isEqualTo(tokensBefore);
    assertThat(get("/api/v1/nodes/" + node).path("labels").toString()).isEqualTo(labelsBefore);
  }

  /** A form post from the page's own script, with the page's CSRF header; answers the status. */
  private static Object post(ConsoleBrowser b, String path, String form) {
    return ((JavascriptExecutor) b.driver())
        .executeAsyncScript(
            "var done = arguments[arguments.length - 1];"
                + "var h = JSON.parse(document.body.getAttribute('hx-headers'));"
                + "h['Content-Type'] = 'application/x-www-form-urlencoded';"
                + "h['HX-Request'] = 'true';"
                + "fetch(arguments[0], {method: 'POST', headers: h, body: arguments[1]})"
                + ".then(function (r) { done(r.status); }, function () { done(-1); });",
            path,
            form);
  }

  private Process simulate(String token, int nodes) throws Exception {
    Path dir = Files.createTempDirectory("journey-agent-");
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, token);
    Files.setPosixFilePermissions(
        tokenFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            JarProcess.jarOf("agent", "easel-agent").toString(),
            "simulate",
            "--server",
            stack.base,
            "--insecure-http",
            "--token-file",
            tokenFile.toString(),
            "--nodes",
            Integer.toString(nodes),
            "--state-dir",
            dir.resolve("state").toString(),
            "--step-latency",
            "install=1s,join=500ms,apply=300ms,default=50ms..150ms",
            "--failure-rate",
            "0",
            // VMs with the second disk the profile's storage pool takes, all passing preflight.
            "--machine",
            "vsphere-vm")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent.log").toFile())
        .start();
  }

  private static List<String> nodeIds(String selector) throws Exception {
    JsonNode page =
        get("/api/v1/nodes?selector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
    List<String> ids = new ArrayList<>();
    for (JsonNode n : page.path("nodes")) {
      ids.add(n.path("id").asString());
    }
    return ids;
  }

  static HttpResponse<String> send(String method, String path, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(stack.base + path))
            .header("Authorization", "Bearer " + stack.apiToken())
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(stack.base + path))
                .header("Authorization", "Bearer " + stack.apiToken())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
