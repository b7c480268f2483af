package dev.easel.common.saga;

import dev.easel.contracts.saga.CommandFailed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A saga as a list of steps. It reads top to bottom:
 *
 * <pre>{@code
 * SagaDefinition.of("FormCluster", Formation.class)
 *     .step("reserve-nodes")
 *         .invoke(this::reserveNodes)
 *         .compensateWith(this::releaseNodes)
 *         .onReply(NodesReserved.class, Formation::reserved)
 *         .onRefusal("nodes-unavailable", Formation::nodesBusy)
 *         .retry(RetryPolicy.attempts(3))
 *         .timeout(Duration.ofSeconds(30))
 *     .step("record-cluster")
 *         .local(Formation::recorded)
 *     .build();
 * }</pre>
 *
 * A step that sends one command takes a method returning a {@link SagaCommand}; one that fans out
 * uses {@link Builder#invokeAll} with a list.
 */
public final class SagaDefinition<D> {

  private final String name;
  private final Class<D> dataType;
  private final List<SagaStep<D>> steps;

  private SagaDefinition(String name, Class<D> dataType, List<SagaStep<D>> steps) {
    this.name = name;
    this.dataType = dataType;
    this.steps = List.copyOf(steps);
  }

  public static <D> Builder<D> of(String name, Class<D> dataType) {
    return new Builder<>(name, dataType);
  }

  public String name() {
    return name;
  }

  public Class<D> dataType() {
    return dataType;
  }

  public List<SagaStep<D>> steps() {
    return steps;
  }

  public SagaStep<D> step(int index) {
    return steps.get(index);
  }

  /** Builds a definition one step at a time; each setter applies to the step named last. */
  public static final class Builder<D> {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Class<D> dataType;
    private final List<SagaStep<D>> steps = new ArrayList<>();
    private String stepName;
    private SagaStep.Action<D> action;
    private SagaStep.Action<D> compensation;
    private Map<Class<?>, BiFunction<D, Object, D>> replies = new LinkedHashMap<>();
    private Map<String, SagaStep.RefusalHandler<D>> refusals = new LinkedHashMap<>();
    private RetryPolicy retry = RetryPolicy.none();
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean undoRefused;

    private Builder(String name, Class<D> dataType) {
      this.name = Objects.requireNonNull(name, "name");
      this.dataType = Objects.requireNonNull(dataType, "dataType");
    }

    public Builder<D> step(String name) {
      finishStep();
      this.stepName = Objects.requireNonNull(name, "step name");
      return this;
    }

    /** The step sends this command and succeeds when it is answered with success. */
    public Builder<D> invoke(Function<D, SagaCommand> command) {
      Objects.requireNonNull(command, "command");
      return invokeAll(d -> List.of(command.apply(d)));
    }

    /** The step sends these commands and succeeds when every one is answered with success. */
    public Builder<D> invokeAll(Function<D, List<SagaCommand>> commands) {
      this.action = new SagaStep.Remote<>(Objects.requireNonNull(commands, "commands"));
      return this;
    }

    /** The step runs this in the saga's transaction. */
    public Builder<D> local(UnaryOperator<D> body) {
      this.action = new SagaStep.Local<>(body);
      return this;
    }

    /** Undoes the step by sending this command; it shares the action's request id. */
    public Builder<D> compensateWith(Function<D, SagaCommand> command) {
      Objects.requireNonNull(command, "command");
      return compensateWithAll(d -> List.of(command.apply(d)));
    }

    /** Undoes the step by sending these commands; they share the action's request id. */
    public Builder<D> compensateWithAll(Function<D, List<SagaCommand>> commands) {
      this.compensation = new SagaStep.Remote<>(Objects.requireNonNull(commands, "commands"));
      return this;
    }

    /** Undoes the step locally. */
    public Builder<D> compensateLocally(UnaryOperator<D> body) {
      this.compensation = new SagaStep.Local<>(body);
      return this;
    }

    /** What a success reply of this type does to the saga's data. */
    @SuppressWarnings("unchecked")
    public <R> Builder<D> onReply(Class<R> reply, BiFunction<D, R, D> handler) {
      replies.put(reply, (d, r) -> handler.apply(d, (R) r));
      return this;
    }

    /**
     * Binds a refusal code to a handler that records it in the saga's data; the step then fails and
     * the saga compensates. A refusal with no handler of its own does the same, or is retried when
     * the participant marked it retryable.
     */
    public Builder<D> onRefusal(String code, BiFunction<D, CommandFailed, D> record) {
      Objects.requireNonNull(record, "record");
      return decideOnRefusal(code, (d, r) -> SagaStep.fail(record.apply(d, r)));
    }

    /** Binds a refusal code to a handler that decides: fail, retry, or proceed as if done. */
    public Builder<D> decideOnRefusal(String code, SagaStep.RefusalHandler<D> handler) {
      refusals.put(
          Objects.requireNonNull(code, "code"), Objects.requireNonNull(handler, "handler"));
      return this;
    }

    public Builder<D> retry(RetryPolicy policy) {
      this.retry = Objects.requireNonNull(policy, "retry");
      return this;
    }

    /** How long one try may wait for its replies; an expired try counts as a failure. */
    public Builder<D> timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("a timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * The step is undone even when every command was refused: its participant may refuse after
     * changing something, as a plan that failed halfway through its steps has.
     */
    public Builder<D> undoEvenWhenRefused() {
      this.undoRefused = true;
      return this;
    }

    public SagaDefinition<D> build() {
      finishStep();
      if (steps.isEmpty()) {
        throw new IllegalStateException("saga " + name + " has no steps");
      }
      return new SagaDefinition<>(name, dataType, steps);
    }

    private void finishStep() {
      if (stepName == null) {
        return;
      }
      if (action == null) {
        throw new IllegalStateException("step " + stepName + " of saga " + name + " has no action");
      }
      if (!refusals.isEmpty() && !(action instanceof SagaStep.Remote<D>)) {
        throw new IllegalStateException(
            "step " + stepName + " of saga " + name + " is local; only commands are refused");
      }
      steps.add(
          new SagaStep<>(
              stepName,
              action,
              compensation,
              Map.copyOf(replies),
              Map.copyOf(refusals),
              retry,
              timeout,
              undoRefused));
      stepName = null;
      action = null;
      compensation = null;
      replies = new LinkedHashMap<>();
      refusals = new LinkedHashMap<>();
      retry = RetryPolicy.none();
      timeout = DEFAULT_TIMEOUT;
      undoRefused = false;
    }
  }
}
