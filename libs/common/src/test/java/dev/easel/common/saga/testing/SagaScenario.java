package dev.easel.common.saga.testing;

import dev.easel.common.saga.SagaCommand;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.common.saga.SagaSnapshot;
import dev.easel.common.saga.SagaStatus;
import dev.easel.common.saga.SagaTransitions;
import dev.easel.common.saga.Transition;
import dev.easel.contracts.saga.CommandFailed;
import dev.easel.contracts.saga.CommandSucceeded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A saga definition run step by step with no broker and no database: the test plays every
 * participant and the clock.
 *
 * <pre>{@code
 * SagaScenario.given(formation, data)
 *     .expectCommand(ReserveNodes.class).to("nodes")
 *     .replyRefused("nodes-unavailable")
 *     .expectCommand(ReleaseNodes.class)
 *     .replySucceeded()
 *     .expectStatus(SagaStatus.COMPENSATED);
 * }</pre>
 *
 * Commands are examined in the order the saga sent them; a reply answers the command examined last.
 * Each transition is applied on top of the previous one exactly as the engine would apply it, and
 * the saga's data travels through JSON as it does when it is stored.
 */
public final class SagaScenario<D> {

  private final SagaDefinition<D> definition;
  private final SagaTransitions transitions;
  private final ObjectMapper json;
  private final Deque<Transition.Command> unexamined = new ArrayDeque<>();
  private final List<Transition.Command> sent = new ArrayList<>();
  private final List<Object> events = new ArrayList<>();
  private SagaSnapshot saga;
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private Transition.Command current;
  private int nextId;

  private SagaScenario(SagaDefinition<D> definition, ObjectMapper json) {
    this.definition = definition;
    this.json = json;
    this.transitions = new SagaTransitions(json, this::nextMessageId);
  }

  /** Starts the saga with this data. */
  public static <D> SagaScenario<D> given(SagaDefinition<D> definition, D data) {
    return given(definition, data, JsonMapper.builder().build());
  }

