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

  public Validating(NodeReplica nodes, ProfileReplica profiles) {
    this.nodes = nodes;
    this.profiles = profiles;
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
