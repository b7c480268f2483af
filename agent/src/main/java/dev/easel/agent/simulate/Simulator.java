package dev.easel.agent.simulate;

import dev.easel.agent.Daemons;
import dev.easel.agent.Log;
import dev.easel.agent.run.StateDir;
import dev.easel.agent.server.ApiException;
import dev.easel.agent.server.ArtifactFile;
import dev.easel.agent.server.ServerApi;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * N simulated nodes in one process, over real HTTP against the real service: they register with
 * stable identities, heartbeat, long-poll for plans and run them with injected latency and
 * failures. All calls are asynchronous, so a few threads carry thousands of nodes.
 */
public final class Simulator implements AutoCloseable {

  static final String STATE_FILE = "simulated-nodes.json";

  /**
   * @param stepLatencyMin with {@code stepLatencyMax}, the range a step's latency is drawn from
   *     when its kind has none in {@code stepLatencies}
   * @param stepLatencies a fixed latency per kind of step; kinds not in it take the range
   * @param failureRate the chance that any step fails
   * @param failSteps steps that always fail, on every node or on one
   * @param heartbeatInterval null to use what the server says at registration
   * @param veleroDuration how long a backup or restore takes the Velero of the simulator's own
   *     {@link SimulatedTools}; zero completes it at once, null is {@link
   *     SimulatedTools#VELERO_DURATION}. Outputs given to the simulator set their own ({@link
   *     SimulatedTools#veleroDuration}).
   */
  public record Options(
      String server,
      String token,
      int nodes,
      StateDir state,
      Duration stepLatencyMin,
      Duration stepLatencyMax,
      Map<StepKind, Duration> stepLatencies,
      double failureRate,
      List<FailStep> failSteps,
      Duration heartbeatInterval,
      boolean plans,
      int registerConcurrency,
      javax.net.ssl.SSLContext tls,
      Duration veleroDuration) {

    public Options {
      stepLatencies = stepLatencies == null ? Map.of() : Map.copyOf(stepLatencies);
      failSteps = failSteps == null ? List.of() : List.copyOf(failSteps);
      veleroDuration = veleroDuration == null ? SimulatedTools.VELERO_DURATION : veleroDuration;
      if (veleroDuration.isNegative()) {
        throw new IllegalArgumentException("a Velero backup cannot take " + veleroDuration);
      }
    }

    /** Velero's backups and restores take {@link SimulatedTools#VELERO_DURATION}. */
    public Options(
        String server,
        String token,
        int nodes,
        StateDir state,
        Duration stepLatencyMin,
        Duration stepLatencyMax,
        Map<StepKind, Duration> stepLatencies,
        double failureRate,
        List<FailStep> failSteps,
        Duration heartbeatInterval,
        boolean plans,
        int registerConcurrency,
        javax.net.ssl.SSLContext tls) {
      this(
          server,
          token,
          nodes,
          state,
          stepLatencyMin,
          stepLatencyMax,
          stepLatencies,
          failureRate,
          failSteps,
          heartbeatInterval,
          plans,
          registerConcurrency,
          tls,
          null);
    }

    /** Every step takes {@code stepLatencyMin..stepLatencyMax}, and none fails on purpose. */
    public Options(
        String server,
        String token,
        int nodes,
        StateDir state,
        Duration stepLatencyMin,
        Duration stepLatencyMax,
        double failureRate,
        Duration heartbeatInterval,
        boolean plans,
        int registerConcurrency,
        javax.net.ssl.SSLContext tls) {
      this(
          server,
          token,
          nodes,
          state,
          stepLatencyMin,
          stepLatencyMax,
          Map.of(),
          failureRate,
          List.of(),
          heartbeatInterval,
          plans,
          registerConcurrency,
          tls);
    }

    /** These options with a fixed latency for some kinds of step. */
    public Options withStepLatencies(Map<StepKind, Duration> latencies) {
      return new Options(
          server,
          token,
          nodes,
          state,
          stepLatencyMin,
          stepLatencyMax,
          latencies,
          failureRate,
          failSteps,
          heartbeatInterval,
          plans,
          registerConcurrency,
          tls,
          veleroDuration);
    }

    /** These options with steps that always fail. */
    public Options withFailSteps(List<FailStep> failing) {
      return new Options(
          server,
          token,
          nodes,
          state,
          stepLatencyMin,
          stepLatencyMax,
          stepLatencies,
          failureRate,
          failing,
          heartbeatInterval,
          plans,
          registerConcurrency,
          tls,
          veleroDuration);
    }

    /**
     * These options with Velero's backups and restores taking {@code duration}; zero is at once.
     */
    public Options withVeleroDuration(Duration duration) {
      return new Options(
          server,
          token,
          nodes,
          state,
          stepLatencyMin,
          stepLatencyMax,
          stepLatencies,
          failureRate,
          failSteps,
          heartbeatInterval,
          plans,
          registerConcurrency,
          tls,
          duration);
    }

    /** How long a step of this kind takes: its fixed latency, else a draw from the range. */
    long latencyMillis(StepKind kind, java.util.random.RandomGenerator random) {
      Duration fixed = stepLatencies.get(kind);
      if (fixed != null) {
        return fixed.toMillis();
      }
      long min = stepLatencyMin.toMillis();
      long max = Math.max(min, stepLatencyMax.toMillis());
      return min + (max > min ? random.nextLong(max - min + 1) : 0);
    }
  }

