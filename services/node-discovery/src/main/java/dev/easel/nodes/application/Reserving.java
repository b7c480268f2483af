package dev.easel.nodes.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.common.saga.ParticipantReplies;
import dev.easel.common.saga.ParticipantReplies.Outcome;
import dev.easel.contracts.nodes.NodeReleased;
import dev.easel.contracts.nodes.NodeReserved;
import dev.easel.contracts.nodes.NodesReserved;
import dev.easel.contracts.nodes.ReleaseNodes;
import dev.easel.contracts.nodes.ReserveNodes;
import dev.easel.nodes.application.port.NodeStore;
import dev.easel.nodes.domain.Node;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Reservations, as a saga participant. It runs inside the inbox transaction of the command, so its
 * effects, its events and its reply commit together.
 */
@Service
public class Reserving {

  static final int MAX_NODES = 100;

  private final NodeStore nodes;
  private final Outbox outbox;
  private final Clock clock;

  public Reserving(NodeStore nodes, Outbox outbox, Clock clock) {
    this.nodes = nodes;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** Reserves every node or none; a retry with the same reservation id succeeds again. */
  public Outcome reserve(ReserveNodes cmd) {
    List<UUID> ids =
        cmd.nodeIds() == null ? List.of() : List.copyOf(new LinkedHashSet<>(cmd.nodeIds()));
    if (cmd.reservationId() == null
        || cmd.owner() == null
        || ids.isEmpty()
        || ids.size() > MAX_NODES) {
      return ParticipantReplies.refused(
          "invalid-reservation",
          "a reservation needs an id, an owner and 1 to " + MAX_NODES + " nodes",
          List.of());
    }
    if (nodes.isReleased(cmd.reservationId())) {
      return ParticipantReplies.refused(
          "reservation-released",
          "reservation "
              + cmd.reservationId()
              + " was already released; it cannot hold nodes again",
          List.of());
    }
    Node.Reservation reservation = new Node.Reservation(cmd.reservationId(), cmd.owner());
    Moves moves = Moves.ask(ids, nodes.lock(ids), true, node -> node.reserve(reservation));
    if (moves.refused()) {
      return ParticipantReplies.refused(
          "nodes-unavailable",
          moves.refusals().size() + " of " + ids.size() + " nodes cannot be reserved; none were",
          moves.refusals());
    }
    Instant now = clock.instant();
    moves
        .changes()
        .forEach(
            (id, node) -> {
              nodes.save(id, node, now);
              outbox.publishEvent(
                  id.toString(), new NodeReserved(id, cmd.reservationId(), cmd.owner(), now));
            });
    return ParticipantReplies.succeeded(new NodesReserved(cmd.reservationId(), ids));
  }

  /** Frees what the reservation holds; nodes it does not hold are left alone. */
  public Outcome release(ReleaseNodes cmd) {
    if (cmd.reservationId() == null) {
      return ParticipantReplies.refused(
          "invalid-reservation", "a release needs a reservation id", List.of());
    }
    Instant now = clock.instant();
    nodes.markReleased(cmd.reservationId(), now);
    List<UUID> ids =
        cmd.nodeIds() == null || cmd.nodeIds().isEmpty()
            ? nodes.heldBy(cmd.reservationId())
            : cmd.nodeIds();
    nodes
        .lock(ids)
        .forEach(
            (id, node) -> {
              if (node.release(cmd.reservationId()) instanceof Node.Changed c) {
                nodes.save(id, c.to(), now);
                outbox.publishEvent(id.toString(), new NodeReleased(id, cmd.reservationId(), now));
              }
            });
    return ParticipantReplies.succeeded();
  }
}
