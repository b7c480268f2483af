package dev.easel.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) from the Apache Kafka
 * server classes. Unlike the test-kit broker it can be stopped and started again on the same port
 * and log directory, which outage tests and the devstack both need.
 */
public final class KraftBroker implements AutoCloseable {

  private static final String CLUSTER_ID = "ZWFzZWwtZGV2c3RhY2stMQ";

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final int partitions;
  private KafkaRaftServer server;

  /**
   * @param dataDir where logs and metadata live; kept between starts
   * @param port the client port, or 0 for a free one
   * @param partitions default partition count for auto-created topics
   */
  public KraftBroker(Path dataDir, int port, int partitions) {
    this.dataDir = dataDir;
    this.port = port == 0 ? freePort() : port;
    this.controllerPort = freePort();
    this.partitions = partitions;
  }

  public synchronized KraftBroker start() {
    if (server != null) {
      return this;
    }
    try {
      Files.createDirectories(dataDir);
      KafkaConfig config = KafkaConfig.fromProps(properties());
      if (!Files.exists(dataDir.resolve("meta.properties"))) {
        new Formatter()
            .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
            .setClusterId(CLUSTER_ID)
            .setNodeId(1)
            .setControllerListenerName("CONTROLLER")
            .setMetadataLogDirectory(dataDir.toString())
            .setDirectories(List.of(dataDir.toString()))
            .setReleaseVersion(MetadataVersion.latestProduction())
            .run();
      }
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("the Kafka broker did not start in " + dataDir, e);
    }
  }

  public synchronized void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  public boolean isRunning() {
    return server != null;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    stop();
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dataDir.toString());
    p.put("num.partitions", String.valueOf(partitions));
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
    return p;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