  /** What the state file holds. */
  record Saved(String server, List<SimulatedNode.Identity> nodes) {}

  public final LongAdder heartbeatsOk = new LongAdder();
  public final LongAdder heartbeatsFailed = new LongAdder();
  public final LongAdder registrations = new LongAdder();
  public final LongAdder stepsSucceeded = new LongAdder();
  public final LongAdder stepsFailed = new LongAdder();
  public final LongAdder artifactsUploaded = new LongAdder();

  private final Options options;
  private final String machines;
  private final LongConsumer heartbeatLatencyNanos;
  private final ExecutorService httpThreads;
  private final ServerApi api;
  private final ScheduledExecutorService timers;
  private final List<SimulatedNode> nodes = new ArrayList<>();
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final SimulatedCluster cluster = SimulatedCluster.SHARED;
  private final SimulatedSteps steps;
  private final SimulatedOutputs outputs;
  private static final int MAX_IN_FLIGHT = 128;
  private static final int MAX_BACKLOG = 100_000;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final java.util.concurrent.atomic.AtomicInteger backlogSize =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.ConcurrentLinkedQueue<Due> backlog =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile int serverHeartbeatSeconds = 10;
  private volatile boolean closed;

  public Simulator(Options options, LongConsumer heartbeatLatencyNanos) {
    this(options, heartbeatLatencyNanos, null);
  }

  /**
   * @param machines the one kind of machine every new node is (such as {@code vsphere-vm}), or null
   *     for the usual mixed fleet, some of which fail preflight. Succeeded steps leave what the
   *     compliance tools would, and Velero acts on the simulated clusters ({@link SimulatedTools}).
   */
  public Simulator(Options options, LongConsumer heartbeatLatencyNanos, String machines) {
    this(
        options,
        heartbeatLatencyNanos,
        machines,
        new SimulatedTools().veleroDuration(options.veleroDuration()));
  }

  /**
   * @param machines as above
   * @param outputs what succeeded steps write to the files they declared as artifacts, which are
   *     then uploaded
   */
  public Simulator(
      Options options,
      LongConsumer heartbeatLatencyNanos,
      String machines,
      SimulatedOutputs outputs) {
    this.outputs = outputs;
    if (machines != null && Profiles.ALL.stream().noneMatch(p -> p.key().equals(machines))) {
      throw new IllegalArgumentException("no simulated machine is called " + machines);
    }
    this.machines = machines;
    this.options = options;
    this.heartbeatLatencyNanos = heartbeatLatencyNanos;
    this.httpThreads = Executors.newFixedThreadPool(4, Daemons.named("easel-sim-http"));
    this.api =
        new ServerApi(
            withTls(HttpClient.newBuilder(), options.tls())
                .executor(httpThreads)
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build(),
            options.server());
    this.timers = Executors.newScheduledThreadPool(2, Daemons.named("easel-sim-timer"));
    this.steps =
        new SimulatedSteps(cluster, new FailureInjection(options.failSteps()), new Random());
    load();
    timers.scheduleWithFixedDelay(this::saveIfDirty, 2, 2, TimeUnit.SECONDS);
  }

  private static HttpClient.Builder withTls(HttpClient.Builder b, javax.net.ssl.SSLContext tls) {
    return tls == null ? b : b.sslContext(tls);
  }

  public int size() {
    return nodes.size();
  }

  /** The node ids of the registered nodes, in fleet order. */
  public List<UUID> nodeIds() {
    List<UUID> ids = new ArrayList<>();
    for (SimulatedNode n : nodes) {
      if (n.identity.nodeId() != null) {
        ids.add(n.identity.nodeId());
      }
    }
    return ids;
  }

