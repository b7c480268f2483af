package dev.easel.nodes.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.nodes.NodeDecommissioned;
import dev.easel.contracts.nodes.NodeLabelsChanged;
import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.domain.Labels;
import dev.easel.nodes.domain.Node;
import dev.easel.nodes.domain.Preflight;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** What operators do to one node: relabel it, decommission it, check it against the minimums. */
@Service
public class OperatingNodes {

  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;
  private final Outbox outbox;
  private final NodeQueries queries;
  private final NodeLocks locks;
  private final Plans plans;
  private final Clock clock;

  public OperatingNodes(
      JdbcTemplate jdbc,
      ObjectMapper json,
      Outbox outbox,
      NodeQueries queries,
      NodeLocks locks,
      Plans plans,
      Clock clock) {
    this.locks = locks;
    this.plans = plans;
    this.jdbc = jdbc;
    this.json = json;
    this.outbox = outbox;
    this.queries = queries;
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
    changes.forEach(
        (k, v) ->
            Labels.problem(k, v, false)
                .ifPresent(
                    p -> {
                      throw new RequestRefused(Kind.INVALID, "invalid-labels", p);
                    }));
    List<Map<String, Object>> row =
        jdbc.queryForList(
            "SELECT labels::text AS labels, version FROM nodes WHERE id = ? FOR UPDATE", id);
    if (row.isEmpty()) {
      throw new RequestRefused(Kind.NOT_FOUND, "not-found", "node " + id + " does not exist");
    }
    long version = ((Number) row.get(0).get("version")).longValue();
    if (version != expectedVersion) {
      throw new RequestRefused(
          Kind.PRECONDITION_FAILED,
          "stale-version",
          "the node is at version " + version + ", not " + expectedVersion + "; read it again");
    }
    Map<String, String> labels =
        new LinkedHashMap<>(json.readValue((String) row.get(0).get("labels"), LABELS));
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            labels.remove(k);
          } else {
            labels.put(k, v);
          }
        });
    Instant now = clock.instant();
    jdbc.update(
        "UPDATE nodes SET labels = ?::jsonb, version = version + 1, updated_at = ? WHERE id = ?",
        json.writeValueAsString(labels),
        Timestamp.from(now),
        id);
    outbox.publishEvent(id.toString(), new NodeLabelsChanged(id, labels, version + 1, now));
    return version + 1;
  }

  /** Decommissions a free node; a reserved or clustered one is refused. */
  @Transactional
  public void decommission(UUID id) {
    Node node = locks.lock(List.of(id)).get(id);
    if (node == null) {
      throw new RequestRefused(Kind.NOT_FOUND, "not-found", "node " + id + " does not exist");
    }
    Node.Outcome outcome = node.decommission();
    if (outcome instanceof Node.Refused refused) {
      throw new RequestRefused(Kind.CONFLICT, refused.code(), refused.reason());
    }
    if (outcome instanceof Node.Changed) {
      Instant now = clock.instant();
      jdbc.update(
          "UPDATE nodes SET lifecycle = 'DECOMMISSIONED', credential_hash = NULL,"
              + " version = version + 1, updated_at = ? WHERE id = ?",
          Timestamp.from(now),
          id);
      outbox.publishEvent(id.toString(), new NodeDecommissioned(id, now));
      plans.cancelAllFor(id, "node-decommissioned");
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
    return Preflight.run(
        view.inventory(), view.state() != dev.easel.nodes.domain.NodeState.UNREACHABLE);
  }
}
