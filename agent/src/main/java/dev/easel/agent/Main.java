package dev.easel.agent;

import dev.easel.agent.inventory.LinuxInventory;
import dev.easel.agent.run.NodeAgent;
import dev.easel.agent.run.StateDir;
import dev.easel.agent.server.ApiException;
import dev.easel.agent.server.ServerApi;
import dev.easel.agent.simulate.FailStep;
import dev.easel.agent.simulate.LatencyWindow;
import dev.easel.agent.simulate.Simulator;
import dev.easel.agent.simulate.StepKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.SerializationFeature;

/** {@code easel-agent inventory | run | simulate}. A usage error exits 2, a refused token 3. */
public final class Main {

  static final String USAGE =
      """
      usage: easel-agent <command> [options]

        inventory [--root DIR]
              Print this machine's inventory as JSON, read from /proc, /sys and /etc.
        run --server URL --token-file PATH [--state-dir DIR] [--ca-cert PATH] [--insecure-http]
              Register this machine, heartbeat, and run the plans node-discovery hands it.
              The credential is kept in the state dir (default /var/lib/easel-agent), 0600.
        simulate --server URL --token-file PATH --nodes N [--state-dir DIR]
                 [--step-latency 200ms..2s | KIND=LATENCY,...] [--failure-rate 0.05]
                 [--fail-step STEP[@HOSTNAME],...] [--heartbeat-interval 10s]
                 [--plans true|false] [--velero-duration 4s] [--machine KIND]
                 [--ca-cert PATH] [--insecure-http]
              Run N simulated machines in this process against the real service.
              --machine makes every machine one kind (vsphere-vm, r650, dl360, nuc, ...)
              rather than the usual mix, in which three of eight fail preflight.
              --step-latency takes one range for every step, or a latency per kind of step:
              install, join, apply (layer-*), health (check-nodes), kubeconfig
              (fetch-kubeconfig), reset (reset-*), and default (any other step, a range),
              as in install=2s,join=1s,apply=500ms,health=100ms,default=50ms..200ms.
              --fail-step fails every step with that id, or only on the node with that
              host name (its simulated one, or the one its cluster config gives it).
              --velero-duration is how long a simulated Velero backup or restore runs
              (0 ends it at once).

        The registration token comes from --token-file, else the EASEL_TOKEN variable. (--token
        still works, but shows in the process list to anyone on the machine.) The server is
        https, trusting the JDK's CAs and any in --ca-cert; plain http needs --insecure-http.
        version
      """;

  private Main() {}

  public static void main(String[] argv) {
    exitWithParent(Long.getLong("easel.parent-pid"));
    System.exit(run(argv));
  }

  /**
   * Started by the devstack, the agent ends with it, even when the devstack is killed outright and
   * cannot stop its children: nothing of a stopped devstack may keep running.
   */
  static void exitWithParent(Long parentPid) {
    if (parentPid == null) {
      return;
    }
    ProcessHandle.of(parentPid)
        .filter(ProcessHandle::isAlive)
        .ifPresentOrElse(
            parent ->
                parent
                    .onExit()
                    .thenRun(
                        () ->
                            // Exits from a thread of its own: System.exit waits for the shutdown
                            // hooks, which must not wait on the thread that called it.
                            Daemons.named("easel-agent-exit")
                                .newThread(
                                    () -> {
                                      System.err.println(
                                          "easel-agent: parent " + parentPid + " is gone");
                                      System.exit(0);
                                    })
                                .start()),
            () -> System.exit(0));
  }

