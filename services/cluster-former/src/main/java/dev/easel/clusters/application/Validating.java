package dev.easel.clusters.application;

import dev.easel.clusters.application.port.NodeReplica;
import dev.easel.clusters.application.port.ProfileReplica;
import dev.easel.clusters.domain.ClusterRequest;
import dev.easel.clusters.domain.FieldProblem;
import dev.easel.clusters.domain.KnownNode;
import dev.easel.clusters.domain.PoolSelection;
import dev.easel.clusters.domain.ProfileVariables;
import dev.easel.clusters.domain.PublishedProfile;
import dev.easel.clusters.domain.config.ClusterConfig;
import dev.easel.clusters.domain.config.ClusterValidation;
import dev.easel.clusters.domain.config.NodeFacts;
import dev.easel.clusters.domain.config.NodePoolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Checks a cluster request against everything cluster-former knows, and answers every problem at
 * once, each with its field: the name and kind, the profile version and its variables, the node
 * pools (selectors resolved against the free nodes), and the configuration against the selected
 * nodes' networks and disks. It changes nothing.
 */
@Service
public class Validating {

  /** A DNS label: the cluster's name becomes host and resource names. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private static final int MAX_TAGS = 32;

  private final NodeReplica nodes;
  private final ProfileReplica profiles;
  private final dev.easel.clusters.application.port.ClusterStore clusters;

  public Validating(
      NodeReplica nodes,
      ProfileReplica profiles,
      dev.easel.clusters.application.port.ClusterStore clusters) {
    this.nodes = nodes;
    this.profiles = profiles;
    this.clusters = clusters;
  }

  /** What validation found: the problems, and the nodes each pool would take. */
  public record Verdict(
      List<FieldProblem> problems,
      List<NodePoolSpec> pools,
      Map<UUID, KnownNode> nodes,
      PublishedProfile profile,
      ClusterConfig config) {

    public boolean valid() {
      return problems.isEmpty();
    }
  }

  @Transactional(readOnly = true)
  public Verdict validate(ClusterRequest request) {
    List<FieldProblem> problems = new ArrayList<>();
    if (request.name() == null || !NAME.matcher(request.name()).matches()) {
      problems.add(
          new FieldProblem(
              "name",
              request.name() == null ? "required" : "invalid-name",
              "a cluster name is a DNS label: lower-case letters, digits and '-', at most 63"));
    }
    if (request.kind() != null
        && !request.kind().equals("management")
        && !request.kind().equals("workload")) {
      problems.add(new FieldProblem("kind", "invalid-kind", "the kind is management or workload"));
    }
    if (request.tags().size() > MAX_TAGS) {
      problems.add(
          new FieldProblem("tags", "too-many-tags", "at most " + MAX_TAGS + " tags are allowed"));
    }

    PublishedProfile profile = profile(request.profile(), problems);
    if (profile != null) {
      problems.addAll(ProfileVariables.check(profile.variables(), request.variables()));
    }

    PoolSelection.Result selection = PoolSelection.resolve(request.nodePools(), nodes.free());
    problems.addAll(selection.problems());
    Set<UUID> ids = new LinkedHashSet<>();
    selection.pools().forEach(p -> ids.addAll(p.nodeIds()));
    Map<UUID, KnownNode> known = nodes.find(ids);
    Map<UUID, NodeFacts> facts = new LinkedHashMap<>();
    known.values().forEach(n -> facts.put(n.id(), facts(n)));

    ClusterConfig config = request.config() == null ? null : request.config().withDefaults();
    problems.addAll(ClusterValidation.validate(config, selection.pools(), facts));
    if (config != null && config.vip() != null) {
      clusters
          .clusterUsingVip(config.vip().strip())
          .ifPresent(
              other ->
                  problems.add(
                      new FieldProblem(
                          "config.vip",
                          "vip-in-use",
                          "VIP "
                              + config.vip().strip()
                              + " is the control-plane address of cluster "
                              + other
                              + "; delete that cluster, or choose another")));
    }

    if (profile != null) {
      Optional<String> platform = ClusterValidation.platformOf(selection.pools(), facts);
      if (platform.isPresent() && !profile.fitsPlatform(platform.get())) {
        problems.add(
            new FieldProblem(
                "profile",
                "platform-mismatch",
                "profile "
                    + profile.name()
                    + " "
                    + profile.version()
                    + " is for "
                    + profile.cloudType()
                    + ", but the nodes are "
                    + platform.get()));
      }
    }
    return new Verdict(List.copyOf(problems), selection.pools(), known, profile, config);
  }

  /** What validation found of a growth: its problems and the nodes it would add. */
  public record GrowthVerdict(
      List<FieldProblem> problems, List<UUID> added, Map<UUID, KnownNode> nodes) {

    public boolean valid() {
      return problems.isEmpty();
    }
  }

