package dev.easel.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real Kafka broker and one real PostgreSQL server per test JVM.
 *
 * <p>With a Docker engine they are Testcontainers ({@code apache/kafka}, {@code postgres:17});
 * without one, an in-JVM KRaft broker from spring-kafka-test and zonky's embedded PostgreSQL 17.
 * {@code -Deasel.testing.mode=embedded} or {@code =containers} forces a choice. Each test class
 * takes a fresh database from {@link #newDatabase}.
 */
public final class Infrastructure {

  private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static volatile Infrastructure instance;

  private final String mode;
  private final String bootstrapServers;
  private final String postgresBaseUrl;
  private final String pgUser;
  private final String pgPassword;

  private Infrastructure(
      String mode, String bootstrapServers, String postgresBaseUrl, String user, String password) {
    this.mode = mode;
    this.bootstrapServers = bootstrapServers;
    this.postgresBaseUrl = postgresBaseUrl;
    this.pgUser = user;
    this.pgPassword = password;
  }

  /** The shared infrastructure, started on first use. */
  public static Infrastructure get() {
    Infrastructure i = instance;
    if (i == null) {
      synchronized (Infrastructure.class) {
        i = instance;
        if (i == null) {
          i = start();
          instance = i;
        }
      }
    }
    return i;
  }

  private static Infrastructure start() {
    String forced = System.getProperty("easel.testing.mode", "auto");
    boolean docker = !"embedded".equals(forced) && dockerAvailable();
    if ("containers".equals(forced) && !docker) {
      throw new IllegalStateException("easel.testing.mode=containers but no Docker engine answers");
    }
    long t0 = System.nanoTime();
    Infrastructure i = docker ? startContainers() : startEmbedded();
    log.info(
        "test infrastructure ({}) ready in {} ms: kafka {}",
        i.mode,
        (System.nanoTime() - t0) / 1_000_000,
        i.bootstrapServers);
    return i;
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static Infrastructure startContainers() {
    KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.1");
    PostgreSQLContainer pg =
        new PostgreSQLContainer("postgres:17")
            .withCommand(
                "postgres", "-c", "max_connections=300", "-c", "track_commit_timestamp=on");
    kafka.start();
    pg.start();
    String base = "jdbc:postgresql://" + pg.getHost() + ":" + pg.getMappedPort(5432) + "/";
    return new Infrastructure(
        "testcontainers", kafka.getBootstrapServers(), base, pg.getUsername(), pg.getPassword());
  }

  private static Infrastructure startEmbedded() {
    EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
    kafka.brokerProperties(
        Map.of(
            "auto.create.topics.enable", "true",
            "group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "5"));
    kafka.afterPropertiesSet();
    // Tests need speed, not durability: the server is thrown away with the JVM.
    Map<String, String> settings = new java.util.HashMap<>(PostgresServer.THROWAWAY);
    // Lets ordering tests compare the order rows were written with the order they committed.
    settings.put("track_commit_timestamp", "on");
    PostgresServer pg = PostgresServer.start(null, 0, settings);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.destroy();
                  pg.close();
                },
                "easel-test-infrastructure-stop"));
    return new Infrastructure(
        "embedded",
        kafka.getBrokersAsString(),
        "jdbc:postgresql://127.0.0.1:" + pg.port() + "/",
        pg.username(),
        pg.password());
  }

  public String mode() {
    return mode;
  }

  public String kafkaBootstrapServers() {
    return bootstrapServers;
  }

  /** A new, empty database; the hint makes it recognisable in logs. */
  public TestDatabase newDatabase(String hint) {
    String clean = hint.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
    String name = "t" + DATABASES.incrementAndGet() + "_" + clean;
    if (name.length() > 50) {
      name = name.substring(0, 50);
    }
    try (Connection c =
            DriverManager.getConnection(postgresBaseUrl + "postgres", pgUser, pgPassword);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name, e);
    }
    return new TestDatabase(name, postgresBaseUrl + name, pgUser, pgPassword);
  }

  /** Creates topics with the given partition count; existing ones are left alone. */
  public void createTopics(int partitions, String... topics) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(p)) {
      List<NewTopic> requested =
          java.util.Arrays.stream(topics).map(t -> new NewTopic(t, partitions, (short) 1)).toList();
      for (var entry : admin.createTopics(requested).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("could not create topic " + entry.getKey(), e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("topic creation timed out", e);
    }
  }

  /** A fresh directory under the build's target folder. */
  public static Path tempDir(String hint) {
    try {
      Path base = Path.of("target", "easel-test");
      Files.createDirectories(base);
      return Files.createTempDirectory(base, hint);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