  static int run(String[] argv) {
    if (argv.length == 0 || Set.of("-h", "--help", "help").contains(argv[0])) {
      System.out.print(USAGE);
      return argv.length == 0 ? 2 : 0;
    }
    try {
      Map<String, String> opts = options(argv);
      switch (argv[0]) {
        case "inventory":
          allow(opts, "root");
          System.out.println(
              Json.MAPPER
                  .writer()
                  .with(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(
                      new LinuxInventory(Path.of(opts.getOrDefault("root", "/")), version())
                          .read()));
          return 0;
        case "run":
          allow(
              opts,
              "server",
              "token",
              "token-file",
              "state-dir",
              "root",
              "ca-cert",
              "insecure-http");
          return runAgent(opts);
        case "simulate":
          allow(
              opts,
              "server",
              "token",
              "token-file",
              "ca-cert",
              "insecure-http",
              "nodes",
              "state-dir",
              "step-latency",
              "failure-rate",
              "fail-step",
              "heartbeat-interval",
              "plans",
              "register-concurrency",
              "velero-duration",
              "machine");
          return simulate(opts);
        case "version":
          System.out.println(version());
          return 0;
        default:
          throw new UsageError("unknown command '" + argv[0] + "'");
      }
    } catch (UsageError e) {
      System.err.println("easel-agent: " + e.getMessage());
      System.err.print(USAGE);
      return 2;
    } catch (ApiException e) {
      System.err.println("easel-agent: the server refused: " + e.getMessage());
      return 3;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } catch (Exception e) {
      System.err.println("easel-agent: " + e.getMessage());
      return 1;
    }
  }

  private static int runAgent(Map<String, String> opts) throws Exception {
    String server = server(opts);
    String token = token(opts, System.getenv("EASEL_TOKEN"));
    javax.net.ssl.SSLContext tls = tls(opts);
    StateDir state = new StateDir(Path.of(opts.getOrDefault("state-dir", "/var/lib/easel-agent")));
    LinuxInventory inventory =
        new LinuxInventory(Path.of(opts.getOrDefault("root", "/")), version());
    ServerApi api =
        new ServerApi(
            withTls(HttpClient.newBuilder(), tls).connectTimeout(Duration.ofSeconds(5)).build(),
            server);
    NodeAgent agent = new NodeAgent(api, token, state, inventory::read);
    Thread main = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  try {
                    main.join(5_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    NodeAgent.Identity me = agent.start();
    System.out.println("node " + me.nodeId() + " is up against " + server);
    agent.runPlans();
    return 0;
  }

  private static int simulate(Map<String, String> opts) throws Exception {
    String server = server(opts);
    int nodes = intOption(opts, "nodes", -1);
    if (nodes < 1 || nodes > 100_000) {
      throw new UsageError("--nodes takes 1 to 100000");
    }
    double failureRate = doubleOption(opts, "failure-rate", 0.05);
    if (failureRate < 0 || failureRate > 1) {
      throw new UsageError("--failure-rate takes 0 to 1");
    }
    StepLatency latency = stepLatency(opts.getOrDefault("step-latency", "200ms..2s"));
    List<FailStep> failing =
        opts.containsKey("fail-step") ? failSteps(opts.get("fail-step")) : List.of();
    LatencyWindow window = new LatencyWindow();
    Simulator sim;
    try {
      sim =
          new Simulator(
              new Simulator.Options(
                  server,
                  token(opts, System.getenv("EASEL_TOKEN")),
                  nodes,
                  new StateDir(Path.of(opts.getOrDefault("state-dir", ".easel/simulated-agent"))),
                  latency.min(),
                  latency.max(),
                  latency.perKind(),
                  failureRate,
                  failing,
                  opts.containsKey("heartbeat-interval")
                      ? duration(opts.get("heartbeat-interval"))
                      : null,
                  Boolean.parseBoolean(opts.getOrDefault("plans", "true")),
                  intOption(opts, "register-concurrency", 32),
                  tls(opts),
                  opts.containsKey("velero-duration")
                      ? duration(opts.get("velero-duration"))
                      : null),
              window,
              opts.get("machine"));
    } catch (IllegalArgumentException e) {
      // An unknown --machine: say which, as for any other option.
      throw new UsageError(e.getMessage());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
    sim.runUntilStopped(window);
    return 0;
  }

  // ---- options -------------------------------------------------------------------------------

  static final class UsageError extends RuntimeException {
    UsageError(String message) {
      super(message);
    }
  }

  /** Options that take no value. */
  private static final Set<String> FLAGS = Set.of("insecure-http");

  static Map<String, String> options(String[] argv) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 1; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--") || a.length() == 2) {
        throw new UsageError("unexpected argument '" + a + "'");
      }
      if (FLAGS.contains(a.substring(2))) {
        out.put(a.substring(2), "true");
        continue;
      }
      int eq = a.indexOf('=');
      if (eq > 0) {
        out.put(a.substring(2, eq), a.substring(eq + 1));
      } else if (i + 1 < argv.length) {
        out.put(a.substring(2), argv[++i]);
      } else {
        throw new UsageError("option " + a + " needs a value");
      }
    }
    return out;
  }

  private static void allow(Map<String, String> opts, String... names) {
    List<String> known = List.of(names);
    for (String k : opts.keySet()) {
      if (!known.contains(k)) {
        throw new UsageError("unknown option --" + k);
      }
    }
  }

  private static String required(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null || v.isBlank()) {
      throw new UsageError("--" + name + " is required");
    }
    return v;
  }

