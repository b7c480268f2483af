package dev.easel.clusters.domain.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Whether every expected node has joined and is Ready, read from {@code kubectl get nodes -o json}.
 */
public sealed interface NodesHealth
    permits NodesHealth.AllReady, NodesHealth.NotAllReady, NodesHealth.Unreadable {

  /** Whether every expected node is Ready. */
  boolean ready();

  /**
   * Every expected node is listed and Ready.
   *
   * @param nodes the expected nodes' names, sorted
   */
  record AllReady(List<String> nodes) implements NodesHealth {
    public AllReady {
      nodes = List.copyOf(nodes);
    }

    @Override
    public boolean ready() {
      return true;
    }
  }

  /**
   * Some expected nodes are not Ready yet, or not listed at all.
   *
   * @param notReady listed, but their Ready condition is False, Unknown or absent; sorted
   * @param missing not listed; sorted
   */
  record NotAllReady(List<String> notReady, List<String> missing) implements NodesHealth {
    public NotAllReady {
      notReady = List.copyOf(notReady);
      missing = List.copyOf(missing);
    }

    @Override
    public boolean ready() {
      return false;
    }
  }

  /**
   * The output is not a node list: kubectl failed, or printed something else.
   *
   * @param reason what was wrong, for people
   */
  record Unreadable(String reason) implements NodesHealth {
    @Override
    public boolean ready() {
      return false;
    }
  }

  /**
   * Reads the node list. Kubernetes names a node by its host name in lower case, so names are
   * compared ignoring case; nodes that are not expected are ignored.
   *
   * @param json what {@link HealthSteps#NODES_COMMAND} printed
   * @param expectedHostnames the hosts of the cluster
   * @throws IllegalArgumentException when no host is expected
   */
  static NodesHealth parse(String json, Set<String> expectedHostnames) {
    if (expectedHostnames.isEmpty()) {
      throw new IllegalArgumentException("a health check needs the hosts it expects");
    }
    if (json == null || json.isBlank()) {
      return new Unreadable("kubectl printed nothing");
    }
    JsonNode root;
    try {
      root = RenderYaml.JSON.readTree(json);
    } catch (JacksonException e) {
      return new Unreadable("kubectl's output is not JSON: " + e.getOriginalMessage());
    }
    JsonNode items = root == null ? null : root.get("items");
    if (items == null || !items.isArray()) {
      return new Unreadable("kubectl's output is not a node list: it has no items");
    }
    Map<String, Boolean> listed = new HashMap<>();
    for (JsonNode item : items) {
      String name = item.path("metadata").path("name").asString("");
      if (name.isEmpty()) {
        return new Unreadable("kubectl's output lists a node without a name");
      }
      listed.put(name.toLowerCase(Locale.ROOT), isReady(item));
    }
    Set<String> ready = new TreeSet<>();
    Set<String> notReady = new TreeSet<>();
    Set<String> missing = new TreeSet<>();
    for (String host : expectedHostnames) {
      Boolean state = listed.get(host.toLowerCase(Locale.ROOT));
      if (state == null) {
        missing.add(host);
      } else if (state) {
        ready.add(host);
      } else {
        notReady.add(host);
      }
    }
    if (notReady.isEmpty() && missing.isEmpty()) {
      return new AllReady(new ArrayList<>(ready));
    }
    return new NotAllReady(new ArrayList<>(notReady), new ArrayList<>(missing));
  }

  private static boolean isReady(JsonNode node) {
    for (JsonNode condition : node.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asString(""))) {
        return "True".equals(condition.path("status").asString(""));
      }
    }
    return false;
  }
}
