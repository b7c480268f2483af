package dev.easel.nodes.adapters.in.web;

import dev.easel.nodes.application.NodeQueries;
import dev.easel.nodes.application.NodeView;
import dev.easel.nodes.domain.LabelSelector;
import dev.easel.nodes.domain.NodeState;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/nodes}: list and read nodes. */
@RestController
@RequestMapping("/api/v1/nodes")
class NodesController {

  static final int MAX_PAGE_SIZE = 500;

  private final NodeQueries nodes;

  NodesController(NodeQueries nodes) {
    this.nodes = nodes;
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