  /** The https URL of node-discovery; plain http only when asked for by name. */
  static String server(Map<String, String> opts) {
    String s = required(opts, "server");
    URI u;
    try {
      u = URI.create(s);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new UsageError("--server needs an https URL, not '" + s + "'");
    }
    if ("http".equals(u.getScheme()) && !opts.containsKey("insecure-http")) {
      throw new UsageError(
          "--server "
              + s
              + " is plain http: the token and the node's credential would cross the network"
              + " readable by anyone on it. Use https, or add --insecure-http to accept that");
    }
    return s;
  }

  /**
   * The registration token: from {@code --token-file}, else {@code EASEL_TOKEN}, else (with a
   * warning) {@code --token}, which anyone on the machine can read in {@code /proc/PID/cmdline}.
   */
  static String token(Map<String, String> opts, String environment) {
    String file = opts.get("token-file");
    if (file != null) {
      try {
        String t = java.nio.file.Files.readString(Path.of(file)).trim();
        if (t.isEmpty()) {
          throw new UsageError("--token-file " + file + " is empty");
        }
        return t;
      } catch (java.io.IOException e) {
        throw new UsageError("--token-file " + file + " cannot be read: " + e.getMessage());
      }
    }
    if (environment != null && !environment.isBlank()) {
      return environment.trim();
    }
    String t = opts.get("token");
    if (t != null && !t.isBlank()) {
      System.err.println(
          "easel-agent: warning: --token shows in the process list; use --token-file PATH"
              + " (mode 0600) or the EASEL_TOKEN variable");
      return t;
    }
    throw new UsageError("a registration token is required: --token-file PATH or EASEL_TOKEN");
  }

  private static javax.net.ssl.SSLContext tls(Map<String, String> opts) {
    String ca = opts.get("ca-cert");
    if (ca == null) {
      return null;
    }
    try {
      return dev.easel.agent.server.Tls.trusting(Path.of(ca));
    } catch (IllegalArgumentException e) {
      throw new UsageError("--ca-cert: " + e.getMessage());
    }
  }

  private static HttpClient.Builder withTls(HttpClient.Builder b, javax.net.ssl.SSLContext tls) {
    return tls == null ? b : b.sslContext(tls);
  }

  private static int intOption(Map<String, String> opts, String name, int otherwise) {
    String v = opts.get(name);
    if (v == null) {
      return otherwise;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageError("--" + name + " takes a whole number, not '" + v + "'");
    }
  }

  private static double doubleOption(Map<String, String> opts, String name, double otherwise) {
    String v = opts.get(name);
    if (v == null) {
      return otherwise;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new UsageError("--" + name + " takes a number, not '" + v + "'");
    }
  }

