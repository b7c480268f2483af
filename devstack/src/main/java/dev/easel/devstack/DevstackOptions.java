package dev.easel.devstack;

import java.nio.file.Path;

/**
 * Command-line options of {@code ./easel up}.
 *
 * @param root the repository root, where {@code services/} lives
 * @param dataDir where Kafka and PostgreSQL keep their data
 * @param kafkaPort the broker's client port
 * @param postgresPort PostgreSQL's port
 * @param exitAfterStart start, print, then stop again (for smoke tests)
 * @param demoNodes simulated nodes to start with a fresh registration token; 0 for none
 */
public record DevstackOptions(
    Path root,
    Path dataDir,
    int kafkaPort,
    int postgresPort,
    boolean exitAfterStart,
    int demoNodes) {

  static final int DEMO_NODES = 5;

  static final String USAGE =
      "usage: ./easel up [--demo] [--data-dir DIR] [--kafka-port N] [--postgres-port N] [--smoke]";

  static DevstackOptions parse(String[] args) {
    Path root = Path.of(".");
    Path data = null;
    int kafka = 19092;
    int pg = 15432;
    boolean smoke = false;
    int demo = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--root" -> root = Path.of(value(args, ++i, a));
        case "--data-dir" -> data = Path.of(value(args, ++i, a));
        case "--kafka-port" -> kafka = port(value(args, ++i, a), a);
        case "--postgres-port" -> pg = port(value(args, ++i, a), a);
        case "--smoke" -> smoke = true;
        case "--demo" -> demo = DEMO_NODES;
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new DevstackOptions(
        root, data != null ? data : root.resolve(".easel"), kafka, pg, smoke, demo);
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
