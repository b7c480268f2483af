package dev.easel.common.saga;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One step of a saga: an action, its compensation, what each reply does to the saga's data, and how
 * often and how long to try.
 */
public record SagaStep<D>(
    String name,
    Action<D> action,
    Action<D> compensation,
    Map<Class<?>, BiFunction<D, Object, D>> replyHandlers,
    RetryPolicy retry,
    Duration timeout) {

  /** What a step does, or how it is undone. */
  public sealed interface Action<D> permits Remote, Local {}

  /** Sends commands to participants and waits for every reply. */
  public record Remote<D>(Function<D, List<SagaCommand>> commands) implements Action<D> {}

  /** Runs in the saga's own transaction; throwing fails the step. */
  public record Local<D>(UnaryOperator<D> body) implements Action<D> {}

  public boolean hasCompensation() {
    return compensation != null;
  }
}
