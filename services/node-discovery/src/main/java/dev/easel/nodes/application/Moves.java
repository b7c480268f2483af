package dev.easel.nodes.application;

import dev.easel.nodes.domain.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * One move asked of several locked nodes, all or none: what each node decided, gathered into the
 * changes to store and the refusals to answer with. A command stores the changes only when no node
 * refused.
 *
 * @param changes the nodes that moved, by id, in the order asked
 * @param refusals one line per node that refused: {@code <id>: <code>: <reason>}
 */
record Moves(Map<UUID, Node> changes, List<String> refusals) {

  /**
   * Asks each node in {@code ids} for the move. A node that is not in {@code locked} is a refusal
   * when {@code missingRefuses}, and is passed over otherwise.
   */
  static Moves ask(
      List<UUID> ids,
      Map<UUID, Node> locked,
      boolean missingRefuses,
      Function<Node, Node.Outcome> move) {
    Map<UUID, Node> changes = new LinkedHashMap<>();
    List<String> refusals = new ArrayList<>();
    for (UUID id : ids) {
      Node node = locked.get(id);
      if (node == null) {
        if (missingRefuses) {
          refusals.add(id + ": node-missing: the node does not exist");
        }
        continue;
      }
      Node.Outcome outcome = move.apply(node);
      if (outcome instanceof Node.Refused r) {
        refusals.add(id + ": " + r.code() + ": " + r.reason());
      } else if (outcome instanceof Node.Changed c) {
        changes.put(id, c.to());
      }
    }
    return new Moves(changes, refusals);
  }

  boolean refused() {
    return !refusals.isEmpty();
  }
}
