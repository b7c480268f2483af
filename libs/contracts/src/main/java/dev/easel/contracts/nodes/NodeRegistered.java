package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A machine registered for the first time, or again (after a reboot or reinstall) keeping its node
 * id.
 *
 * @param nodeId the node id
 * @param machineIdentity {@code smbios:<uuid>} or {@code machine-id:<id>}
 * @param hostname the host name the agent reported
 * @param platform baremetal, vsphere or maas
 * @param labels user labels and derived {@code easel.dev/} labels
 * @param reregistered whether the machine was known before
 * @param tokenId the registration token used
 * @param facts the machine's facts for placing work on it
 * @param at when
 */
@Contract(
    value = "dev.easel.nodes.NodeRegistered.v1",
    kind = Contract.Kind.EVENT,
    description = "A machine registered, or registered again keeping its node id.")
public record NodeRegistered(
    UUID nodeId,
    String machineIdentity,
    String hostname,
    String platform,
    Map<String, String> labels,
    boolean reregistered,
    UUID tokenId,
    NodeFacts facts,
    Instant at) {}