  /** {@code 200ms..2s}, or one duration for a fixed latency. */
  static Duration[] range(String text) {
    String[] parts = text.split("\\.\\.", -1);
    if (parts.length > 2) {
      throw new UsageError("a range reads MIN..MAX, like 200ms..2s");
    }
    Duration min = duration(parts[0]);
    Duration max = parts.length == 2 ? duration(parts[1]) : min;
    if (max.compareTo(min) < 0) {
      throw new UsageError("in '" + text + "' the maximum is below the minimum");
    }
    return new Duration[] {min, max};
  }

  /**
   * What {@code --step-latency} says.
   *
   * @param min with {@code max}, the range of a step whose kind has no latency of its own
   * @param perKind a fixed latency per kind of step
   */
  record StepLatency(Duration min, Duration max, Map<StepKind, Duration> perKind) {}

  /**
   * {@code 200ms..2s} for every step, or {@code install=2s,join=1s,default=50ms..200ms}: a latency
   * per kind, where {@code default} (a range, also given bare) covers the kinds not named.
   */
  static StepLatency stepLatency(String text) {
    Duration[] fallback = null;
    Map<StepKind, Duration> perKind = new EnumMap<>(StepKind.class);
    for (String raw : text.split(",", -1)) {
      String part = raw.trim();
      try {
        if (part.isEmpty()) {
          throw new UsageError("it is empty");
        }
        int eq = part.indexOf('=');
        String name = eq < 0 ? StepKind.DEFAULT.key() : part.substring(0, eq).trim();
        String value = eq < 0 ? part : part.substring(eq + 1).trim();
        StepKind kind =
            StepKind.byKey(name)
                .orElseThrow(
                    () ->
                        new UsageError(
                            "'"
                                + name
                                + "' is no kind of step; the kinds are "
                                + Arrays.stream(StepKind.values())
                                    .map(StepKind::key)
                                    .collect(Collectors.joining(", "))));
        if (kind == StepKind.DEFAULT) {
          if (fallback != null) {
            throw new UsageError("default is given twice");
          }
          fallback = range(value);
        } else {
          if (value.contains("..")) {
            throw new UsageError("only default takes a range; " + name + " takes one latency");
          }
          if (perKind.put(kind, duration(value)) != null) {
            throw new UsageError(name + " is given twice");
          }
        }
      } catch (UsageError e) {
        throw new UsageError("--step-latency: in '" + part + "': " + e.getMessage());
      }
    }
    if (fallback == null) {
      fallback = range("200ms..2s");
    }
    return new StepLatency(fallback[0], fallback[1], Map.copyOf(perKind));
  }

  /** {@code install,layer-cni@edge-2}: steps to fail everywhere, or on one host. */
  static List<FailStep> failSteps(String text) {
    List<FailStep> out = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String part = raw.trim();
      int at = part.indexOf('@');
      String id = at < 0 ? part : part.substring(0, at).trim();
      String host = at < 0 ? null : part.substring(at + 1).trim();
      if (id.isEmpty()
          || id.contains(" ")
          || (host != null && (host.isEmpty() || host.contains("@") || host.contains(" ")))) {
        throw new UsageError(
            "--fail-step: '"
                + part
                + "' is not STEP or STEP@HOSTNAME, like install or join@edge-2");
      }
      out.add(new FailStep(id, host));
    }
    return out;
  }

  /** {@code 250ms}, {@code 10s}, {@code 2m}. */
  static Duration duration(String text) {
    String t = text.trim();
    if (t.startsWith("-")) {
      throw new UsageError("'" + text + "' is negative; a duration is 0 or more");
    }
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(
            (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
      }
    } catch (NumberFormatException e) {
      // falls through to the error
    }
    throw new UsageError("'" + text + "' is not a duration like 250ms, 10s or 2m");
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
