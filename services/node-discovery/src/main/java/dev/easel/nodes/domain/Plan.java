package dev.easel.nodes.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * A plan on its way through a node's agent, as a state machine over its steps.
 *
 * <pre>
 *   QUEUED ── first result ──> RUNNING ── last step succeeds ──> COMPLETED
 *   QUEUED | RUNNING ── a step fails with no retries left ──> FAILED (later steps SKIPPED)
 *   QUEUED | RUNNING ── cancel ──> CANCELLED (unfinished steps SKIPPED)
 * </pre>
 *
 * <p>Steps run in order, one attempt at a time. A result names its step and attempt, so a result
 * reported twice is recognised as a duplicate and changes nothing, and a finished step is never
 * handed out again.
 */
public final class Plan {

  /** Where the plan is. */
  public enum State {
    QUEUED,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean finished() {
      return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
  }

  /** Where a step is. */
  public enum StepState {
    PENDING,
    SUCCEEDED,
    FAILED,
    SKIPPED
  }

  /**
   * A step as the plan tracks it.
   *
   * @param attempt the attempt that runs next, or that finished the step
   */
  public record Step(String id, int retries, StepState state, int attempt) {}

  /** What a reported result did. */
  public sealed interface Outcome permits Applied, Duplicate, Refused {}

  /**
   * The result was recorded.
   *
   * @param willRetry the step failed and another attempt follows
   */
  public record Applied(Plan to, Step step, boolean willRetry) implements Outcome {}

  /** The same result was recorded before; nothing changes. */
  public record Duplicate(Plan plan) implements Outcome {}

  /** The result does not fit the plan; nothing changes. */
  public record Refused(String code, String reason) implements Outcome {}

  private final State state;
  private final List<Step> steps;

  public Plan(State state, List<Step> steps) {
    this.state = state;
    this.steps = List.copyOf(steps);
  }

  public State state() {
    return state;
  }

  public List<Step> steps() {
    return steps;
  }

  /** Records one attempt's result for a step. */
  public Outcome report(String stepId, int attempt, boolean succeeded) {
    int at = indexOf(stepId);
    if (at < 0) {
      return new Refused("step-not-found", "the plan has no step '" + stepId + "'");
    }
    Step step = steps.get(at);
    if (step.state() == StepState.SUCCEEDED || step.state() == StepState.FAILED) {
      boolean same =
          step.attempt() == attempt && (step.state() == StepState.SUCCEEDED) == succeeded;
      return same
          ? new Duplicate(this)
          : new Refused(
              "step-finished",
              "step '"
                  + stepId
                  + "' already finished as "
                  + step.state()
                  + " on attempt "
                  + step.attempt()
                  + "; it does not run again");
    }
    if (state == State.CANCELLED) {
      return new Refused("plan-cancelled", "the plan was cancelled; stop running it");
    }
    if (state.finished()) {
      return new Refused("plan-finished", "the plan already finished as " + state);
    }
    if (attempt < step.attempt()) {
      return new Duplicate(this); // an earlier failed attempt, recorded already
    }
    if (attempt > step.attempt()) {
      return new Refused(
          "attempt-out-of-order",
          "step '" + stepId + "' is on attempt " + step.attempt() + ", not " + attempt);
    }
    int current = firstPending();
    if (current != at) {
      return new Refused(
          "step-out-of-order",
          "step '" + steps.get(current).id() + "' runs before step '" + stepId + "'");
    }
    List<Step> next = new ArrayList<>(steps);
    if (succeeded) {
      Step done = new Step(step.id(), step.retries(), StepState.SUCCEEDED, attempt);
      next.set(at, done);
      State after = at == steps.size() - 1 ? State.COMPLETED : State.RUNNING;
      return new Applied(new Plan(after, next), done, false);
    }
    if (attempt <= step.retries()) {
      Step again = new Step(step.id(), step.retries(), StepState.PENDING, attempt + 1);
      next.set(at, again);
      return new Applied(new Plan(State.RUNNING, next), again, true);
    }
    Step failed = new Step(step.id(), step.retries(), StepState.FAILED, attempt);
    next.set(at, failed);
    skipFrom(next, at + 1);
    return new Applied(new Plan(State.FAILED, next), failed, false);
  }

  /** Cancels an unfinished plan; a finished one stays as it is. */
  public Plan cancel() {
    if (state.finished()) {
      return this;
    }
    List<Step> next = new ArrayList<>(steps);
    skipFrom(next, 0);
    return new Plan(State.CANCELLED, next);
  }

  private static void skipFrom(List<Step> steps, int from) {
    for (int i = from; i < steps.size(); i++) {
      Step s = steps.get(i);
      if (s.state() == StepState.PENDING) {
        steps.set(i, new Step(s.id(), s.retries(), StepState.SKIPPED, s.attempt()));
      }
    }
  }

  private int indexOf(String stepId) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).id().equals(stepId)) {
        return i;
      }
    }
    return -1;
  }

  private int firstPending() {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).state() == StepState.PENDING) {
        return i;
      }
    }
    return -1;
  }
}
