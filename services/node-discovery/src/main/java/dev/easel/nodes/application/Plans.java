package dev.easel.nodes.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.common.saga.ParticipantReplies;
import dev.easel.common.saga.ParticipantReplies.Outcome;
import dev.easel.contracts.nodes.CancelPlan;
import dev.easel.contracts.nodes.PlanAccepted;
import dev.easel.contracts.nodes.PlanCancelled;
import dev.easel.contracts.nodes.PlanCompleted;
import dev.easel.contracts.nodes.PlanFailed;
import dev.easel.contracts.nodes.PlanFinished;
import dev.easel.contracts.nodes.PlanQueued;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.PlanStepFailed;
import dev.easel.contracts.nodes.PlanStepSucceeded;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.nodes.application.PlanView.Feed;
import dev.easel.nodes.application.PlanView.StepResult;
import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.application.port.NodeStore;
import dev.easel.nodes.application.port.PlanKey;
import dev.easel.nodes.application.port.PlanSignals;
import dev.easel.nodes.application.port.PlanStore;
import dev.easel.nodes.application.port.Sealer;
import dev.easel.nodes.domain.Node;
import dev.easel.nodes.domain.NodeState;
import dev.easel.nodes.domain.Plan;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Plans: queued by {@code RunPlan}, handed to the node's agent by long poll, advanced by the
 * agent's step results, ended by completion, failure or {@code CancelPlan}. Every change raises the
 * node's plan revision, which wakes the agent's poll, and is announced on {@code
 * easel.nodes.events}. {@link Plan} decides each change; this class loads, asks and stores.
 *
 * <p>Every change locks the node's row first, as every change that appends a node-keyed event does,
 * so that a node's events reach the outbox in the order they commit.
 */
@Service
public class Plans {

  /** How much of a step's output is kept; the agent sends at most this much too. */
  public static final int MAX_OUTPUT_CHARS = 16 * 1024;

  private final NodeStore nodes;
  private final PlanStore plans;
  private final Outbox outbox;
  private final PlanSignals signals;
  private final ParticipantReplies replies;
  private final Sealer sealer;
  private final OpeningSecrets arriving;
  private final Clock clock;

  public Plans(
      NodeStore nodes,
      PlanStore plans,
      Outbox outbox,
      PlanSignals signals,
      ParticipantReplies replies,
      Sealer sealer,
      PlanKey planKey,
      Clock clock) {
    this.nodes = nodes;
    this.plans = plans;
    this.outbox = outbox;
    this.signals = signals;
    this.replies = replies;
    this.sealer = sealer;
    this.arriving = new OpeningSecrets(planKey);
    this.clock = clock;
  }

  // ---- commands (inside the inbox transaction) ---------------------------------------------

