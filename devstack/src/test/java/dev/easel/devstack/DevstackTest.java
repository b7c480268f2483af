package dev.easel.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class DevstackTest {

  @TempDir Path root;

  @Test
  void aSecondRunKeepsTheDataOfTheFirst() throws Exception {
    int kafkaPort = freePort();
    int pgPort = freePort();
    int s3Port = freePort();
    withS3ProxyJar();
    DevstackOptions options =
        new DevstackOptions(
            root, root.resolve(".easel"), kafkaPort, pgPort, s3Port, 0, true, 0, Set.of());
    Path secret = root.resolve(".easel/secrets/s3-secret");

    Devstack first = new Devstack(options);
    first.start();
    assertThat(Files.getPosixFilePermissions(secret))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String secretOfTheFirst = Files.readString(secret).trim();
    try (S3Client s3 = s3(s3Port, secretOfTheFirst)) {
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("velero");
      s3.putObject(
          b -> b.bucket("velero").key("easel/kept.txt"), RequestBody.fromString("first run"));
    }
    try (Connection c = connect(pgPort, "easel_nodes");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (v text)");
      s.execute("INSERT INTO kept VALUES ('from the first run')");
    }
    try (Admin admin = admin(kafkaPort)) {
      admin
          .createTopics(java.util.List.of(new NewTopic("easel.kept.events", 3, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    first.stop();

    Devstack second = new Devstack(options);
    second.start();
    try {
      assertThat(Files.readString(secret).trim()).isEqualTo(secretOfTheFirst);
      try (S3Client s3 = s3(s3Port, secretOfTheFirst)) {
        assertThat(
                s3.getObjectAsBytes(b -> b.bucket("velero").key("easel/kept.txt")).asUtf8String())
            .isEqualTo("first run");
      }
      try (Connection c = connect(pgPort, "easel_nodes");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("from the first run");
      }
      try (Admin admin = admin(kafkaPort)) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .contains("easel.kept.events");
      }
      for (ServiceSpec spec : Devstack.SERVICES) {
        try (Connection c = connect(pgPort, spec.database())) {
          assertThat(c.isValid(5)).as(spec.database()).isTrue();
        }
      }
    } finally {
      second.stop();
    }
    assertThat(Files.isDirectory(root.resolve(".easel/postgres"))).isTrue();
  }

  @Test
  void startsOnlyServicesBuiltAsExecutableJars() throws Exception {
    Path target = root.resolve("services/audit/target");
    Files.createDirectories(target);
    jar(target.resolve("easel-audit-0.1.0-SNAPSHOT.jar"), "dev.easel.audit.AuditApplication");
    Path library = root.resolve("services/gateway/target");
    Files.createDirectories(library);
    jar(library.resolve("easel-gateway-0.1.0-SNAPSHOT.jar"), null);
    Devstack stack =
        new Devstack(
            new DevstackOptions(root, root.resolve(".easel"), 1, 1, 1, 0, true, 0, Set.of()));
    assertThat(stack.presentServices().keySet())
        .extracting(ServiceSpec::name)
        .containsExactly("audit");
  }

  @Test
  void demoAsksForFiveSimulatedNodes() {
    assertThat(DevstackOptions.parse(new String[] {"--demo"}).demoNodes()).isEqualTo(10);
    assertThat(DevstackOptions.parse(new String[] {}).demoNodes()).isZero();
  }

  @Test
  void aPortOffsetMovesEveryPortAndServicesNarrowsWhatRuns() {
    DevstackOptions o =
        DevstackOptions.parse(
            new String[] {"--port-offset", "100", "--services", "node-discovery"});
    assertThat(o.kafkaPort()).isEqualTo(19192);
    assertThat(o.postgresPort()).isEqualTo(15532);
    assertThat(o.s3Port()).isEqualTo(19100);
    assertThat(o.registryPort()).isEqualTo(15100);
    assertThat(o.portOf(Devstack.SERVICES.get(0))).isEqualTo(8181);
    assertThat(o.only()).containsExactly("node-discovery");
    assertThatThrownBy(() -> DevstackOptions.parse(new String[] {"--services", "nodes"}))
        .hasMessageContaining("not 'nodes'");
  }

  @Test
  void refusesToStartOverATakenPortAndNamesTheProcessThatHoldsIt() throws Exception {
    try (java.net.ServerSocket squatter = new java.net.ServerSocket(0)) {
      DevstackOptions options =
          new DevstackOptions(
              root, root.resolve(".easel"), squatter.getLocalPort(), 1, 1, 0, true, 0, Set.of());
      assertThatThrownBy(() -> new Devstack(options).start())
          .hasMessageContaining("port " + squatter.getLocalPort() + " (for kafka) is taken by")
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
      assertThat(root.resolve(".easel/postgres")).doesNotExist();
    }
  }

  @Test
  void refusesToStartOverATakenS3PortWhenS3ProxyIsBuilt() throws Exception {
    withS3ProxyJar();
    try (java.net.ServerSocket squatter = new java.net.ServerSocket(0)) {
      DevstackOptions options =
          new DevstackOptions(
              root,
              root.resolve(".easel"),
              freePort(),
              freePort(),
              squatter.getLocalPort(),
              0,
              true,
              0,
              Set.of());
      assertThatThrownBy(() -> new Devstack(options).start())
          .hasMessageContaining("port " + squatter.getLocalPort() + " (for s3proxy) is taken by");
      assertThat(root.resolve(".easel/postgres")).doesNotExist();
    }
  }

  @Test
  void anS3PortOfItsOwnWinsOverTheOffset() {
    DevstackOptions o =
        DevstackOptions.parse(new String[] {"--port-offset", "100", "--s3-port", "29000"});
    assertThat(o.s3Port()).isEqualTo(29000);
    assertThat(DevstackOptions.parse(new String[] {}).s3Port()).isEqualTo(19000);
  }

  @Test
  void refusesABadPortWithAClearMessage() {
    assertThatThrownBy(() -> DevstackOptions.parse(new String[] {"--kafka-port", "http"}))
        .hasMessage("--kafka-port takes a port between 1 and 65535, not 'http'");
    assertThatThrownBy(() -> DevstackOptions.parse(new String[] {"--bogus"}))
        .hasMessage("unknown option --bogus");
  }

  /**
   * S3Proxy's jar where devstack's build copies it, under this test's root: the one in the local
   * repository that the root pom's surefire configuration names.
   */
  private void withS3ProxyJar() throws Exception {
    Path jar = root.resolve(LocalObjectStore.JAR);
    Files.createDirectories(jar.getParent());
    Files.createSymbolicLink(jar, Path.of(System.getProperty("easel.s3proxy.jar")));
  }

  private static S3Client s3(int port, String secret) {
    return LocalObjectStore.client("http://127.0.0.1:" + port, secret);
  }

  private static void jar(Path path, String startClass) throws Exception {
    java.util.jar.Manifest m = new java.util.jar.Manifest();
    m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    if (startClass != null) {
      m.getMainAttributes().putValue("Start-Class", startClass);
    }
    try (java.util.jar.JarOutputStream out =
        new java.util.jar.JarOutputStream(Files.newOutputStream(path), m)) {
      out.flush();
    }
  }

  private static Connection connect(int port, String db) throws Exception {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + db, "postgres", "postgres");
  }

  private static Admin admin(int port) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
    return Admin.create(p);
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
