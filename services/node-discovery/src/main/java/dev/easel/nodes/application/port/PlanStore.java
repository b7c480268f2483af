package dev.easel.nodes.application.port;

import dev.easel.common.saga.ParticipantReplies;
import dev.easel.nodes.application.PlanView;
import dev.easel.nodes.domain.Plan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Where plans, their steps and each node's plan revision are kept. */
public interface PlanStore {

  /** What is known of a plan id without locking: its node, state and step ids (null if none). */
  Optional<Head> head(String planId);

  record Head(UUID nodeId, Plan.State state, List<String> stepIds) {}

  void insert(UUID nodeId, String planId, String owner, List<Plan.StepSpec> steps, Instant at);

  /** One secret file of a step, sealed. */
  record SealedFile(String stepId, String path, byte[] sealed) {}

  void insertSecrets(String planId, List<SealedFile> files);

  /** The plan's sealed secret files, in step order. */
  List<SealedFile> secrets(String planId);

  /** Keeps where the answer to the plan's RunPlan goes when the plan finishes. */
  void keepReplyAddress(String planId, ParticipantReplies.ReplyAddress address);

  /** Where the answer to the plan's RunPlan goes when it finishes, if it is to be answered then. */
  Optional<ParticipantReplies.ReplyAddress> replyAddress(String planId);

  /** A plan that was cancelled before it arrived: it has no steps, and never runs. */
  void insertCancelled(UUID nodeId, String planId, String reason, Instant at);

  /** A plan with its steps' states, locked. */
  Optional<Locked> lock(String planId);

  record Locked(String id, UUID nodeId, Plan plan) {}

  /** A step's result: its state and attempt as the plan decided, and what the agent reported. */
  void saveStep(
      String planId,
      Plan.Step step,
      Integer exitCode,
      String output,
      String reason,
      Instant finishedAt);

  /**
   * The plan's state as the domain decided it. When it has finished, its unfinished steps are
   * skipped and its secret files forgotten: no agent needs them again.
   */
  void savePlan(String planId, Plan.State state, String reason, Instant finishedAt);

  /** Raises the node's plan revision, which wakes its agent's long poll. */
  void bumpRevision(UUID nodeId, Instant at);

  /** The node's current plan revision; 0 before its first plan. */
  long revision(UUID nodeId);

  /** The revisions changed since a moment, by node: how other instances' changes are seen. */
  Map<UUID, Long> revisionsChangedSince(Instant since);

  /** The node's unfinished plans, in queue order. */
  List<String> unfinished(UUID nodeId);

  /** A plan as agents and operators read it. */
  Optional<PlanView> view(String planId, boolean withOutput);

  /** The artifact paths a step declared, in order; empty for a step with none, or no step. */
  List<String> artifactPaths(String planId, String stepId);

  /**
   * An artifact of a step, as stored.
   *
   * @param digest {@code sha256:<hex>}
   */
  record StoredArtifact(
      String stepId,
      String name,
      String digest,
      long size,
      String mediaType,
      String location,
      Instant storedAt) {}

  /** The step's stored artifact of that name, if it has been uploaded. */
  Optional<StoredArtifact> artifact(String planId, String stepId, String name);

  /**
   * Records a stored artifact.
   *
   * @return false, changing nothing, when the step has an artifact of that name already
   */
  boolean insertArtifact(String planId, StoredArtifact artifact);
}