  /**
   * Queues a plan; a retried RunPlan with the same plan id is answered as before. A RunPlan with
   * {@code replyWhenFinished} is answered when the plan finishes, through {@code replyTo}, which is
   * kept with the plan. Secret files arrive sealed to node-discovery's plan key and are opened
   * here, then sealed again for storage; one that does not open makes the plan invalid.
   */
  public Outcome run(RunPlan cmd, ParticipantReplies.ReplyAddress replyTo) {
    OpeningSecrets.Opened opened = arriving.open(cmd.planId(), cmd.steps());
    Plan.Creation creation = Plan.create(cmd.planId(), specs(opened.steps()));
    if (cmd.nodeId() == null || !opened.problems().isEmpty() || creation instanceof Plan.Invalid) {
      List<String> problems = new ArrayList<>();
      if (cmd.nodeId() == null) {
        problems.add("nodeId: required");
      }
      problems.addAll(opened.problems());
      if (creation instanceof Plan.Invalid invalid) {
        problems.addAll(invalid.problems());
      }
      return ParticipantReplies.refused(
          "invalid-plan",
          problems.size() + " problem(s) in the plan; nothing was queued",
          problems);
    }
    Plan.Created created = (Plan.Created) creation;
    boolean secrets = created.steps().stream().anyMatch(st -> !st.secretFiles().isEmpty());
    if (secrets && !sealer.available()) {
      return ParticipantReplies.refused(
          "secrets-unavailable",
          "the plan carries secret files, and node-discovery has no key to seal them"
              + " (easel.nodes.secret-key-file); nothing was queued",
          List.of());
    }
    Node node = nodes.lock(List.of(cmd.nodeId())).get(cmd.nodeId());
    if (node == null) {
      return ParticipantReplies.refused(
          "node-missing", "node " + cmd.nodeId() + " does not exist", List.of());
    }
    List<String> stepIds = created.steps().stream().map(Plan.StepSpec::id).toList();
    Optional<PlanStore.Head> existing = plans.head(cmd.planId());
    if (existing.isPresent()) {
      PlanStore.Head head = existing.get();
      if (head.state() == Plan.State.CANCELLED && head.stepIds().isEmpty()) {
        return ParticipantReplies.refused(
            "plan-cancelled",
            "plan " + cmd.planId() + " was cancelled before it arrived; it is not queued",
            List.of());
      }
      boolean same = cmd.nodeId().equals(head.nodeId()) && stepIds.equals(head.stepIds());
      if (!same) {
        return ParticipantReplies.refused(
            "plan-id-conflict",
            "plan id " + cmd.planId() + " is taken by a different plan",
            List.of());
      }
      if (!cmd.answersWhenFinished()) {
        return ParticipantReplies.succeeded(
            new PlanAccepted(cmd.planId(), cmd.nodeId(), stepIds.size()));
      }
      // Asked again to answer when finished: answer now if it has, else answer the latest ask.
      if (head.state().finished()) {
        return finishedOutcome(cmd.planId(), cmd.nodeId(), clock.instant());
      }
      plans.keepReplyAddress(cmd.planId(), replyTo);
      return ParticipantReplies.deferred();
    }
    if (node.state() == NodeState.DECOMMISSIONED) {
      return ParticipantReplies.refused(
          "node-decommissioned", "node " + cmd.nodeId() + " is decommissioned", List.of());
    }
    Instant now = clock.instant();
    plans.insert(cmd.nodeId(), cmd.planId(), cmd.owner(), created.steps(), now);
    plans.insertSecrets(cmd.planId(), seal(cmd.planId(), created.steps()));
    outbox.publishEvent(
        cmd.nodeId().toString(),
        new PlanQueued(cmd.nodeId(), cmd.planId(), cmd.owner(), stepIds, now));
    changed(cmd.nodeId(), now);
    if (cmd.answersWhenFinished()) {
      plans.keepReplyAddress(cmd.planId(), replyTo);
      return ParticipantReplies.deferred();
    }
    return ParticipantReplies.succeeded(
        new PlanAccepted(cmd.planId(), cmd.nodeId(), stepIds.size()));
  }

  /** Cancels a plan. Cancelling one that has not arrived yet keeps it from ever running. */
  public Outcome cancel(CancelPlan cmd) {
    if (cmd.planId() == null || cmd.planId().isBlank() || cmd.nodeId() == null) {
      return ParticipantReplies.refused(
          "invalid-plan", "a cancellation needs a plan id and a node id", List.of());
    }
    String reason = cmd.reason() == null ? "cancelled" : cmd.reason();
    Instant now = clock.instant();
    nodes.lock(List.of(cmd.nodeId()));
    Optional<PlanStore.Locked> locked = plans.lock(cmd.planId());
    if (locked.isEmpty()) {
      plans.insertCancelled(cmd.nodeId(), cmd.planId(), reason, now);
      outbox.publishEvent(
          cmd.nodeId().toString(), new PlanCancelled(cmd.nodeId(), cmd.planId(), reason, now));
      return ParticipantReplies.succeeded();
    }
    PlanStore.Locked plan = locked.get();
    if (!plan.nodeId().equals(cmd.nodeId())) {
      return ParticipantReplies.refused(
          "plan-id-conflict",
          "plan " + cmd.planId() + " belongs to node " + plan.nodeId() + ", not " + cmd.nodeId(),
          List.of());
    }
    cancelLocked(plan, reason, now);
    return ParticipantReplies.succeeded();
  }

  /** Cancels every unfinished plan of a node, whose row the caller has locked. */
  public void cancelAllFor(UUID nodeId, String reason) {
    Instant now = clock.instant();
    for (String planId : plans.unfinished(nodeId)) {
      plans.lock(planId).ifPresent(p -> cancelLocked(p, reason, now));
    }
  }

  private void cancelLocked(PlanStore.Locked plan, String reason, Instant now) {
    Plan after = plan.plan().cancel();
    if (after == plan.plan()) {
      return; // finished already: a cancellation changes nothing
    }
    plans.savePlan(plan.id(), after.state(), reason, now);
    outbox.publishEvent(
        plan.nodeId().toString(), new PlanCancelled(plan.nodeId(), plan.id(), reason, now));
    changed(plan.nodeId(), now);
    answerIfWaited(plan.id(), plan.nodeId(), now);
  }

