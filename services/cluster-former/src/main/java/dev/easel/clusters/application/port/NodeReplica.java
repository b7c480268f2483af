package dev.easel.clusters.application.port;

import dev.easel.clusters.domain.KnownNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** cluster-former's copy of the nodes, kept from node-discovery's events. */
public interface NodeReplica {

  /** The node, its row locked until the transaction ends. */
  Optional<KnownNode> lock(UUID id);

  void save(KnownNode node);

  Map<UUID, KnownNode> find(Collection<UUID> ids);

  /** Free nodes (not held, heartbeating), in host name order. */
  List<KnownNode> free();
}
