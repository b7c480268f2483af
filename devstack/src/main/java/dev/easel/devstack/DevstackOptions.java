package dev.easel.devstack;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Command-line options of {@code ./easel up}.
 *
 * @param root the repository root, where {@code services/} lives
 * @param dataDir where Kafka and PostgreSQL keep their data
 * @param kafkaPort the broker's client port
 * @param postgresPort PostgreSQL's port
 * @param s3Port the port of S3Proxy, the devstack's S3-compatible server
 * @param portOffset added to every service's port, so that a second stack (a test's, say) can run
 *     beside the first
 * @param exitAfterStart start, print, then stop again (for smoke tests)
 * @param demoNodes simulated nodes to start with a fresh registration token; 0 for none
 * @param only the services to run, or empty for every one that is built
 */
public record DevstackOptions(
    Path root,
    Path dataDir,
    int kafkaPort,
    int postgresPort,
    int s3Port,
    int portOffset,
    boolean exitAfterStart,
    int demoNodes,
    Set<String> only) {

  static final int DEMO_NODES = 10;
  static final int KAFKA_PORT = 19092;
  static final int POSTGRES_PORT = 15432;
  static final int REGISTRY_PORT = 15000;
  static final int S3_PORT = 19000;

  static final String USAGE =
      "usage: ./easel up [--demo] [--data-dir DIR] [--kafka-port N] [--postgres-port N]"
          + " [--s3-port N] [--port-offset N] [--services a,b] [--smoke]";

  public DevstackOptions {
    only = Set.copyOf(only);
  }

  static DevstackOptions parse(String[] args) {
    Path root = Path.of(".");
    Path data = null;
    Integer kafka = null;
    Integer pg = null;
    Integer s3 = null;
    int offset = 0;
    boolean smoke = false;
    int demo = 0;
    Set<String> only = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--root" -> root = Path.of(value(args, ++i, a));
        case "--data-dir" -> data = Path.of(value(args, ++i, a));
        case "--kafka-port" -> kafka = port(value(args, ++i, a), a);
        case "--postgres-port" -> pg = port(value(args, ++i, a), a);
        case "--s3-port" -> s3 = port(value(args, ++i, a), a);
        case "--port-offset" -> offset = offset(value(args, ++i, a), a);
        case "--services" -> only.addAll(services(value(args, ++i, a), a));
        case "--smoke" -> smoke = true;
        case "--demo" -> demo = DEMO_NODES;
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new DevstackOptions(
        root,
        data != null ? data : root.resolve(".easel"),
        kafka != null ? kafka : KAFKA_PORT + offset,
        pg != null ? pg : POSTGRES_PORT + offset,
        s3 != null ? s3 : S3_PORT + offset,
        offset,
        smoke,
        demo,
        only);
  }

  /** The internal registry's port: 15000, moved by the offset. */
  int registryPort() {
    return REGISTRY_PORT + portOffset;
  }

  /** The port a service listens on under these options. */
  int portOf(ServiceSpec spec) {
    return spec.port() + portOffset;
  }

  private static int offset(String v, String option) {
    try {
      int n = Integer.parseInt(v);
      if (n < 0 || n > 40000) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " takes 0 to 40000, not '" + v + "'");
    }
  }

  private static Set<String> services(String v, String option) {
    Set<String> names = new LinkedHashSet<>();
    for (String name : v.split(",")) {
      String n = name.trim();
      if (Devstack.SERVICES.stream().noneMatch(s -> s.name().equals(n))) {
        throw new IllegalArgumentException(
            option
                + " takes names from "
                + Devstack.SERVICES.stream().map(ServiceSpec::name).toList()
                + ", not '"
                + n
                + "'");
      }
      names.add(n);
    }
    return names;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int port(String v, String option) {
    try {
      int p = Integer.parseInt(v);
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " takes a port between 1 and 65535, not '" + v + "'");
    }
  }
}
