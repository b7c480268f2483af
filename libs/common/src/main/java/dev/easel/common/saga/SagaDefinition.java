package dev.easel.common.saga;

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
 * SagaDefinition.of("FormCluster", FormCluster.class)
 *     .step("reserve-nodes")
 *         .invoke(d -> List.of(SagaCommand.to("nodes", d.id(), new ReserveNodes(...))))
 *         .compensateWith(d -> List.of(SagaCommand.to("nodes", d.id(), new ReleaseNodes(...))))
 *         .onReply(NodesReserved.class, FormCluster::withNodes)
 *         .retry(RetryPolicy.attempts(3))
 *         .timeout(Duration.ofSeconds(30))
 *     .step("record-cluster")
 *         .local(FormCluster::recorded)
 *     .build();
 * }</pre>
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
    private RetryPolicy retry = RetryPolicy.none();
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder(String name, Class<D> dataType) {
      this.name = Objects.requireNonNull(name, "name");
      this.dataType = Objects.requireNonNull(dataType, "dataType");
    }

    public Builder<D> step(String name) {
      finishStep();
      this.stepName = Objects.requireNonNull(name, "step name");
      return this;
    }

    /** The step sends these commands and succeeds when every one is answered with success. */
    public Builder<D> invoke(Function<D, List<SagaCommand>> commands) {
      this.action = new SagaStep.Remote<>(commands);
      return this;
    }

    /** The step runs this in the saga's transaction. */
    public Builder<D> local(UnaryOperator<D> body) {
      this.action = new SagaStep.Local<>(body);
      return this;
    }

    /** Undoes the step by sending these commands; they share the action's request id. */
    public Builder<D> compensateWith(Function<D, List<SagaCommand>> commands) {
      this.compensation = new SagaStep.Remote<>(commands);
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
      steps.add(
          new SagaStep<>(stepName, action, compensation, Map.copyOf(replies), retry, timeout));
      stepName = null;
      action = null;
      compensation = null;
      replies = new LinkedHashMap<>();
      retry = RetryPolicy.none();
      timeout = DEFAULT_TIMEOUT;
    }
  }
}
