package dev.easel.clusters.application;

import dev.easel.clusters.application.port.ClusterStore;
import dev.easel.clusters.application.port.SecretBox;
import dev.easel.clusters.application.port.Timeline;
import dev.easel.clusters.domain.ClusterRequest;
import dev.easel.clusters.domain.FieldProblem;
import dev.easel.clusters.domain.KnownNode;
import dev.easel.clusters.domain.cluster.Cluster;
import dev.easel.clusters.domain.cluster.ClusterState;
import dev.easel.clusters.domain.cluster.Member;
import dev.easel.clusters.domain.config.NodePoolSpec;
import dev.easel.clusters.domain.formation.ClusterRendering;
import dev.easel.clusters.domain.formation.ClusterSecrets;
import dev.easel.clusters.domain.formation.Formation;
import dev.easel.clusters.domain.formation.NodePlans;
import dev.easel.clusters.domain.render.LayerSteps;
import dev.easel.clusters.domain.render.NodeRole;
import dev.easel.clusters.domain.render.RenderRequest;
import dev.easel.common.envelope.Ids;
import dev.easel.common.outbox.Outbox;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.common.saga.SagaEngine;
import dev.easel.contracts.clusters.ClusterProfileAttached;
import dev.easel.contracts.clusters.ClusterRequested;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Creates a cluster: validates the request against everything known, stores the cluster with its
 * secrets sealed, and starts its formation saga, all in one transaction.
 */
@Service
public class Forming {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Validating validating;
  private final ClusterStore clusters;
  private final Timeline timeline;
  private final SecretBox box;
  private final SagaEngine sagas;
  private final SagaDefinition<Formation> formation;
  private final Outbox outbox;
  private final ObjectMapper json;
  private final Clock clock;

  public Forming(
      Validating validating,
      ClusterStore clusters,
      Timeline timeline,
      SecretBox box,
      SagaEngine sagas,
      SagaDefinition<Formation> formation,
      Outbox outbox,
      ObjectMapper json,
      Clock clock) {
    this.validating = validating;
    this.clusters = clusters;
    this.timeline = timeline;
    this.box = box;
    this.sagas = sagas;
    this.formation = formation;
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
  }

  /** The request has problems; nothing was stored. */
  public static final class Invalid extends RuntimeException {
    private final List<FieldProblem> problems;

    public Invalid(List<FieldProblem> problems) {
      super(problems.size() + " problem(s) in the cluster request");
      this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
      return problems;
    }
  }

  /**
   * Stores the cluster as PROVISIONING and starts forming it.
   *
   * @param registryPassword write-only; sealed with the cluster, never returned
   * @throws Invalid with every problem, each with its field
   * @throws ClusterStore.Taken when the name or the management cluster is taken
   */
  @Transactional
  public Cluster create(ClusterRequest request, String registryPassword) {
    Validating.Verdict v = validating.validate(request);
    if (!v.valid()) {
      throw new Invalid(v.problems());
    }
    UUID id = Ids.next();
    Instant now = clock.instant();
    List<Member> members = members(v);
    List<Cluster.Pool> pools = new ArrayList<>();
    for (int i = 0; i < request.nodePools().size(); i++) {
      ClusterRequest.PoolRequest r = request.nodePools().get(i);
      NodePoolSpec spec = v.pools().get(i);
      pools.add(
          new Cluster.Pool(
              spec.name(),
              spec.role() == NodePoolSpec.Role.CONTROL_PLANE ? "control-plane" : "worker",
              spec.allowWorkloads(),
              r.labels(),
              r.taints()));
    }
    Cluster cluster =
        new Cluster(
            id,
            request.name(),
            request.tags(),
            request.kind() == null ? Cluster.WORKLOAD : request.kind(),
            v.profile().name(),
            v.profile().version(),
            v.config(),
            pools,
            members,
            ClusterState.PROVISIONING,
            null,
            null,
            null,
            now,
            now);
    ClusterSecrets secrets = new ClusterSecrets(token(), registryPassword, request.variables());
    // Everything the saga renders is rendered once now, so what cannot be rendered is refused
    // here, with its field, rather than failing a formation halfway.
    try {
      RenderRequest rendered = ClusterRendering.request(cluster, v.profile(), secrets);
      for (Member m : members) {
        NodePlans.install(rendered, m.nodeId(), Duration.ofMinutes(1));
      }
      LayerSteps.render(rendered);
    } catch (IllegalArgumentException e) {
      throw new Invalid(List.of(new FieldProblem("nodePools", "cannot-render", e.getMessage())));
    }
    clusters.insert(cluster, box.seal(json.writeValueAsString(secrets), id.toString()));
    List<UUID> cps = new ArrayList<>();
    List<UUID> workers = new ArrayList<>();
    for (Member m : members) {
      if (m.role() == NodeRole.CONTROL_PLANE) {
        cps.add(m.nodeId());
      } else if (m.role() == NodeRole.WORKER) {
        workers.add(m.nodeId());
      }
    }
    Formation data = Formation.of(id, members.get(0).nodeId(), cps, workers);
    outbox.publishEvent(
        id.toString(),
        new ClusterRequested(
            id,
            cluster.name(),
            cluster.kind(),
            cluster.profileName(),
            cluster.profileVersion(),
            data.nodes(),
            now));
    outbox.publishEvent(
        id.toString(),
        new ClusterProfileAttached(id, cluster.profileName(), cluster.profileVersion(), now));
    timeline.append(
        new Timeline.Entry(
            0,
            id,
            now,
            ClusterProgress.FORMATION,
            null,
            data.nodes(),
            ClusterState.PROVISIONING.name(),
            "requested: "
                + members.size()
                + " node(s), profile "
                + cluster.profileName()
                + " "
                + cluster.profileVersion(),
            0));
    UUID saga = sagas.start(formation, data);
    Cluster started = cluster.withSaga(saga);
    clusters.update(started);
    return started;
  }

  /** The pools' nodes as members: the first control-plane node initialises the cluster. */
  private static List<Member> members(Validating.Verdict v) {
    List<Member> members = new ArrayList<>();
    boolean init = true;
    for (NodePoolSpec.Role role :
        List.of(NodePoolSpec.Role.CONTROL_PLANE, NodePoolSpec.Role.WORKER)) {
      for (NodePoolSpec pool : v.pools()) {
        if (pool.role() != role) {
          continue;
        }
        for (UUID id : pool.nodeIds()) {
          KnownNode n = v.nodes().get(id);
          NodeRole r =
              role == NodePoolSpec.Role.WORKER
                  ? NodeRole.WORKER
                  : init ? NodeRole.INIT : NodeRole.CONTROL_PLANE;
          init = init && role != NodePoolSpec.Role.CONTROL_PLANE;
          members.add(
              new Member(
                  id,
                  n != null && n.hostname() != null ? n.hostname() : "node-" + id,
                  pool.name(),
                  r));
        }
      }
    }
    return members;
  }

  /** A Kairos cluster token: 32 random bytes, hex. */
  private static String token() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
