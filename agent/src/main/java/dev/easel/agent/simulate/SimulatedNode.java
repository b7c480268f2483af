package dev.easel.agent.simulate;

import dev.easel.agent.server.ServerApi;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * One simulated machine: a stable identity and, once registered, its node id and credential. Public
 * for {@link SimulatedOutputs}, which reads who the machine is; only the simulator changes it.
 */
public final class SimulatedNode {

  /**
   * What the state dir keeps, so a restarted simulator brings back the same machines.
   *
   * @param nodeId null until registered
   */
  record Identity(
      int index,
      String profile,
      String hostname,
      String machineId,
      UUID smbiosUuid,
      UUID nodeId,
      String credential) {

    Identity registered(UUID node, String newCredential) {
      return new Identity(index, profile, hostname, machineId, smbiosUuid, node, newCredential);
    }
  }

  volatile Identity identity;
  volatile long lastHeartbeatAckMillis;
  volatile ScheduledFuture<?> heartbeat;
  volatile boolean polling;

  /** Powered off: no heartbeats, no plan polls, until resumed. */
  volatile boolean silenced;

  /** The host name the last cloud-config handed to this machine gives it; null before one. */
  volatile String configuredHostname;

  /** Results of steps finished here, so a step handed out again is reported, not re-run. */
  final Map<String, ServerApi.StepResult> finished = new ConcurrentHashMap<>();

  SimulatedNode(Identity identity) {
    this.identity = identity;
  }

  /** The node's id; null until it registered. */
  public UUID nodeId() {
    return identity.nodeId();
  }

  /** Its position in the simulated fleet, from 0; stable across restarts of the simulator. */
  public int index() {
    return identity.index();
  }

  /** The kind of machine it is, such as {@code vsphere-vm}. */
  public String profile() {
    return identity.profile();
  }

  /** The host name it goes by: the one its cluster config gave it, else its simulated one. */
  public String hostname() {
    String configured = configuredHostname;
    return configured != null ? configured : identity.hostname();
  }
}
