package dev.easel.clusters.application;

import dev.easel.clusters.domain.cluster.Failure;
import dev.easel.clusters.domain.formation.Formation;
import dev.easel.clusters.domain.formation.NodePlans;
import dev.easel.clusters.domain.render.HealthSteps;
import dev.easel.clusters.domain.render.Kubeconfig;
import dev.easel.clusters.domain.render.KubeconfigStep;
import dev.easel.clusters.domain.render.NodesHealth;
import dev.easel.clusters.domain.render.RenderNode;
import dev.easel.clusters.domain.render.RenderRequest;
import dev.easel.common.crypto.PlanSealing;
import dev.easel.common.saga.RetryPolicy;
import dev.easel.common.saga.SagaCommand;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.contracts.nodes.JoinCluster;
import dev.easel.contracts.nodes.NodesReserved;
import dev.easel.contracts.nodes.PlanFinished;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.ReleaseNodes;
import dev.easel.contracts.nodes.ReserveNodes;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.contracts.saga.CommandFailed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Forms a cluster from reserved nodes, one step per line; every node that may have been touched is
 * reset before the nodes are released.
 */
public final class FormationSaga {

  public static final String NAME = "FormCluster";

  public static final String RESERVE = "reserve-nodes";
  public static final String INSTALL_INIT = "install-init";
  public static final String JOIN_CONTROL_PLANES = "join-control-planes";
  public static final String JOIN_WORKERS = "join-workers";
  public static final String APPLY_LAYERS = "apply-layers";
  public static final String CHECK_HEALTH = "check-health";
  public static final String VERIFY_HEALTH = "verify-health";
  public static final String FETCH_KUBECONFIG = "fetch-kubeconfig";
  public static final String KEEP_KUBECONFIG = "keep-kubeconfig";
  public static final String MARK_MEMBERS = "mark-members";

  /** Each step's share of the formation's progress, in percent; they add up to 100. */
  public static final Map<String, Integer> WEIGHTS = weights();

  /** node-discovery's context: its commands go to {@code easel.nodes.commands}. */
  static final String NODES = "nodes";

  /** What a node waits for beyond its plan's own time: the queue, the broker, the agent's poll. */
  private static final Duration SLACK = Duration.ofMinutes(2);

  /** Renders a cluster's plans from what is stored of it; the same input renders the same plans. */
  @FunctionalInterface
  public interface Renderer {
    RenderRequest render(UUID clusterId);
  }

  /** Seals and opens the kubeconfig, bound to its cluster. */
  public interface KubeconfigBox {
    String seal(UUID clusterId, String kubeconfig);

    String open(UUID clusterId, String sealed);
  }

  /**
   * How long each kind of step may take.
   *
   * @param install one node's install or join, up to 30 minutes on real hardware
   */
  public record Timeouts(
      Duration reserve, Duration install, Duration layers, Duration health, Duration reset) {

    public static Timeouts defaults() {
      return new Timeouts(
          Duration.ofSeconds(30),
          Duration.ofMinutes(30),
          Duration.ofMinutes(20),
          Duration.ofMinutes(15),
          Duration.ofMinutes(10));
    }
  }

  private FormationSaga() {}

