package dev.easel.nodes.application;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A plan as agents and operators read it. */
public record PlanView(
    String planId,
    UUID nodeId,
    String owner,
    String state,
    String reason,
    Instant queuedAt,
    Instant finishedAt,
    List<StepView> steps) {

  /**
   * A step; {@code output} is the captured tail, left out of what agents poll.
   *
   * @param attempt the attempt that runs next, or that finished the step
   */
  public record StepView(
      String id,
      String name,
      String command,
      String action,
      Map<String, String> args,
      int timeoutSeconds,
      int retries,
      String state,
      int attempt,
      Integer exitCode,
      String reason,
      String output,
      Instant finishedAt) {}

  /**
   * What a node's agent sees: the plans it should run, in order, and the revision to wait beyond.
   */
  public record Feed(long revision, List<PlanView> plans) {}

  /** One attempt's result, as an agent reports it. */
  public record StepResult(
      Integer attempt,
      String outcome,
      Integer exitCode,
      String reason,
      String output,
      Long durationMs) {}
}