  /**
   * Checks adding nodes to one pool of a cluster: the new nodes are picked (explicit, or by
   * selector and count among the free ones), then the whole cluster is checked as if it were asked
   * for again with them, its current members counting as free: the control-plane count stays 1 or
   * odd, each new node is free, past preflight, on the cluster's platform, with the storage pool
   * device, and neither its address nor the networks clash with the VIP.
   */
  @Transactional(readOnly = true)
  public GrowthVerdict validateGrowth(
      dev.easel.clusters.domain.cluster.Cluster cluster, ClusterRequest.PoolRequest add) {
    List<FieldProblem> problems = new ArrayList<>();
    dev.easel.clusters.domain.cluster.Cluster.Pool target =
        cluster.pools().stream().filter(p -> p.name().equals(add.name())).findFirst().orElse(null);
    if (target == null) {
      problems.add(
          new FieldProblem(
              "pool", "unknown-pool", "cluster " + cluster.name() + " has no pool " + add.name()));
      return new GrowthVerdict(problems, List.of(), Map.of());
    }
    ClusterRequest.PoolRequest asked =
        new ClusterRequest.PoolRequest(
            target.name(),
            target.role(),
            target.allowWorkloads(),
            add.nodes(),
            add.selector(),
            add.count(),
            Map.of(),
            List.of());
    PoolSelection.Result picked = PoolSelection.resolve(List.of(asked), nodes.free());
    for (FieldProblem p : picked.problems()) {
      problems.add(
          new FieldProblem(p.field().replace("nodePools[0]", "nodes"), p.code(), p.message()));
    }
    List<UUID> added = picked.pools().isEmpty() ? List.of() : picked.pools().get(0).nodeIds();
    if (added.isEmpty() && problems.isEmpty()) {
      problems.add(new FieldProblem("nodes", "required", "name at least one node to add"));
    }
    for (UUID id : added) {
      if (cluster.hasMember(id)) {
        problems.add(
            new FieldProblem(
                "nodes", "already-member", "node " + id + " is in the cluster already"));
      }
    }
    List<NodePoolSpec> pools = new ArrayList<>();
    Set<UUID> all = new LinkedHashSet<>();
    for (dev.easel.clusters.domain.cluster.Cluster.Pool p : cluster.pools()) {
      List<UUID> ids = new ArrayList<>();
      cluster.members().stream()
          .filter(m -> m.pool().equals(p.name()))
          .forEach(m -> ids.add(m.nodeId()));
      if (p.name().equals(target.name())) {
        ids.addAll(added);
      }
      all.addAll(ids);
      pools.add(
          new NodePoolSpec(
              p.name(),
              "control-plane".equals(p.role())
                  ? NodePoolSpec.Role.CONTROL_PLANE
                  : NodePoolSpec.Role.WORKER,
              p.allowWorkloads(),
              ids));
    }
    Map<UUID, KnownNode> known = nodes.find(all);
    Map<UUID, NodeFacts> facts = new LinkedHashMap<>();
    for (KnownNode n : known.values()) {
      NodeFacts f = facts(n);
      if (cluster.hasMember(n.id())) {
        // A member is taken already, by this cluster: it counts as free for this check.
        f =
            new NodeFacts(
                f.id(),
                f.hostname(),
                NodeFacts.READY,
                f.preflightPassed(),
                f.preflightReasons(),
                f.platform(),
                f.addresses(),
                f.disks());
      }
      facts.put(n.id(), f);
    }
    for (FieldProblem p : ClusterValidation.validate(cluster.config(), pools, facts)) {
      if (problems.stream().noneMatch(q -> q.message().equals(p.message()))) {
        problems.add(p);
      }
    }
    return new GrowthVerdict(List.copyOf(problems), added, known);
  }

  private PublishedProfile profile(ClusterRequest.ProfileRef ref, List<FieldProblem> problems) {
    if (ref == null || ref.name() == null || ref.version() == null) {
      problems.add(
          new FieldProblem(
              "profile", "required", "a published profile's name and version are required"));
      return null;
    }
    Optional<PublishedProfile> found = profiles.find(ref.name(), ref.version());
    if (found.isEmpty()) {
      problems.add(
          new FieldProblem(
              "profile.version",
              "profile-not-published",
              "profile " + ref.name() + " " + ref.version() + " is not published"));
      return null;
    }
    PublishedProfile p = found.get();
    if ("add-on".equals(p.type())) {
      problems.add(
          new FieldProblem(
              "profile",
              "add-on-profile",
              "an add-on profile cannot form a cluster on its own; choose a full or infra one"));
    }
    return p;
  }

  /** What the configuration checks need of a node, from this service's copy of it. */
  static NodeFacts facts(KnownNode n) {
    dev.easel.contracts.nodes.NodeFacts f = n.facts();
    if (f == null) {
      return new NodeFacts(
          n.id(),
          n.hostname(),
          n.stateName(),
          false,
          List.of("node-discovery has not reported this node's machine"),
          null,
          List.of(),
          List.of());
    }
    // A disk is named by its kernel path; the agent does not report its /dev/disk/by-id links.
    List<NodeFacts.Disk> disks = new ArrayList<>();
    for (dev.easel.contracts.nodes.NodeFacts.Disk d : f.disks()) {
      disks.add(new NodeFacts.Disk(d.path(), List.of(), d.sizeBytes(), d.osDisk()));
    }
    return new NodeFacts(
        n.id(),
        n.hostname(),
        n.stateName(),
        f.preflightPassed(),
        f.preflightFailures(),
        f.platform(),
        f.addresses(),
        disks);
  }
}
