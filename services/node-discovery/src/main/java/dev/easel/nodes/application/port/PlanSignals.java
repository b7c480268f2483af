package dev.easel.nodes.application.port;

import java.util.UUID;
import java.util.function.LongConsumer;

/** Wakes agents' long polls when their node's plans change. */
public interface PlanSignals {

  /** After the current transaction commits, wakes the node's waiting polls. */
  void changedAfterCommit(UUID nodeId);

  /**
   * Waits for the node's plans to pass revision {@code since}.
   *
   * @return a handle that stops waiting
   */
  Runnable await(UUID nodeId, long since, LongConsumer wake);
}
