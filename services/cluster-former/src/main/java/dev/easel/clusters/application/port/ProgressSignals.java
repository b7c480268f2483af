package dev.easel.clusters.application.port;

import java.util.UUID;

/** Wakes whoever follows a cluster's timeline, once what changed it has committed. */
public interface ProgressSignals {

  void changedAfterCommit(UUID clusterId);
}