  // ---- the agent's side ----------------------------------------------------------------------

  /** The node's unfinished plans in queue order, with the revision they are current for. */
  public Feed feed(UUID nodeId) {
    long revision = plans.revision(nodeId); // first: plans read after it are at least this current
    List<PlanView> views = new ArrayList<>();
    for (String id : plans.unfinished(nodeId)) {
      plans.view(id, false).map(this::withSecrets).ifPresent(views::add);
    }
    return new Feed(revision, views);
  }

  /** The node's current plan revision; 0 before its first plan. */
  public long revision(UUID nodeId) {
    return plans.revision(nodeId);
  }

  /** Records one attempt's result; a result reported twice changes nothing the second time. */
  @Transactional
  public PlanView report(UUID nodeId, String planId, String stepId, StepResult result) {
    if (result == null
        || result.attempt() == null
        || result.attempt() < 1
        || !("SUCCEEDED".equals(result.outcome()) || "FAILED".equals(result.outcome()))) {
      throw new RequestRefused(
          Kind.INVALID,
          "invalid-result",
          "a result needs attempt (1 or more) and outcome SUCCEEDED or FAILED");
    }
    nodes.lock(List.of(nodeId));
    PlanStore.Locked plan =
        plans
            .lock(planId)
            .filter(p -> p.nodeId().equals(nodeId))
            .orElseThrow(
                () ->
                    new RequestRefused(
                        Kind.NOT_FOUND, "not-found", "node " + nodeId + " has no plan " + planId));
    boolean succeeded = "SUCCEEDED".equals(result.outcome());
    Plan.Outcome outcome = plan.plan().report(stepId, result.attempt(), succeeded);
    if (outcome instanceof Plan.Refused r) {
      throw new RequestRefused(
          r.code().equals("step-not-found") ? Kind.NOT_FOUND : Kind.CONFLICT, r.code(), r.reason());
    }
    if (outcome instanceof Plan.Applied applied) {
      apply(plan, applied, result);
    }
    return plans.view(planId, true).orElseThrow();
  }

  private void apply(PlanStore.Locked plan, Plan.Applied applied, StepResult result) {
    Instant now = clock.instant();
    String output = tail(result.output());
    Plan.Step step = applied.step();
    String key = plan.nodeId().toString();
    plans.saveStep(
        plan.id(),
        step,
        result.exitCode(),
        output,
        result.reason(),
        step.state() == Plan.StepState.PENDING ? null : now);
    long duration = result.durationMs() == null ? 0 : result.durationMs();
    if (step.state() == Plan.StepState.SUCCEEDED) {
      outbox.publishEvent(
          key,
          new PlanStepSucceeded(
              plan.nodeId(),
              plan.id(),
              step.id(),
              step.attempt(),
              result.exitCode(),
              duration,
              now));
    } else {
      int attempt = applied.willRetry() ? step.attempt() - 1 : step.attempt();
      outbox.publishEvent(
          key,
          new PlanStepFailed(
              plan.nodeId(),
              plan.id(),
              step.id(),
              attempt,
              result.exitCode(),
              result.reason(),
              lastLines(output),
              applied.willRetry(),
              now));
    }
    Plan.State state = applied.to().state();
    if (state.finished()) {
      String reason =
          state == Plan.State.FAILED
              ? "step '"
                  + step.id()
                  + "' failed: "
                  + (result.reason() == null ? "exit code " + result.exitCode() : result.reason())
              : null;
      plans.savePlan(plan.id(), state, reason, now);
      outbox.publishEvent(
          key,
          state == Plan.State.COMPLETED
              ? new PlanCompleted(plan.nodeId(), plan.id(), now)
              : new PlanFailed(plan.nodeId(), plan.id(), step.id(), reason, now));
      answerIfWaited(plan.id(), plan.nodeId(), now);
    } else if (plan.plan().state() != state) {
      plans.savePlan(plan.id(), state, null, null);
    }
    changed(plan.nodeId(), now);
  }

  // ---- reads -----------------------------------------------------------------------------