  /**
   * @param sealing seals the plans' secret files (cloud-configs with the cluster token, layer
   *     values with passwords) to node-discovery's plan key before they cross Kafka
   */
  public static SagaDefinition<Formation> definition(
      Renderer renderer, KubeconfigBox box, PlanSealing sealing, Timeouts t) {
    return SagaDefinition.of(NAME, Formation.class)
        .step(RESERVE)
        .invoke(
            f ->
                SagaCommand.to(
                    NODES,
                    f.clusterId().toString(),
                    new ReserveNodes(f.reservationId(), "cluster " + f.clusterId(), f.nodes())))
        .compensateWith(
            f ->
                SagaCommand.to(
                    NODES,
                    f.clusterId().toString(),
                    new ReleaseNodes(f.reservationId(), f.nodes())))
        .onReply(NodesReserved.class, (f, r) -> f)
        .onRefusal("nodes-unavailable", (f, r) -> f.failedWith(refusal(RESERVE, null, r)))
        .retry(RetryPolicy.attempts(3))
        .timeout(t.reserve())
        .step(INSTALL_INIT)
        .invoke(
            f ->
                runPlan(
                    f,
                    f.init(),
                    "install",
                    NodePlans.install(renderer.render(f.clusterId()), f.init(), t.install()),
                    sealing))
        .compensateWith(f -> reset(f, f.init(), sealing, t))
        .undoEvenWhenRefused()
        .onReply(PlanFinished.class, (f, r) -> f)
        .onRefusal("plan-failed", (f, r) -> f.failedWith(refusal(INSTALL_INIT, f.init(), r)))
        .onRefusal("plan-cancelled", (f, r) -> f.failedWith(refusal(INSTALL_INIT, f.init(), r)))
        .retry(RetryPolicy.attempts(2))
        .timeout(t.install().plus(SLACK))
        .step(JOIN_CONTROL_PLANES)
        .invokeAll(f -> joins(f, f.controlPlanes(), renderer, sealing, t))
        .compensateWithAll(f -> resets(f, f.controlPlanes(), sealing, t))
        .undoEvenWhenRefused()
        .onReply(PlanFinished.class, (f, r) -> f)
        .onRefusal("plan-failed", (f, r) -> f.failedWith(refusal(JOIN_CONTROL_PLANES, null, r)))
        .onRefusal("plan-cancelled", (f, r) -> f.failedWith(refusal(JOIN_CONTROL_PLANES, null, r)))
        .retry(RetryPolicy.attempts(2))
        .timeout(t.install().plus(SLACK))
        .step(JOIN_WORKERS)
        .invokeAll(f -> joins(f, f.workers(), renderer, sealing, t))
        .compensateWithAll(f -> resets(f, f.workers(), sealing, t))
        .undoEvenWhenRefused()
        .onReply(PlanFinished.class, (f, r) -> f)
        .onRefusal("plan-failed", (f, r) -> f.failedWith(refusal(JOIN_WORKERS, null, r)))
        .onRefusal("plan-cancelled", (f, r) -> f.failedWith(refusal(JOIN_WORKERS, null, r)))
        .retry(RetryPolicy.attempts(2))
        .timeout(t.install().plus(SLACK))
        .step(APPLY_LAYERS)
        .invokeAll(
            f -> {
              List<PlanStep> steps = NodePlans.layers(renderer.render(f.clusterId()), t.layers());
              return steps.isEmpty()
                  ? List.of()
                  : List.of(runPlan(f, f.init(), "layers", steps, sealing));
            })
        .onReply(PlanFinished.class, (f, r) -> f)
        .onRefusal("plan-failed", (f, r) -> f.failedWith(refusal(APPLY_LAYERS, f.init(), r)))
        .onRefusal("plan-cancelled", (f, r) -> f.failedWith(refusal(APPLY_LAYERS, f.init(), r)))
        .retry(RetryPolicy.attempts(3))
        .timeout(t.layers().multipliedBy(4).plus(SLACK))
        .step(CHECK_HEALTH)
        .invoke(f -> runPlan(f, f.init(), "health", NodePlans.health(t.health()), sealing))
        .onReply(
            PlanFinished.class, (f, r) -> f.withHealthOutput(output(r, HealthSteps.nodes().id())))
        .onRefusal("plan-failed", (f, r) -> f.failedWith(refusal(CHECK_HEALTH, f.init(), r)))
        .onRefusal("plan-cancelled", (f, r) -> f.failedWith(refusal(CHECK_HEALTH, f.init(), r)))
        .retry(RetryPolicy.attempts(3))
        .timeout(t.health().multipliedBy(3).plus(SLACK))
        .step(VERIFY_HEALTH)
        .local(f -> verifyHealth(f, renderer))
        .step(FETCH_KUBECONFIG)
        .invoke(f -> runPlan(f, f.init(), "kubeconfig", NodePlans.kubeconfig(), sealing))
        .onReply(
            PlanFinished.class,
            (f, r) ->
                f.withKubeconfig(box.seal(f.clusterId(), output(r, KubeconfigStep.fetch().id()))))
        .onRefusal("plan-failed", (f, r) -> f.failedWith(refusal(FETCH_KUBECONFIG, f.init(), r)))
        .onRefusal("plan-cancelled", (f, r) -> f.failedWith(refusal(FETCH_KUBECONFIG, f.init(), r)))
        .retry(RetryPolicy.attempts(3))
        .timeout(Duration.ofMinutes(3).plus(SLACK))
        .step(KEEP_KUBECONFIG)
        .local(f -> keepKubeconfig(f, renderer, box))
        .step(MARK_MEMBERS)
        .invoke(
            f ->
                SagaCommand.to(
                    NODES,
                    f.clusterId().toString(),
                    new JoinCluster(f.reservationId(), f.clusterId().toString(), f.nodes())))
        .retry(RetryPolicy.attempts(5))
        .timeout(t.reserve())
        .build();
  }

  /** The plan id of a node's plan of one kind in one cluster: a resent command is the same plan. */
  public static String planId(UUID clusterId, String kind, UUID nodeId) {
    return "cluster-" + clusterId + "-" + kind + "-" + nodeId;
  }

  static SagaCommand runPlan(
      Formation f, UUID node, String kind, List<PlanStep> steps, PlanSealing sealing) {
    return runPlan(f.clusterId(), node, kind, steps, sealing);
  }