  /** Starts the saga, with the mapper the service stores saga data with. */
  public static <D> SagaScenario<D> given(SagaDefinition<D> definition, D data, ObjectMapper json) {
    SagaScenario<D> s = new SagaScenario<>(definition, json);
    s.apply(
        s.transitions.start(
            definition,
            data,
            UUID.nameUUIDFromBytes(definition.name().getBytes()),
            s.now,
            "correlation",
            "tester",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    return s;
  }

  // ---- commands ------------------------------------------------------------------------------

  /** The next command the saga sent, not yet examined, is of this type. */
  public <T> SagaScenario<D> expectCommand(Class<T> type) {
    return expectCommand(type, c -> true);
  }

  /** The next command the saga sent is of this type and meets the condition. */
  public <T> SagaScenario<D> expectCommand(Class<T> type, Predicate<T> condition) {
    if (unexamined.isEmpty()) {
      throw new AssertionError(
          "expected the saga to send "
              + type.getSimpleName()
              + ", but it sent nothing more; it is "
              + describe());
    }
    Transition.Command next = unexamined.poll();
    Object command = next.command().command();
    if (!type.isInstance(command)) {
      throw new AssertionError(
          "expected "
              + type.getSimpleName()
              + ", but the saga sent "
              + command
              + "; "
              + describe());
    }
    if (!condition.test(type.cast(command))) {
      throw new AssertionError("the saga sent " + command + ", which fails the condition");
    }
    current = next;
    return this;
  }

  /** The command examined last goes to this context's command topic. */
  public SagaScenario<D> to(String context) {
    if (!requireCurrent().command().context().equals(context)) {
      throw new AssertionError(
          "expected the command to go to '"
              + context
              + "', but it goes to '"
              + current.command().context()
              + "'");
    }
    return this;
  }

  /** The saga sends nothing it has not been examined for. */
  public SagaScenario<D> expectNoMoreCommands() {
    if (!unexamined.isEmpty()) {
      throw new AssertionError(
          "expected no more commands, but the saga also sent "
              + unexamined.stream().map(c -> c.command().command()).toList());
    }
    return this;
  }

  /** Every command sent so far, in order, retries included. */
  public List<SagaCommand> sent() {
    return sent.stream().map(Transition.Command::command).toList();
  }

  // ---- replies -------------------------------------------------------------------------------

  /** The participant did it, with a plain success reply. */
  public SagaScenario<D> replySucceeded() {
    return reply(new CommandSucceeded(requireCurrent().requestId(), Map.of()));
  }

  /** The participant did it, with this typed reply. */
  public SagaScenario<D> reply(Object reply) {
    Transition.Command answered = requireCurrent();
    Optional<Transition> t =
        transitions.onReply(definition, saga, answered.messageId().toString(), reply, now);
    t.ifPresent(this::apply);
    return this;
  }

  /** The participant refused, with this code and nothing changed. */
  public SagaScenario<D> replyRefused(String code) {
    return replyRefused(code, List.of(), false);
  }

  /** The participant refused, with details, and whether trying again later may work. */
  public SagaScenario<D> replyRefused(String code, List<String> details, boolean retryable) {
    return reply(
        new CommandFailed(
            requireCurrent().requestId(), code, "refused in a test", details, retryable));
  }

  // ---- time ----------------------------------------------------------------------------------

  /** The clock moves to the saga's deadline, which fires: a retry, or a timeout. */
  public SagaScenario<D> deadlinePasses() {
    if (saga.deadline() == null) {
      throw new AssertionError("the saga has no deadline; it is " + describe());
    }
    now = saga.deadline();
    apply(transitions.onDeadline(definition, saga, now));
    return this;
  }

  /** The clock moves on without a deadline firing. */
  public SagaScenario<D> timePasses(Duration d) {
    now = now.plus(d);
    return this;
  }

  // ---- outcome -------------------------------------------------------------------------------

  public SagaScenario<D> expectStatus(SagaStatus status) {
    if (saga.status() != status) {
      throw new AssertionError("expected the saga to be " + status + ", but it is " + describe());
    }
    return this;
  }

  /** The saga announced an event of this type that meets the condition. */
  public <E> SagaScenario<D> expectEvent(Class<E> type, Predicate<E> condition) {
    if (events.stream().noneMatch(e -> type.isInstance(e) && condition.test(type.cast(e)))) {
      throw new AssertionError(
          "expected an event "
              + type.getSimpleName()
              + " meeting the condition; the saga emitted "
              + events.stream().map(e -> e.getClass().getSimpleName()).toList());
    }
    return this;
  }

  public SagaScenario<D> expectFailureReasonContaining(String text) {
    if (saga.failureReason() == null || !saga.failureReason().contains(text)) {
      throw new AssertionError(
          "expected the failure reason to contain '" + text + "', but it is " + describe());
    }
    return this;
  }

  /** Checks the saga's data as it would be read back from storage. */
  public SagaScenario<D> expectData(Consumer<D> check) {
    check.accept(data());
    return this;
  }

  public D data() {
    return json.readValue(saga.data(), definition.dataType());
  }

  public SagaSnapshot saga() {
    return saga;
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private void apply(Transition t) {
    // The engine stores a transition with its version raised; so does the scenario.
    SagaSnapshot s = t.state();
    saga =
        new SagaSnapshot(
            s.id(),
            s.type(),
            s.status(),
            s.step(),
            s.attempts(),
            s.data(),
            s.pending(),
            s.compensations(),
            saga == null ? 0 : s.version() + 1,
            s.deadline(),
            s.failureReason(),
            s.correlationId(),
            s.actor(),
            s.traceparent(),
            s.createdAt(),
            s.updatedAt(),
            s.finishedAt());
    unexamined.addAll(t.commands());
    sent.addAll(t.commands());
    events.addAll(t.events());
  }

  private Transition.Command requireCurrent() {
    if (current == null) {
      throw new AssertionError("examine a command with expectCommand before replying to it");
    }
    return current;
  }

  private UUID nextMessageId() {
    return new UUID(0x5a6a, ++nextId);
  }

  private String describe() {
    return saga.status()
        + " at step "
        + saga.step()
        + " ('"
        + definition.step(saga.step()).name()
        + "')"
        + (saga.failureReason() == null ? "" : " because " + saga.failureReason());
  }
}
