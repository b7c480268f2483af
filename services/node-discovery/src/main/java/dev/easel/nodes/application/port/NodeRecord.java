package dev.easel.nodes.application.port;

import dev.easel.nodes.domain.Inventory;
import dev.easel.nodes.domain.Node;
import dev.easel.nodes.domain.Platform;
import java.util.Map;
import java.util.UUID;

/**
 * A node as it is stored: its state machine and what is kept beside it.
 *
 * @param id the node id, stable across re-registration of the same machine
 * @param machineId its identity ({@link dev.easel.nodes.domain.MachineIdentity})
 * @param node its lifecycle and reachability, as the domain decides them
 * @param platform where it runs
 * @param userLabels labels set by tokens and operators; derived labels are computed
 * @param inventory what its agent last reported
 * @param version raised by every change, for {@code ETag}/{@code If-Match}
 */
public record NodeRecord(
    UUID id,
    String machineId,
    String hostname,
    Node node,
    Platform platform,
    Map<String, String> userLabels,
    Inventory inventory,
    long version) {}