  /** One plan with its steps; {@code withOutput} adds the steps' captured output. */
  public Optional<PlanView> find(String planId, boolean withOutput) {
    return plans.view(planId, withOutput);
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** The steps' secret files, each sealed and bound to its plan, step and path. */
  private List<PlanStore.SealedFile> seal(String planId, List<Plan.StepSpec> steps) {
    List<PlanStore.SealedFile> sealed = new ArrayList<>();
    for (Plan.StepSpec step : steps) {
      step.secretFiles()
          .forEach(
              (path, content) ->
                  sealed.add(
                      new PlanStore.SealedFile(
                          step.id(),
                          path,
                          sealer.seal(content, boundTo(planId, step.id(), path)))));
    }
    return sealed;
  }

  /** A plan as its node's agent polls it: with its steps' secret files opened. */
  private PlanView withSecrets(PlanView view) {
    if (view.steps().stream().allMatch(step -> step.secretFilePaths().isEmpty())) {
      return view; // no read for the plans that carry none, which is most of them
    }
    List<PlanStore.SealedFile> sealed = plans.secrets(view.planId());
    Map<String, Map<String, String>> byStep = new LinkedHashMap<>();
    for (PlanStore.SealedFile f : sealed) {
      byStep
          .computeIfAbsent(f.stepId(), k -> new LinkedHashMap<>())
          .put(f.path(), sealer.open(f.sealed(), boundTo(view.planId(), f.stepId(), f.path())));
    }
    List<PlanView.StepView> steps = new ArrayList<>();
    for (PlanView.StepView step : view.steps()) {
      Map<String, String> files = byStep.get(step.id());
      steps.add(files == null ? step : step.withSecrets(files));
    }
    return new PlanView(
        view.planId(),
        view.nodeId(),
        view.owner(),
        view.state(),
        view.reason(),
        view.queuedAt(),
        view.finishedAt(),
        steps);
  }

  private static String boundTo(String planId, String stepId, String path) {
    return planId + "/" + stepId + "/" + path;
  }

  /** Answers the RunPlan of a finished plan that asked to be answered then; nothing otherwise. */
  private void answerIfWaited(String planId, UUID nodeId, Instant now) {
    plans
        .replyAddress(planId)
        .ifPresent(to -> replies.answer(to, finishedOutcome(planId, nodeId, now)));
  }

  /**
   * What a finished plan answers: its steps' output when it completed, a refusal naming the failed
   * step and its last lines when it failed, a refusal when it was cancelled.
   */
  private Outcome finishedOutcome(String planId, UUID nodeId, Instant now) {
    PlanView view = plans.view(planId, true).orElseThrow();
    if (Plan.State.COMPLETED.name().equals(view.state())) {
      Map<String, String> outputs = new LinkedHashMap<>();
      for (PlanView.StepView step : view.steps()) {
        outputs.put(step.id(), step.output() == null ? "" : step.output());
      }
      Instant at = view.finishedAt() != null ? view.finishedAt() : now;
      return ParticipantReplies.succeeded(new PlanFinished(planId, nodeId, outputs, at));
    }
    if (Plan.State.CANCELLED.name().equals(view.state())) {
      return ParticipantReplies.refused(
          "plan-cancelled", "plan " + planId + " was cancelled: " + view.reason(), List.of());
    }
    List<String> details = new ArrayList<>();
    details.add("node: " + nodeId);
    for (PlanView.StepView step : view.steps()) {
      if (Plan.StepState.FAILED.name().equals(step.state())) {
        details.add("step: " + step.id());
        if (step.output() != null) {
          details.add(lastLines(step.output()));
        }
      }
    }
    return ParticipantReplies.refused(
        "plan-failed", "plan " + planId + " failed: " + view.reason(), details);
  }

  private void changed(UUID nodeId, Instant now) {
    plans.bumpRevision(nodeId, now);
    signals.changedAfterCommit(nodeId);
  }

  private static List<Plan.StepSpec> specs(List<PlanStep> steps) {
    if (steps == null) {
      return null;
    }
    List<Plan.StepSpec> specs = new ArrayList<>(steps.size());
    for (PlanStep s : steps) {
      specs.add(
          s == null
              ? null
              : new Plan.StepSpec(
                  s.id(),
                  s.name(),
                  s.command(),
                  s.action(),
                  s.args(),
                  s.timeoutOrDefault(),
                  s.retriesOrDefault(),
                  s.secretFiles(),
                  s.artifacts()));
    }
    return specs;
  }

  private static String tail(String output) {
    if (output == null || output.length() <= MAX_OUTPUT_CHARS) {
      return output;
    }
    return output.substring(output.length() - MAX_OUTPUT_CHARS);
  }

  /** The last few lines, for an event; the whole tail stays readable through the API. */
  private static String lastLines(String output) {
    if (output == null) {
      return null;
    }
    int from = output.length();
    for (int lines = 0; lines < 10 && from > 1; lines++) {
      from = output.lastIndexOf('\n', from - 2) + 1;
    }
    return output.substring(Math.max(from, output.length() - 2048));
  }
}
