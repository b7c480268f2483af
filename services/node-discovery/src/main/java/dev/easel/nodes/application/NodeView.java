package dev.easel.nodes.application;

import dev.easel.nodes.domain.Inventory;
import dev.easel.nodes.domain.NodeState;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A node as operators see it.
 *
 * @param id the node id, stable across re-registration of the same machine
 * @param hostname its host name
 * @param state its state
 * @param reservationId the holding reservation, or null
 * @param reservationOwner who holds it, or null
 * @param clusterId its cluster, or null
 * @param platform baremetal, vsphere or maas
 * @param labels user labels and derived {@code easel.dev/} labels
 * @param inventory the last reported inventory
 * @param lastHeartbeatAt the last heartbeat, or null
 * @param registeredAt the first registration
 * @param version for {@code ETag}/{@code If-Match}
 */
public record NodeView(
    UUID id,
    String hostname,
    NodeState state,
    String reservationId,
    String reservationOwner,
    String clusterId,
    String platform,
    Map<String, String> labels,
    Inventory inventory,
    Instant lastHeartbeatAt,
    Instant registeredAt,
    long version) {}
