package dev.easel.agent.simulate;

import dev.easel.agent.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which simulated nodes formed which Kubernetes cluster, each cluster named by its control-plane
 * host (the VIP): an {@code install} or {@code join} that succeeded makes a node a member, a reset
 * makes it none. kubectl on any member lists every member.
 */
final class SimulatedCluster {

  /** The Kubernetes version simulated nodes report. */
  static final String KUBELET_VERSION = "v1.32.3";

  /**
   * One for the process: the nodes of a cluster may be driven by more than one simulator, and
   * kubectl on any of them must see them all.
   */
  static final SimulatedCluster SHARED = new SimulatedCluster();

  /**
   * A member of a cluster.
   *
   * @param hostname as its cloud-config names it
   * @param role {@code init}, {@code controlplane} or {@code worker}
   */
  record Member(UUID node, String vip, String hostname, String role) {

    boolean controlPlane() {
      return "init".equals(role) || "controlplane".equals(role);
    }
  }

  /** Node to membership, in the order they joined, which is the order kubectl lists them in. */
  private final Map<UUID, Member> members = new LinkedHashMap<>();

  /** Makes the node a member of the cluster at {@code vip}, leaving any it was in. */
  synchronized Member join(UUID node, String vip, String hostname, String role) {
    Member m = new Member(node, vip, hostname, role);
    members.remove(node);
    members.put(node, m);
    return m;
  }

  /** The node leaves whatever cluster it was in. */
  synchronized void leave(UUID node) {
    members.remove(node);
  }

  /** Every node leaves: they are no longer simulated. */
  synchronized void forget(Collection<UUID> nodes) {
    members.keySet().removeAll(nodes);
  }

  synchronized Optional<Member> membership(UUID node) {
    return Optional.ofNullable(members.get(node));
  }

  /** The members of the cluster at {@code vip}, in the order they joined. */
  synchronized List<Member> members(String vip) {
    List<Member> out = new ArrayList<>();
    for (Member m : members.values()) {
      if (m.vip().equals(vip)) {
        out.add(m);
      }
    }
    return out;
  }

  /**
   * What {@code kubectl get nodes -o json} prints on a member of the cluster at {@code vip}: every
   * member, Ready. Only the fields a reader of node health looks at, compact: the real service
   * keeps 16 KiB of a step's output, and a list of a few dozen nodes must fit.
   */
  String nodeList(String vip) {
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    ArrayNode items = list.putArray("items");
    for (Member m : members(vip)) {
      String name = m.hostname().toLowerCase(Locale.ROOT);
      ObjectNode item = items.addObject();
      ObjectNode metadata = item.putObject("metadata");
      metadata.put("name", name);
      ObjectNode labels = metadata.putObject("labels");
      labels.put("kubernetes.io/hostname", name);
      if (m.controlPlane()) {
        labels.put("node-role.kubernetes.io/control-plane", "");
      }
      ObjectNode status = item.putObject("status");
      ObjectNode ready = status.putArray("conditions").addObject();
      ready.put("type", "Ready");
      ready.put("status", "True");
      ready.put("reason", "KubeletReady");
      ready.put("message", "kubelet is posting ready status");
      status.putObject("nodeInfo").put("kubeletVersion", KUBELET_VERSION);
    }
    return Json.MAPPER.writeValueAsString(list);
  }
}