  /**
   * Registers every node that has no credential yet, {@code registerConcurrency} at a time, and
   * answers how long it took. Nodes from an earlier run keep their ids and credentials.
   */
  public Duration registerAll() throws InterruptedException {
    long started = System.nanoTime();
    Semaphore inFlight = new Semaphore(options.registerConcurrency());
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (SimulatedNode n : nodes) {
      if (n.identity.credential() != null) {
        continue;
      }
      inFlight.acquire();
      all.add(registerWithRetry(n, 0).whenComplete((v, e) -> inFlight.release()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    saveIfDirty();
    return took;
  }

  private CompletableFuture<Void> registerWithRetry(SimulatedNode n, int attempt) {
    SimulatedNode.Identity id = n.identity;
    return api.register(options.token(), Profiles.inventory(id, "sim-0.1.0"))
        .thenAccept(
            r -> {
              n.identity = id.registered(r.nodeId(), r.nodeCredential());
              serverHeartbeatSeconds = r.heartbeatIntervalSeconds();
              registrations.increment();
              dirty.set(true);
            })
        .exceptionallyCompose(
            e -> {
              Throwable cause = e instanceof CompletionException ? e.getCause() : e;
              if (cause instanceof ApiException || attempt >= 8 || closed) {
                return CompletableFuture.failedFuture(cause);
              }
              return CompletableFuture.runAsync(
                      () -> {},
                      CompletableFuture.delayedExecutor(
                          Math.min(30_000, 250L << attempt), TimeUnit.MILLISECONDS))
                  .thenCompose(x -> registerWithRetry(n, attempt + 1));
            });
  }

  /** Every node heartbeats at {@code interval} (or the server's), spread evenly across it. */
  public void startHeartbeats() {
    Duration interval =
        options.heartbeatInterval() != null
            ? options.heartbeatInterval()
            : Duration.ofSeconds(serverHeartbeatSeconds);
    startHeartbeats(interval);
  }

  public void startHeartbeats(Duration interval) {
    stopHeartbeats();
    long periodMicros = interval.toNanos() / 1_000;
    int i = 0;
    for (SimulatedNode n : nodes) {
      if (n.identity.credential() == null) {
        continue;
      }
      long offset = periodMicros * i++ / Math.max(1, nodes.size());
      n.heartbeat =
          timers.scheduleAtFixedRate(
              () -> heartbeat(n), offset, periodMicros, TimeUnit.MICROSECONDS);
    }
  }

  /** Heartbeats due but waiting for room: a load generator with a queue is not measuring yet. */
  public int queued() {
    return backlogSize.get();
  }

  public void stopHeartbeats() {
    for (SimulatedNode n : nodes) {
      if (n.heartbeat != null) {
        n.heartbeat.cancel(false);
        n.heartbeat = null;
      }
    }
  }

  /**
   * Stops the heartbeats of the first {@code count} nodes, as if they lost power.
   *
   * @return node id to the time of its last acknowledged heartbeat, in epoch milliseconds
   */
  /**
   * Powers these nodes off: their heartbeats and plan polls stop until {@link #resume} powers them
   * on again.
   */
  public void silence(java.util.Collection<UUID> nodeIds) {
    for (SimulatedNode n : nodes) {
      if (nodeIds.contains(n.identity.nodeId())) {
        n.silenced = true;
        if (n.heartbeat != null) {
          n.heartbeat.cancel(false);
          n.heartbeat = null;
        }
      }
    }
  }

  /** Powers silenced nodes on again: they heartbeat and poll for plans as before. */
  public void resume(java.util.Collection<UUID> nodeIds, Duration heartbeatInterval) {
    long periodMicros = heartbeatInterval.toNanos() / 1_000;
    for (SimulatedNode n : nodes) {
      if (nodeIds.contains(n.identity.nodeId()) && n.silenced) {
        n.silenced = false;
        n.heartbeat =
            timers.scheduleAtFixedRate(() -> heartbeat(n), 0, periodMicros, TimeUnit.MICROSECONDS);
        if (options.plans() && !n.polling) {
          n.polling = true;
          poll(n, null, 0);
        }
      }
    }
  }

  public Map<UUID, Long> silence(int count) {
    Map<UUID, Long> last = new LinkedHashMap<>();
    for (SimulatedNode n : nodes.subList(0, Math.min(count, nodes.size()))) {
      if (n.heartbeat != null) {
        n.heartbeat.cancel(false);
        n.heartbeat = null;
      }
    }
    try {
      Thread.sleep(1_000); // let heartbeats already in flight land
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SimulatedNode n : nodes.subList(0, Math.min(count, nodes.size()))) {
      last.put(n.identity.nodeId(), n.lastHeartbeatAckMillis);
    }
    return last;
  }

  /**
   * Heartbeats in flight are bounded, as a fleet's connections are; one that finds no room waits in
   * line. Its latency counts from when it was due, so a server that falls behind shows it.
   */
  private void heartbeat(SimulatedNode n) {
    long due = System.nanoTime();
    if (inFlight.tryAcquire()) {
      send(n, due);
    } else if (backlogSize.get() < MAX_BACKLOG) {
      backlogSize.incrementAndGet();
      backlog.add(new Due(n, due));
      drain();
    } else {
      heartbeatsFailed.increment(); // a client this far behind is measuring itself
    }
  }

  private record Due(SimulatedNode node, long due) {}

  private void drain() {
    while (!backlog.isEmpty() && inFlight.tryAcquire()) {
      Due d = backlog.poll();
      if (d == null) {
        inFlight.release();
        return;
      }
      backlogSize.decrementAndGet();
      send(d.node(), d.due());
    }
  }

  private void send(SimulatedNode n, long started) {
    SimulatedNode.Identity id = n.identity;
    api.heartbeat(id.nodeId(), id.credential())
        .whenComplete(
            (v, e) -> {
              inFlight.release();
              drain();
              if (e == null) {
                heartbeatsOk.increment();
                n.lastHeartbeatAckMillis = System.currentTimeMillis();
                long took = System.nanoTime() - started;
                heartbeatLatencyNanos.accept(took);
                return;
              }
              heartbeatsFailed.increment();
              Throwable cause = e instanceof CompletionException ? e.getCause() : e;
              if (cause instanceof ApiException a && a.status() == 401 && !closed) {
                registerWithRetry(n, 0); // the credential is gone; the same machine comes back
              }
            });
  }

  // ---- plans -------------------------------------------------------------------------------

  public void startPlans() {
    if (!options.plans()) {
      return;
    }
    for (SimulatedNode n : nodes) {
      if (n.identity.credential() != null && !n.polling) {
        n.polling = true;
        poll(n, null, 0);
      }
    }
  }

  private void poll(SimulatedNode n, Long since, int failures) {
    if (closed) {
      return;
    }
    if (n.silenced) {
      n.polling = false;
      return;
    }
    SimulatedNode.Identity id = n.identity;
    api.plans(id.nodeId(), id.credential(), since, 30)
        .whenComplete(
            (feed, e) -> {
              if (e != null) {
                long wait = Math.min(30_000, 500L << Math.min(failures, 6));
                timers.schedule(
                    () -> poll(n, null, failures + 1),
                    wait + ThreadLocalRandom.current().nextLong(500),
                    TimeUnit.MILLISECONDS);
                return;
              }
              ServerApi.Step step = null;
              ServerApi.Plan plan = null;
              for (ServerApi.Plan p : feed.plans()) {
                for (ServerApi.Step s : p.steps()) {
                  if ("PENDING".equals(s.state())) {
                    step = s;
                    plan = p;
                    break;
                  }
                }
                if (step != null) {
                  break;
                }
              }
              if (step == null) {
                poll(n, feed.revision(), 0);
              } else {
                runStep(n, plan, step);
              }
            });
  }

  private void runStep(SimulatedNode n, ServerApi.Plan plan, ServerApi.Step step) {
    String key = plan.planId() + "/" + step.id() + "/" + step.attempt();
    ServerApi.StepResult done = n.finished.get(key);
    if (done != null) {
      report(n, plan, step, done);
      return;
    }
    long latency = options.latencyMillis(StepKind.of(step.id()), ThreadLocalRandom.current());
    boolean fail = ThreadLocalRandom.current().nextDouble() < options.failureRate();
    timers.schedule(
        () -> {
          ServerApi.StepResult result = printed(n, step, steps.run(n, step, fail, latency));
          uploadArtifacts(n, plan, step, result)
              .whenComplete(
                  (r, e) -> {
                    if (closed) {
                      return;
                    }
                    if (e != null) {
                      // The server could not take an upload now: the step is still pending, and
                      // runs again when the node next finds it, a little later.
                      timers.schedule(
                          () -> poll(n, null, 1),
                          1_000 + ThreadLocalRandom.current().nextLong(1_000),
                          TimeUnit.MILLISECONDS);
                      return;
                    }
                    n.finished.put(key, r);
                    report(n, plan, step, r);
                  });
        },
        latency,
        TimeUnit.MILLISECONDS);
  }

  /**
   * How a step the simulator succeeded ends, as {@link SimulatedOutputs#ran} says the tool it ran
   * ends: what it prints, or how it fails.
   */
  private ServerApi.StepResult printed(
      SimulatedNode n, ServerApi.Step step, ServerApi.StepResult result) {
    if (!"SUCCEEDED".equals(result.outcome())) {
      return result;
    }
    return ended(result, outputs.ran(step, n));
  }

  /** {@code result} as {@code exit} (null keeps it) says the step ended. */
  static ServerApi.StepResult ended(ServerApi.StepResult result, SimulatedOutputs.Exit exit) {
    return exit == null
        ? result
        : new ServerApi.StepResult(
            result.attempt(),
            exit.succeeded() ? "SUCCEEDED" : "FAILED",
            exit.code(),
            exit.reason(),
            exit.output(),
            result.durationMs());
  }

  /**
   * As a real agent does after a step succeeds: each declared artifact is written by {@link
   * SimulatedOutputs}, under the node's own directory, every one before any is sent; then each is
   * uploaded in turn, unless the server has it already.
   *
   * @return the result to report: {@code result}, or a failure naming an artifact that was not
   *     written or was refused; failed when the server could not take an upload now
   */
  private CompletableFuture<ServerApi.StepResult> uploadArtifacts(
      SimulatedNode n, ServerApi.Plan plan, ServerApi.Step step, ServerApi.StepResult result) {
    if (!"SUCCEEDED".equals(result.outcome()) || step.artifacts().isEmpty()) {
      return CompletableFuture.completedFuture(result);
    }
    List<ArtifactFile> files = new ArrayList<>();
    for (ServerApi.Artifact artifact : step.artifacts()) {
      Path file = fileOf(n, artifact.path());
      try {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        outputs.write(file, step, n);
        files.add(ArtifactFile.of(file));
      } catch (NoSuchFileException e) {
        files.forEach(f -> deleteQuietly(f.path()));
        return CompletableFuture.completedFuture(
            failed(
                result,
                "artifact "
                    + artifact.path()
                    + " is missing: the step succeeded but did not write it"));
      } catch (IOException | RuntimeException e) {
        files.forEach(f -> deleteQuietly(f.path()));
        deleteQuietly(file);
        return CompletableFuture.completedFuture(
            failed(result, "artifact " + artifact.path() + " cannot be written: " + e));
      }
    }
    CompletableFuture<ServerApi.StepResult> chain = CompletableFuture.completedFuture(result);
    for (int i = 0; i < files.size(); i++) {
      String name = step.artifacts().get(i).name();
      ArtifactFile file = files.get(i);
      chain =
          chain.thenCompose(
              r ->
                  "SUCCEEDED".equals(r.outcome())
                      ? uploadArtifact(n, plan, step, name, file, r)
                      : CompletableFuture.completedFuture(r));
    }
    return chain.whenComplete((r, e) -> files.forEach(f -> deleteQuietly(f.path())));
  }

  private CompletableFuture<ServerApi.StepResult> uploadArtifact(
      SimulatedNode n,
      ServerApi.Plan plan,
      ServerApi.Step step,
      String name,
      ArtifactFile file,
      ServerApi.StepResult result) {
    SimulatedNode.Identity id = n.identity;
    return api.storedArtifact(id.nodeId(), id.credential(), plan.planId(), step.id(), name)
        .thenCompose(
            stored -> {
              if (stored.isEmpty()) {
                return api.uploadArtifact(
                        id.nodeId(), id.credential(), plan.planId(), step.id(), name, file)
                    .thenApply(
                        kept -> {
                          artifactsUploaded.increment();
                          return result;
                        });
              }
              return CompletableFuture.completedFuture(
                  stored.get().digest().equals(file.digest())
                      ? result
                      : failed(
                          result,
                          "artifact "
                              + name
                              + " is stored with the digest "
                              + stored.get().digest()
                              + ", and the step wrote "
                              + file.digest()));
            })
        .handle(
            (r, e) -> {
              if (e == null) {
                return CompletableFuture.completedFuture(r);
              }
              Throwable cause = e instanceof CompletionException ? e.getCause() : e;
              if (cause instanceof ApiException a && a.status() != 401 && a.status() < 500) {
                return CompletableFuture.completedFuture(
                    failed(result, "artifact " + name + " was refused: " + a.getMessage()));
              }
              return CompletableFuture.<ServerApi.StepResult>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }

  /** Where a simulated machine keeps a file a real one would keep at {@code path}. */
  Path fileOf(SimulatedNode n, String path) {
    Path root = options.state().path().resolve("machines").resolve(String.valueOf(n.index()));
    Path file = root.resolve(path.replaceFirst("^/+", "")).normalize();
    if (!file.startsWith(root)) {
      throw new IllegalArgumentException("not a plain absolute path: " + path);
    }
    return file;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A simulated machine's disk; the next run of the step replaces the file.
    }
  }

  private static ServerApi.StepResult failed(ServerApi.StepResult result, String reason) {
    String output = result.output() == null ? "" : result.output();
    return new ServerApi.StepResult(
        result.attempt(),
        "FAILED",
        result.exitCode(),
        reason,
        output + (output.isEmpty() || output.endsWith("\n") ? "" : "\n") + reason + "\n",
        result.durationMs());
  }

  private void report(
      SimulatedNode n, ServerApi.Plan plan, ServerApi.Step step, ServerApi.StepResult result) {
    SimulatedNode.Identity id = n.identity;
    api.report(id.nodeId(), id.credential(), plan.planId(), step.id(), result)
        .whenComplete(
            (v, e) -> {
              if (e == null) {
                ("FAILED".equals(result.outcome()) ? stepsFailed : stepsSucceeded).increment();
              }
              poll(n, null, e == null ? 0 : 1);
            });
  }

  // ---- the command ---------------------------------------------------------------------------

  /**
   * Registers, heartbeats and runs plans until the process is stopped, printing progress; the
   * window must be the latency consumer this simulator was built with.
   */
  public void runUntilStopped(LatencyWindow latencies) throws InterruptedException {
    Log.info("simulating " + nodes.size() + " nodes against " + options.server());
    Duration took = registerAll();
    Log.info(
        registrations.sum()
            + " registered in "
            + took.toMillis()
            + " ms; "
            + nodeIds().size()
            + " of "
            + nodes.size()
            + " nodes are known to the server");
    startHeartbeats();
    startPlans();
    while (!closed) {
      Thread.sleep(10_000);
      Log.info(
          "heartbeats ok "
              + heartbeatsOk.sum()
              + " (last 10 s: "
              + latencies.drain()
              + ")"
              + ", failed "
              + heartbeatsFailed.sum()
              + "; steps succeeded "
              + stepsSucceeded.sum()
              + ", failed "
              + stepsFailed.sum());
    }
  }

  // ---- identities ----------------------------------------------------------------------------

  private void load() {
    List<SimulatedNode.Identity> saved =
        options
            .state()
            .read(STATE_FILE, Saved.class)
            .filter(s -> s.server().equals(api.server()))
            .map(Saved::nodes)
            .orElse(List.of());
    for (int i = 0; i < options.nodes(); i++) {
      nodes.add(new SimulatedNode(i < saved.size() ? saved.get(i) : fresh(i, machines)));
    }
    if (saved.size() < options.nodes()) {
      dirty.set(true);
    }
  }

  private static SimulatedNode.Identity fresh(int index, String machines) {
    Profiles.Profile p = machines != null ? Profiles.byKey(machines) : Profiles.forIndex(index);
    Random r = new Random();
    byte[] machineId = new byte[16];
    r.nextBytes(machineId);
    return new SimulatedNode.Identity(
        index,
        p.key(),
        String.format("sim-%s-%05d", p.key(), index),
        HexFormat.of().formatHex(machineId),
        UUID.randomUUID(),
        null,
        null);
  }

  private synchronized void saveIfDirty() {
    if (!dirty.getAndSet(false)) {
      return;
    }
    List<SimulatedNode.Identity> ids = new ArrayList<>(nodes.size());
    for (SimulatedNode n : nodes) {
      ids.add(n.identity);
    }
    try {
      options.state().write(STATE_FILE, new Saved(api.server(), ids));
    } catch (IOException e) {
      dirty.set(true);
      Log.warn("cannot save simulated identities: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    stopHeartbeats();
    timers.shutdownNow();
    cluster.forget(nodeIds());
    saveIfDirty();
    httpThreads.shutdownNow();
  }
}
