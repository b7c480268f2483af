package dev.easel.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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

class DevstackTest {

  @TempDir Path root;

  @Test
  void aSecondRunKeepsTheDataOfTheFirst() throws Exception {
    int kafkaPort = freePort();
    int pgPort = freePort();
    DevstackOptions options =
        new DevstackOptions(root, root.resolve(".easel"), kafkaPort, pgPort, 0, true, 0, Set.of());

    Devstack first = new Devstack(options);
    first.start();
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
        new Devstack(new DevstackOptions(root, root.resolve(".easel"), 1, 1, 0, true, 0, Set.of()));
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
              root, root.resolve(".easel"), squatter.getLocalPort(), 1, 0, true, 0, Set.of());
      assertThatThrownBy(() -> new Devstack(options).start())
          .hasMessageContaining("port " + squatter.getLocalPort() + " (for kafka) is taken by")
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
      assertThat(root.resolve(".easel/postgres")).doesNotExist();
    }
  }

  @Test
  void refusesABadPortWithAClearMessage() {
    assertThatThrownBy(() -> DevstackOptions.parse(new String[] {"--kafka-port", "http"}))
        .hasMessage("--kafka-port takes a port between 1 and 65535, not 'http'");
    assertThatThrownBy(() -> DevstackOptions.parse(new String[] {"--bogus"}))
        .hasMessage("unknown option --bogus");
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
