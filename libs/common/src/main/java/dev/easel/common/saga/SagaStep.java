package dev.easel.common.saga;

import dev.easel.contracts.saga.CommandFailed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One step of a saga: an action, its compensation, what each reply and each named refusal does to
 * the saga's data, and how often and how long to try.
 *
 * @param refusalHandlers by the refusal's code, as participants send it in {@link CommandFailed}
 * @param undoRefused whether a step whose every command was refused is still undone: true for a
 *     participant whose refusal may come after it changed something (a plan that failed halfway on
 *     a node), false where a refusal means nothing changed
 */
public record SagaStep<D>(
    String name,
    Action<D> action,
    Action<D> compensation,
    Map<Class<?>, BiFunction<D, Object, D>> replyHandlers,
    Map<String, RefusalHandler<D>> refusalHandlers,
    RetryPolicy retry,
    Duration timeout,
    boolean undoRefused) {

  /** What a step does, or how it is undone. */
  public sealed interface Action<D> permits Remote, Local {}

  /** Sends commands to participants and waits for every reply. */
  public record Remote<D>(Function<D, List<SagaCommand>> commands) implements Action<D> {}

  /** Runs in the saga's own transaction; throwing fails the step. */
  public record Local<D>(UnaryOperator<D> body) implements Action<D> {}

  /** What a named refusal means to the saga: it reads the refusal and decides. */
  @FunctionalInterface
  public interface RefusalHandler<D> {
    Decision<D> decide(D data, CommandFailed refusal);
  }

  /** The saga's answer to a refusal, with its data as the handler left it. */
  public sealed interface Decision<D> permits Fail, Retry, Proceed {}

  /** The step fails and the saga compensates. */
  public record Fail<D>(D data) implements Decision<D> {}

  /** The command is sent again after the step's backoff, while its retry policy allows. */
  public record Retry<D>(D data) implements Decision<D> {}

  /** The refusal means the work is done already (a release of what was never held, say). */
  public record Proceed<D>(D data) implements Decision<D> {}

  public static <D> Decision<D> fail(D data) {
    return new Fail<>(data);
  }

  public static <D> Decision<D> retry(D data) {
    return new Retry<>(data);
  }

  public static <D> Decision<D> proceed(D data) {
    return new Proceed<>(data);
  }

  public boolean hasCompensation() {
    return compensation != null;
  }
}
