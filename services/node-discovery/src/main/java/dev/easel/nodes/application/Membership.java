package dev.easel.nodes.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.common.saga.ParticipantReplies;
import dev.easel.common.saga.ParticipantReplies.Outcome;
import dev.easel.contracts.nodes.JoinCluster;
import dev.easel.contracts.nodes.LeaveCluster;
import dev.easel.contracts.nodes.NodeJoinedCluster;
import dev.easel.contracts.nodes.NodeLeftCluster;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.nodes.application.port.NodeStore;
import dev.easel.nodes.domain.Node;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Cluster membership, as a saga participant: reserved nodes join the cluster their reservation was
 * for, and members leave it. {@link Node} decides each move; this class locks, asks, stores and
 * announces, inside the inbox transaction of the command.
 */
@Service
public class Membership {

  private static final Logger log = LoggerFactory.getLogger(Membership.class);

  private final NodeStore nodes;
  private final Outbox outbox;
  private final Clock clock;
  private final Plans plans;

  public Membership(NodeStore nodes, Outbox outbox, Clock clock, Plans plans) {
    this.nodes = nodes;
    this.outbox = outbox;
    this.clock = clock;
    this.plans = plans;
  }

  /** The plan that resets a node a forced deletion left behind; one per node and cluster. */
  public static String resetPlanId(String clusterId, UUID nodeId) {
    return "reset-after-cluster-" + clusterId + "-" + nodeId;
  }

  /** Every node joins, or none does; a retry changes nothing and succeeds again. */
  public Outcome join(JoinCluster cmd) {
    List<UUID> ids = ids(cmd.nodeIds());
    if (blank(cmd.reservationId())
        || blank(cmd.clusterId())
        || ids.isEmpty()
        || ids.size() > Reserving.MAX_NODES) {
      return ParticipantReplies.refused(
          "invalid-membership",
          "joining needs a reservation id, a cluster id and 1 to " + Reserving.MAX_NODES + " nodes",
          List.of());
    }
    Moves moves =
        Moves.ask(
            ids, nodes.lock(ids), true, node -> node.join(cmd.reservationId(), cmd.clusterId()));
    if (moves.refused()) {
      return ParticipantReplies.refused(
          "nodes-cannot-join",
          moves.refusals().size() + " of " + ids.size() + " nodes cannot join; none did",
          moves.refusals());
    }
    Instant now = clock.instant();
    moves
        .changes()
        .forEach(
            (id, node) -> {
              nodes.save(id, node, now);
              outbox.publishEvent(
                  id.toString(),
                  new NodeJoinedCluster(id, cmd.clusterId(), cmd.reservationId(), now));
            });
    return ParticipantReplies.succeeded();
  }

  /**
   * The nodes leave the cluster and are free; nodes not in it are left alone. A node that belongs
   * to another cluster refuses the whole command, with nothing changed. With reset steps (a forced
   * deletion, its nodes unreachable) each node that exists is given a plan of those steps, which
   * its agent runs when it is next seen, before any plan queued after it.
   */
  public Outcome leave(LeaveCluster cmd) {
    List<UUID> ids = ids(cmd.nodeIds());
    if (blank(cmd.clusterId()) || ids.isEmpty() || ids.size() > Reserving.MAX_NODES) {
      return ParticipantReplies.refused(
          "invalid-membership",
          "leaving needs a cluster id and 1 to " + Reserving.MAX_NODES + " nodes",
          List.of());
    }
    // A node that does not exist has nothing to leave.
    Map<UUID, Node> locked = nodes.lock(ids);
    Moves moves = Moves.ask(ids, locked, false, node -> node.leave(cmd.clusterId()));
    if (moves.refused()) {
      return ParticipantReplies.refused(
          "nodes-in-other-cluster",
          moves.refusals().size()
              + " of "
              + ids.size()
              + " nodes belong to another cluster; none left",
          moves.refusals());
    }
    Instant now = clock.instant();
    moves
        .changes()
        .forEach(
            (id, node) -> {
              nodes.save(id, node, now);
              outbox.publishEvent(id.toString(), new NodeLeftCluster(id, cmd.clusterId(), now));
            });
    if (cmd.needsReset()) {
      for (UUID id : locked.keySet()) {
        Outcome queued =
            plans.run(
                new RunPlan(
                    id,
                    resetPlanId(cmd.clusterId(), id),
                    "cluster " + cmd.clusterId() + " (deleted by force)",
                    cmd.resetSteps(),
                    false),
                null);
        if (queued instanceof ParticipantReplies.Refused r) {
          // The node is free all the same: keeping it in a deleted cluster helps nobody.
          log.warn(
              "node {} left cluster {}, but its reset plan was refused: {}",
              id,
              cmd.clusterId(),
              r.reason());
        }
      }
    }
    return ParticipantReplies.succeeded();
  }

  private static List<UUID> ids(List<UUID> given) {
    return given == null ? List.of() : List.copyOf(new LinkedHashSet<>(given));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
