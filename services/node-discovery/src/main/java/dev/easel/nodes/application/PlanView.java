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
   * @param secretFilePaths the paths of the step's secret files
   * @param secretFiles their contents, only in what the node's agent polls; null elsewhere
   * @param artifacts the files the step declared as artifacts, in the order declared, each with
   *     what was stored for it once its agent uploaded it
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
      Instant finishedAt,
      List<String> secretFilePaths,
      Map<String, String> secretFiles,
      List<ArtifactView> artifacts) {

    /** The same step with its secret files' contents, for its node's agent only. */
    public StepView withSecrets(Map<String, String> files) {
      return new StepView(
          id,
          name,
          command,
          action,
          args,
          timeoutSeconds,
          retries,
          state,
          attempt,
          exitCode,
          reason,
          output,
          finishedAt,
          secretFilePaths,
          files,
          artifacts);
    }

    /** The step without its secrets' contents. */
    @Override
    public String toString() {
      return "StepView[id=" + id + ", state=" + state + ", secretFiles=" + secretFilePaths + "]";
    }
  }

  /**
   * A file a step declared as an artifact. Until its agent has uploaded it, only {@code name} and
   * {@code path} are set.
   *
   * @param name its name: the file name, unique within the step
   * @param path where the step writes it on the node
   * @param digest {@code sha256:<hex>} of what was stored
   * @param location where the stored content is read: a {@code file:} URI on the artifact volume
   */
  public record ArtifactView(
      String name,
      String path,
      String digest,
      Long size,
      String mediaType,
      String location,
      Instant storedAt) {}

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
