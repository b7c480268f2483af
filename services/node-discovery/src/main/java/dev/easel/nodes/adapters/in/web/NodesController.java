package dev.easel.nodes.adapters.in.web;

import dev.easel.contracts.selectors.LabelSelector;
import dev.easel.nodes.application.NodeView;
import dev.easel.nodes.application.OperatingNodes;
import dev.easel.nodes.application.RequestRefused;
import dev.easel.nodes.application.port.NodeQueries;
import dev.easel.nodes.domain.NodeState;
import dev.easel.nodes.domain.Preflight;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/nodes}: list and read nodes. */
@RestController
@RequestMapping("/api/v1/nodes")
class NodesController {

  static final int MAX_PAGE_SIZE = 500;

  private final NodeQueries nodes;
  private final OperatingNodes operating;

  NodesController(NodeQueries nodes, OperatingNodes operating) {
    this.nodes = nodes;
    this.operating = operating;
  }

  record LabelPatch(Map<String, String> labels) {}

  /** Sets or removes user labels; needs {@code If-Match} with the version from the ETag. */
  @PatchMapping("/{id}/labels")
  ResponseEntity<NodeView> patchLabels(
      @PathVariable UUID id,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestBody LabelPatch body) {
    if (ifMatch == null || ifMatch.isBlank()) {
      throw new RequestRefused(
          RequestRefused.Kind.PRECONDITION_REQUIRED,
          "if-match-required",
          "send If-Match with the ETag of the node you read");
    }
    long version;
    try {
      version = Long.parseLong(ifMatch.replace("W/", "").replace("\"", "").trim());
    } catch (NumberFormatException e) {
      throw new RequestRefused(
          RequestRefused.Kind.PRECONDITION_FAILED,
          "stale-version",
          "If-Match " + ifMatch + " is not an ETag of this API");
    }
    operating.patchLabels(id, version, body == null ? null : body.labels());
    return get(id);
  }

  @PostMapping("/{id}/decommission")
  ResponseEntity<NodeView> decommission(@PathVariable UUID id) {
    operating.decommission(id);
    return get(id);
  }

  @GetMapping("/{id}/preflight")
  Preflight.Result preflight(@PathVariable UUID id) {
    return operating.preflight(id);
  }

  /** A page of nodes, with the token of the next page when there is one. */
  record NodePage(List<NodeView> nodes, String nextPageToken) {}

  @GetMapping
  NodePage list(
      @RequestParam(required = false) String selector,
      @RequestParam(required = false) String state,
      @RequestParam(defaultValue = "100") int pageSize,
      @RequestParam(required = false) String pageToken) {
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new BadRequest(
          "invalid-page-size",
          "pageSize must be between 1 and " + MAX_PAGE_SIZE + ", not " + pageSize);
    }
    NodeQueries.Page page =
        nodes.list(LabelSelector.parse(selector), state(state), pageSize, decode(pageToken));
    return new NodePage(page.nodes(), page.next() == null ? null : encode(page.next()));
  }

  /**
   * {@code {"total": N, "byState": {"READY": n, ...}}}: every state, 0 when no node is in it. The
   * total leaves out decommissioned nodes, which {@code byState} still counts. A literal path, so
   * {@code /{id}} never sees "summary".
   */
  @GetMapping("/summary")
  NodeQueries.Summary summary() {
    return nodes.summary();
  }

  @GetMapping("/{id}")
  ResponseEntity<NodeView> get(@PathVariable UUID id) {
    NodeView node =
        nodes.find(id).orElseThrow(() -> new NotFound("node " + id + " does not exist"));
    return ResponseEntity.ok().eTag(Long.toString(node.version())).body(node);
  }

  private static NodeState state(String state) {
    if (state == null || state.isBlank()) {
      return null;
    }
    try {
      return NodeState.valueOf(state.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new BadRequest(
          "invalid-state",
          "state must be one of ready, unreachable, reserved, in-cluster, decommissioned; not '"
              + state
              + "'");
    }
  }

  static String encode(UUID id) {
    ByteBuffer b =
        ByteBuffer.allocate(16)
            .putLong(id.getMostSignificantBits())
            .putLong(id.getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  static UUID decode(String token) {
    if (token == null || token.isBlank()) {
      return null;
    }
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(token);
      if (bytes.length != 16) {
        throw new IllegalArgumentException();
      }
      ByteBuffer b = ByteBuffer.wrap(bytes);
      return new UUID(b.getLong(), b.getLong());
    } catch (IllegalArgumentException e) {
      throw new BadRequest("invalid-page-token", "pageToken is not one this API issued");
    }
  }
}