  /**
   * A plan for one node of a cluster, answered when it has finished; {@code kind} makes its id, so
   * a resent command is the same plan and another operation's is another. Its secret files leave
   * sealed for that plan id, so the outbox and the broker never hold them in the clear.
   */
  static SagaCommand runPlan(
      UUID clusterId, UUID node, String kind, List<PlanStep> steps, PlanSealing sealing) {
    return SagaCommand.to(
        NODES,
        node.toString(),
        sealing.seal(
            new RunPlan(node, planId(clusterId, kind, node), "cluster " + clusterId, steps, true)));
  }

  static SagaCommand reset(Formation f, UUID node, PlanSealing sealing, Timeouts t) {
    return runPlan(f, node, "reset", NodePlans.reset(t.reset()), sealing);
  }

  private static List<SagaCommand> joins(
      Formation f, List<UUID> nodes, Renderer renderer, PlanSealing sealing, Timeouts t) {
    if (nodes.isEmpty()) {
      return List.of();
    }
    RenderRequest request = renderer.render(f.clusterId());
    List<SagaCommand> commands = new ArrayList<>();
    for (UUID node : nodes) {
      commands.add(
          runPlan(f, node, "install", NodePlans.install(request, node, t.install()), sealing));
    }
    return commands;
  }

  private static List<SagaCommand> resets(
      Formation f, List<UUID> nodes, PlanSealing sealing, Timeouts t) {
    List<SagaCommand> commands = new ArrayList<>();
    for (UUID node : nodes) {
      commands.add(reset(f, node, sealing, t));
    }
    return commands;
  }

  private static Formation verifyHealth(Formation f, Renderer renderer) {
    Set<String> hosts =
        renderer.render(f.clusterId()).nodes().stream()
            .map(RenderNode::hostname)
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    NodesHealth health = NodesHealth.parse(f.healthOutput(), hosts);
    if (health instanceof NodesHealth.NotAllReady n) {
      throw new IllegalStateException(
          "not every node is Ready: not ready " + n.notReady() + ", missing " + n.missing());
    }
    if (health instanceof NodesHealth.Unreadable u) {
      throw new IllegalStateException("the node list cannot be read: " + u.reason());
    }
    return f;
  }

  private static Formation keepKubeconfig(Formation f, Renderer renderer, KubeconfigBox box) {
    if (f.sealedKubeconfig() == null) {
      throw new IllegalStateException("no kubeconfig was read from the init node");
    }
    String vip = renderer.render(f.clusterId()).vip();
    String raw = box.open(f.clusterId(), f.sealedKubeconfig());
    String usable;
    try {
      usable = Kubeconfig.rewriteServer(raw, vip);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "the init node's admin.conf is not a usable kubeconfig: " + e.getMessage());
    }
    return f.withKubeconfig(box.seal(f.clusterId(), usable));
  }

  private static String output(PlanFinished r, String step) {
    String out = r.outputs() == null ? null : r.outputs().get(step);
    return out == null ? "" : out;
  }

  /**
   * What a refusal says: the node whose plan failed (node-discovery names it in the details as
   * {@code node: <id>}), and the failed step's last lines.
   */
  static Failure refusal(String step, UUID node, CommandFailed r) {
    UUID failed = node;
    StringBuilder output = new StringBuilder();
    for (String d : r.details() == null ? List.<String>of() : r.details()) {
      if (failed == null && d.length() > 37 && d.charAt(36) == ':' && isUuid(d.substring(0, 36))) {
        // ReserveNodes names each node it could not reserve as "<id>: <why>".
        failed = UUID.fromString(d.substring(0, 36));
        output.append(d).append('\n');
      } else if (d.startsWith("node: ")) {
        try {
          failed = UUID.fromString(d.substring(6).strip());
        } catch (IllegalArgumentException e) {
          output.append(d).append('\n');
        }
      } else {
        output.append(d).append('\n');
      }
    }
    return new Failure(step, failed, r.code() + ": " + r.reason(), output.toString().strip());
  }

  private static boolean isUuid(String s) {
    try {
      UUID.fromString(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Map<String, Integer> weights() {
    Map<String, Integer> w = new LinkedHashMap<>();
    w.put(RESERVE, 2);
    w.put(INSTALL_INIT, 30);
    w.put(JOIN_CONTROL_PLANES, 20);
    w.put(JOIN_WORKERS, 15);
    w.put(APPLY_LAYERS, 20);
    w.put(CHECK_HEALTH, 5);
    w.put(VERIFY_HEALTH, 1);
    w.put(FETCH_KUBECONFIG, 3);
    w.put(KEEP_KUBECONFIG, 1);
    w.put(MARK_MEMBERS, 3);
    return Map.copyOf(w);
  }

  /** The formation's progress before step {@code index} of the definition, in percent. */
  public static int percentBefore(SagaDefinition<?> def, int index) {
    int done = 0;
    int total = 0;
    for (int i = 0; i < def.steps().size(); i++) {
      int w = WEIGHTS.getOrDefault(def.step(i).name(), 1);
      total += w;
      if (i < index) {
        done += w;
      }
    }
    return total == 0 ? 0 : Math.min(100, done * 100 / total);
  }
}
