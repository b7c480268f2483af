package dev.easel.nodes.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.nodes.NodeDecommissioned;
import dev.easel.contracts.nodes.NodeLabelsChanged;
import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.application.port.Credentials;
import dev.easel.nodes.application.port.NodeQueries;
import dev.easel.nodes.application.port.NodeRecord;
import dev.easel.nodes.application.port.NodeStore;
import dev.easel.nodes.domain.Labels;
import dev.easel.nodes.domain.Node;
import dev.easel.nodes.domain.NodeState;
import dev.easel.nodes.domain.Preflight;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What operators do to one node: relabel it, decommission it, check it against the minimums. */
@Service
public class OperatingNodes {

  private final NodeStore nodes;
  private final NodeQueries queries;
  private final Credentials credentials;
  private final Outbox outbox;
  private final Plans plans;
  private final Clock clock;

  public OperatingNodes(
      NodeStore nodes,
      NodeQueries queries,
      Credentials credentials,
      Outbox outbox,
      Plans plans,
      Clock clock) {
    this.nodes = nodes;
    this.queries = queries;
    this.credentials = credentials;
    this.outbox = outbox;
    this.plans = plans;
    this.clock = clock;
  }

  /**
   * Sets ({@code k: v}) and removes ({@code k: null}) user labels, if the node is still at the
   * version the caller read.
   *
   * @return the new version
   */
  @Transactional
  public long patchLabels(UUID id, long expectedVersion, Map<String, String> changes) {
    if (changes == null || changes.isEmpty()) {
      throw new RequestRefused(
          Kind.INVALID, "invalid-labels", "name at least one label to set or remove");
    }
    if (changes.size() > Labels.MAX_PER_NODE) {
      throw new RequestRefused(
          Kind.INVALID,
          "invalid-labels",
          "at most " + Labels.MAX_PER_NODE + " labels can be changed at once");
    }
    changes.forEach(
        (k, v) ->
            Labels.problem(k, v, false)
                .ifPresent(
                    p -> {
                      throw new RequestRefused(Kind.INVALID, "invalid-labels", p);
                    }));
    NodeRecord node =
        nodes
            .lockRecord(id)
            .orElseThrow(
                () ->
                    new RequestRefused(
                        Kind.NOT_FOUND, "not-found", "node " + id + " does not exist"));
    if (node.version() != expectedVersion) {
      throw new RequestRefused(
          Kind.PRECONDITION_FAILED,
          "stale-version",
          "the node is at version "
              + node.version()
              + ", not "
              + expectedVersion
              + "; read it again");
    }
    Map<String, String> labels = new LinkedHashMap<>(node.userLabels());
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            labels.remove(k);
          } else {
            labels.put(k, v);
          }
        });
    if (labels.size() > Labels.MAX_PER_NODE) {
      throw new RequestRefused(
          Kind.INVALID,
          "invalid-labels",
          "a node carries at most "
              + Labels.MAX_PER_NODE
              + " user labels; this would make it "
              + labels.size());
    }
    Instant now = clock.instant();
    nodes.saveLabels(
        new NodeRecord(
            id,
            node.machineId(),
            node.hostname(),
            node.node(),
            node.platform(),
            labels,
            node.inventory(),
            node.version()),
        now);
    outbox.publishEvent(id.toString(), new NodeLabelsChanged(id, labels, node.version() + 1, now));
    return node.version() + 1;
  }

  /** Decommissions a free node; a reserved or clustered one is refused. */
  @Transactional
  public void decommission(UUID id) {
    Node node = nodes.lock(List.of(id)).get(id);
    if (node == null) {
      throw new RequestRefused(Kind.NOT_FOUND, "not-found", "node " + id + " does not exist");
    }
    Node.Outcome outcome = node.decommission();
    if (outcome instanceof Node.Refused refused) {
      throw new RequestRefused(Kind.CONFLICT, refused.code(), refused.reason());
    }
    if (outcome instanceof Node.Changed changed) {
      Instant now = clock.instant();
      nodes.saveDecommissioned(id, changed.to(), now);
      outbox.publishEvent(id.toString(), new NodeDecommissioned(id, now));
      plans.cancelAllFor(id, "node-decommissioned");
      AfterCommit.run(() -> credentials.forget(id)); // its credential stops working at once
    }
  }

  public Preflight.Result preflight(UUID id) {
    NodeView view =
        queries
            .find(id)
            .orElseThrow(
                () ->
                    new RequestRefused(
                        Kind.NOT_FOUND, "not-found", "node " + id + " does not exist"));
    return Preflight.run(view.inventory(), view.state() != NodeState.UNREACHABLE);
  }
}
