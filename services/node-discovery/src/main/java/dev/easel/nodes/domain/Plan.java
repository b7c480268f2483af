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

  /** Plan and step ids: they travel in URL paths, so they keep to URL-safe characters. */
  public static final String ID_PATTERN = "[A-Za-z0-9._-]{1,128}";

  public static final int MAX_STEPS = 100;
  public static final int MAX_RETRIES = 10;
  public static final int MAX_TIMEOUT_SECONDS = 24 * 3600;
  public static final int MAX_COMMAND_CHARS = 64 * 1024;
  public static final int MAX_ARGS = 32;
  public static final int MAX_ARG_CHARS = 64 * 1024;

  /** Built-in actions every agent knows. */
  public static final java.util.Set<String> ACTIONS =
      java.util.Set.of("report-inventory", "sleep", "write-file");

  /**
   * A step as a plan's sender asks for it.
   *
   * @param timeoutSeconds one attempt's limit
   * @param retries more attempts after a failure
   * @param artifacts absolute paths of files the step writes, which its agent uploads before it
   *     reports success
   */
  public record StepSpec(
      String id,
      String name,
      String command,
      String action,
      java.util.Map<String, String> args,
      int timeoutSeconds,
      int retries,
      java.util.Map<String, String> secretFiles,
      List<String> artifacts) {

    public StepSpec {
      secretFiles = secretFiles == null ? java.util.Map.of() : java.util.Map.copyOf(secretFiles);
      artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    /** A step that leaves no artifacts. */
    public StepSpec(
        String id,
        String name,
        String command,
        String action,
        java.util.Map<String, String> args,
        int timeoutSeconds,
        int retries,
        java.util.Map<String, String> secretFiles) {
      this(id, name, command, action, args, timeoutSeconds, retries, secretFiles, List.of());
    }

    /** The step without its secrets' contents. */
    @Override
    public String toString() {
      return "StepSpec[id="
          + id
          + ", command="
          + command
          + ", action="
          + action
          + ", secretFiles="
          + secretFiles.keySet()
          + ", artifacts="
          + artifacts
          + "]";
    }
  }

  /** A step may carry at most this many secret files. */
  public static final int MAX_SECRET_FILES = 8;

  /** A secret file holds at most this many characters. */
  public static final int MAX_SECRET_CHARS = 64 * 1024;

  /** A step declares at most this many artifacts. */
  public static final int MAX_ARTIFACTS = 16;

  /** Secret files and artifacts: plain absolute paths, nothing a shell or a URL would expand. */
  private static final String SECRET_PATH = "/[A-Za-z0-9._/-]{1,255}";

  /** What asking for a plan gave. */
  public sealed interface Creation permits Created, Invalid {}

  /** A plan, queued, with the steps it runs. */
  public record Created(Plan plan, List<StepSpec> steps) implements Creation {}

  /** Not a plan that can run; one line per problem, each naming its field. */
  public record Invalid(List<String> problems) implements Creation {}

  private final State state;
  private final List<Step> steps;

  /**
   * A new plan, if its id and steps are valid: ids are URL-safe and unique, each step has either a
   * command or a known action, and the limits hold. A step id with a space, say, could be queued
   * but never reported on, and the plan would hang.
   */
  public static Creation create(String planId, List<StepSpec> specs) {
    List<String> p = new ArrayList<>();
    if (planId == null || !planId.matches(ID_PATTERN)) {
      p.add("planId: 1 to 128 of A-Z a-z 0-9 . _ -");
    }
    if (specs == null || specs.isEmpty() || specs.size() > MAX_STEPS) {
      p.add("steps: 1 to " + MAX_STEPS + " steps");
      return new Invalid(p);
    }
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < specs.size(); i++) {
      StepSpec s = specs.get(i);
      String at = "steps[" + i + "]";
      if (s == null) {
        p.add(at + ": null");
        continue;
      }
      if (s.id() == null || !s.id().matches(ID_PATTERN)) {
        p.add(at + ".id: 1 to 128 of A-Z a-z 0-9 . _ -");
      } else if (!ids.add(s.id())) {
        p.add(at + ".id: '" + s.id() + "' is used twice");
      }
      boolean hasCommand = s.command() != null && !s.command().isBlank();
      boolean hasAction = s.action() != null && !s.action().isBlank();
      if (hasCommand == hasAction) {
        p.add(at + ": give either a command or an action");
      } else if (hasAction && !ACTIONS.contains(s.action())) {
        p.add(
            at + ".action: '" + s.action() + "' is not one of " + new java.util.TreeSet<>(ACTIONS));
      } else if (hasCommand && s.command().length() > MAX_COMMAND_CHARS) {
        p.add(at + ".command: at most " + MAX_COMMAND_CHARS + " characters");
      }
      if (s.args() != null
          && (s.args().size() > MAX_ARGS
              || s.args().entrySet().stream()
                  .anyMatch(
                      e ->
                          e.getKey() == null
                              || e.getKey().length() > 128
                              || (e.getValue() != null
                                  && e.getValue().length() > MAX_ARG_CHARS)))) {
        p.add(at + ".args: at most " + MAX_ARGS + " arguments of " + MAX_ARG_CHARS + " characters");
      }
      if (s.secretFiles().size() > MAX_SECRET_FILES) {
        p.add(at + ".secretFiles: at most " + MAX_SECRET_FILES + " files");
      }
      for (java.util.Map.Entry<String, String> f : s.secretFiles().entrySet()) {
        String path = f.getKey();
        if (!plainAbsolutePath(path)) {
          p.add(at + ".secretFiles: '" + path + "' is not a plain absolute file path");
        } else if (f.getValue() == null || f.getValue().length() > MAX_SECRET_CHARS) {
          p.add(at + ".secretFiles." + path + ": 0 to " + MAX_SECRET_CHARS + " characters");
        }
      }
      if (s.artifacts().size() > MAX_ARTIFACTS) {
        p.add(at + ".artifacts: at most " + MAX_ARTIFACTS + " files");
      }
      java.util.Set<String> names = new java.util.HashSet<>();
      for (String path : s.artifacts()) {
        if (!plainAbsolutePath(path)) {
          p.add(at + ".artifacts: '" + path + "' is not a plain absolute file path");
        } else if (!names.add(artifactName(path))) {
          // Uploads are named by the file name alone, so two files of one name would collide.
          p.add(at + ".artifacts: more than one file is named '" + artifactName(path) + "'");
        }
      }
      if (s.timeoutSeconds() < 1 || s.timeoutSeconds() > MAX_TIMEOUT_SECONDS) {
        p.add(at + ".timeoutSeconds: 1 to " + MAX_TIMEOUT_SECONDS);
      }
      if (s.retries() < 0 || s.retries() > MAX_RETRIES) {
        p.add(at + ".retries: 0 to " + MAX_RETRIES);
      }
    }
    if (!p.isEmpty()) {
      return new Invalid(p);
    }
    List<Step> steps = new ArrayList<>();
    for (StepSpec s : specs) {
      steps.add(new Step(s.id(), s.retries(), StepState.PENDING, 1));
    }
    return new Created(new Plan(State.QUEUED, steps), List.copyOf(specs));
  }

  /** Whether a path is absolute and plain: no {@code .} or {@code ..} segment, no empty one. */
  private static boolean plainAbsolutePath(String path) {
    return path != null
        && path.matches(SECRET_PATH)
        && !path.endsWith("/")
        && !("/" + path + "/").contains("/../")
        && !("/" + path + "/").contains("/./")
        && !path.contains("//");
  }

  /** The name an artifact is uploaded and listed under: its file name. */
  public static String artifactName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

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

  /**
   * Whether the step is the one its node's agent runs now, the only step whose artifacts are taken:
   * the plan has not finished, and the step is its first unfinished one.
   *
   * @return empty when it is; else why not, as a result for it would be refused
   */
  public java.util.Optional<Refused> running(String stepId) {
    int at = indexOf(stepId);
    if (at < 0) {
      return java.util.Optional.of(
          new Refused("step-not-found", "the plan has no step '" + stepId + "'"));
    }
    if (state == State.CANCELLED) {
      return java.util.Optional.of(
          new Refused("plan-cancelled", "the plan was cancelled; stop running it"));
    }
    if (state.finished()) {
      return java.util.Optional.of(
          new Refused("plan-finished", "the plan already finished as " + state));
    }
    Step step = steps.get(at);
    if (step.state() != StepState.PENDING) {
      return java.util.Optional.of(
          new Refused(
              "step-finished", "step '" + stepId + "' already finished as " + step.state()));
    }
    int current = firstPending();
    if (current != at) {
      return java.util.Optional.of(
          new Refused(
              "step-not-running",
              "step '" + steps.get(current).id() + "' runs before step '" + stepId + "'"));
    }
    return java.util.Optional.empty();
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
