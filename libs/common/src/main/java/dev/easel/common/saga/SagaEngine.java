package dev.easel.common.saga;

import dev.easel.common.envelope.Envelope;
import dev.easel.common.envelope.Ids;
import dev.easel.common.envelope.MessageContext;
import dev.easel.common.inbox.InboundMessage;
import dev.easel.common.outbox.OutboundMessage;
import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.Topics;
import dev.easel.contracts.saga.CommandFailed;
import dev.easel.contracts.saga.CommandSucceeded;
import dev.easel.contracts.saga.SagaCompensated;
import dev.easel.contracts.saga.SagaCompensating;
import dev.easel.contracts.saga.SagaCompleted;
import dev.easel.contracts.saga.SagaFailed;
import dev.easel.contracts.saga.SagaStarted;
import dev.easel.contracts.saga.SagaStepCompensated;
import dev.easel.contracts.saga.SagaStepCompleted;
import dev.easel.contracts.saga.SagaStepFailed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs orchestrated sagas persisted in PostgreSQL.
 *
 * <p>Rules it keeps: a step's compensation is registered before its action is sent, because after a
 * timeout nobody knows whether the action happened; action and undo share one request id; a reply
 * is matched by saga id and by the id of the command it answers; an expired deadline is a failure
 * (retried by the step's policy, then compensated); every transition emits an event.
 *
 * <p>Concurrency: each transition re-reads the saga and writes it with a version check. Two replies
 * that race both land: the loser re-reads and applies its reply on top of the winner's.
 */
public final class SagaEngine {

  private static final Logger log = LoggerFactory.getLogger(SagaEngine.class);
  private static final int MAX_CONFLICT_RETRIES = 20;

  private final SagaRepository repository;
  private final Outbox outbox;
  private final ObjectMapper json;
  private final TransactionTemplate tx;
  private final String context;
  private final String source;
  private final Clock clock;
  private final Map<String, SagaDefinition<?>> definitions = new LinkedHashMap<>();
  private final MeterRegistry meters;
  private final Counter conflicts;

  public SagaEngine(
      JdbcTemplate jdbc,
      Outbox outbox,
      ObjectMapper json,
      TransactionTemplate tx,
      String context,
      String source,
      Clock clock,
      MeterRegistry meters,
      Collection<SagaDefinition<?>> definitions) {
    this.repository = new SagaRepository(jdbc, json);
    this.outbox = outbox;
    this.json = json;
    this.tx = tx;
    this.context = context;
    this.source = source;
    this.clock = clock;
    this.meters = meters;
    this.conflicts = Counter.builder("easel.saga.conflicts").register(meters);
    for (SagaDefinition<?> d : definitions) {
      if (this.definitions.putIfAbsent(d.name(), d) != null) {
        throw new IllegalStateException("two saga definitions are named " + d.name());
      }
    }
  }

  /**
   * Starts a saga in the caller's transaction, or in a new one if there is none.
   *
   * @return the saga id
   */
  public <D> UUID start(SagaDefinition<D> definition, D data) {
    if (definitions.get(definition.name()) != definition) {
      throw new IllegalArgumentException("saga " + definition.name() + " is not registered");
    }
    return tx.execute(
        status -> {
          Instant now = clock.instant();
          Optional<Envelope> cause = MessageContext.current();
          UUID id = Ids.next();
          String correlation =
              cause
                  .map(e -> e.correlationId() != null ? e.correlationId() : e.id())
                  .orElse(id.toString());
          String actor = cause.map(Envelope::actor).orElse(source);
          SagaState s =
              new SagaState(
                  id,
                  definition.name(),
                  SagaStatus.RUNNING,
                  0,
                  0,
                  json.writeValueAsString(data),
                  List.of(),
                  List.of(),
                  0,
                  null,
                  null,
                  correlation,
                  actor,
                  now,
                  now,
                  null);
          emit(s, new SagaStarted(id, s.type, definition.steps().size(), now));
          meters.counter("easel.saga.started", "type", s.type).increment();
          enterStep(definition, s, 0);
          repository.insert(s);
          flush(s);
          return id;
        });
  }

  /** Handles a participant's reply; called by the replies consumer inside its inbox transaction. */
  public void onReply(InboundMessage<Object> reply) {
    String sagaId = reply.envelope().sagaId();
    if (sagaId == null) {
      log.warn("reply {} carries no saga id; ignored", reply.envelope().id());
      return;
    }
    UUID id;
    try {
      id = UUID.fromString(sagaId);
    } catch (IllegalArgumentException e) {
      log.warn("reply {} carries a malformed saga id {}; ignored", reply.envelope().id(), sagaId);
      return;
    }
    for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      Optional<SagaState> found = repository.find(id);
      if (found.isEmpty()) {
        log.warn("reply {} names unknown saga {}; ignored", reply.envelope().id(), sagaId);
        return;
      }
      SagaState s = found.get();
      if (!applyReply(s, reply)) {
        return;
      }
      if (repository.update(s)) {
        flush(s);
        return;
      }
      conflicts.increment();
    }
    throw new ConcurrencyFailureException(
        "saga " + sagaId + " kept changing under reply " + reply.envelope().id());
  }

  /**
   * Fires every expired deadline, each on exactly one instance.
   *
   * @return how many sagas were handled
   */
  public int fireDeadlines(int limit) {
    Integer handled =
        tx.execute(
            status -> {
              int n = 0;
              for (UUID id : repository.lockDue(clock.instant(), limit)) {
                Optional<SagaState> found = repository.find(id);
                if (found.isEmpty()) {
                  continue;
                }
                SagaState s = found.get();
                onDeadline(s);
                if (!repository.update(s)) {
                  throw new ConcurrencyFailureException("saga " + id + " changed while locked");
                }
                flush(s);
                n++;
              }
              return n;
            });
    return handled == null ? 0 : handled;
  }

  /** The saga with its history, for UIs. */
  public Optional<SagaView> find(UUID id) {
    return repository
        .find(id)
        .map(
            s -> {
              SagaDefinition<?> d = definitions.get(s.type);
              String stepName =
                  d != null && s.step < d.steps().size() ? d.step(s.step).name() : null;
              return new SagaView(
                  s.id,
                  s.type,
                  s.status,
                  s.step,
                  stepName,
                  s.attempts,
                  s.data,
                  s.failureReason,
                  s.deadline,
                  s.createdAt,
                  s.updatedAt,
                  s.finishedAt,
                  repository.history(s.id));
            });
  }

  /** The saga's data, read as the definition's type. */
  public <D> Optional<D> data(UUID id, SagaDefinition<D> definition) {
    return repository.find(id).map(s -> json.readValue(s.data, definition.dataType()));
  }

  // ---- transitions -------------------------------------------------------------------------

  private <D> void enterStep(SagaDefinition<D> def, SagaState s, int index) {
    int i = index;
    while (i < def.steps().size()) {
      SagaStep<D> step = def.step(i);
      s.step = i;
      s.attempts = 1;
      s.pending = new ArrayList<>();
      s.deadline = null;
      if (step.action() instanceof SagaStep.Local<D> local) {
        D data;
        try {
          data = local.body().apply(read(def, s));
        } catch (RuntimeException e) {
          history(s, def, "ACTION_FAILED", e.getMessage());
          stepFailed(def, s, String.valueOf(e.getMessage()), false, true);
          return;
        }
        s.data = json.writeValueAsString(data);
        if (step.hasCompensation()) {
          s.compensations.add(i);
        }
        history(s, def, "LOCAL_DONE", null);
        emit(s, new SagaStepCompleted(s.id, s.type, i, step.name(), clock.instant()));
        i++;
        continue;
      }
      SagaStep.Remote<D> remote = (SagaStep.Remote<D>) step.action();
      if (step.hasCompensation()) {
        // Registered before the action leaves: a timeout cannot tell us whether it happened.
        s.compensations.add(i);
        history(s, def, "COMPENSATION_REGISTERED", null);
      }
      List<SagaCommand> commands = remote.commands().apply(read(def, s));
      if (commands.isEmpty()) {
        history(s, def, "NOTHING_TO_SEND", null);
        emit(s, new SagaStepCompleted(s.id, s.type, i, step.name(), clock.instant()));
        i++;
        continue;
      }
      sendFirstAttempt(s, def, commands, "ACTION_SENT");
      return;
    }
    s.status = SagaStatus.COMPLETED;
    s.deadline = null;
    s.pending = new ArrayList<>();
    finish(s);
    emit(s, new SagaCompleted(s.id, s.type, clock.instant()));
  }

  private <D> boolean applyReply(SagaState s, InboundMessage<Object> reply) {
    if (s.status.isTerminal()) {
      log.debug("saga {} is {}; late reply {} ignored", s.id, s.status, reply.envelope().id());
      return false;
    }
    @SuppressWarnings("unchecked")
    SagaDefinition<D> def = (SagaDefinition<D>) definitions.get(s.type);
    if (def == null) {
      log.warn("saga {} has unknown type {}; reply ignored", s.id, s.type);
      return false;
    }
    Optional<Integer> slotIndex = s.slotAnswering(reply.envelope().causationId());
    if (slotIndex.isEmpty() || s.pending.get(slotIndex.get()).outcome() != null) {
      log.debug("saga {} is not waiting for reply {}; ignored", s.id, reply.envelope().id());
      return false;
    }
    int slot = slotIndex.get();
    SagaStep<D> step = def.step(s.step);
    s.updatedAt = clock.instant();
    if (reply.payload() instanceof CommandFailed failed) {
      String reason = failed.code() + ": " + failed.reason();
      history(s, def, "REFUSED", reason);
      if (failed.retryable() && s.attempts < step.retry().maxAttempts()) {
        s.pending.set(slot, s.pending.get(slot).retryScheduled());
        s.deadline = clock.instant().plus(step.retry().backoffAfter(s.attempts));
        return true;
      }
      s.pending.set(slot, s.pending.get(slot).withOutcome(SagaState.Slot.FAILED));
      stepFailed(def, s, reason, false, false);
      return true;
    }
    if (s.status == SagaStatus.RUNNING) {
      BiFunction<D, Object, D> handler = step.replyHandlers().get(reply.payload().getClass());
      if (handler != null) {
        s.data = json.writeValueAsString(handler.apply(read(def, s), reply.payload()));
      } else if (!(reply.payload() instanceof CommandSucceeded)) {
        log.warn(
            "step {} of saga {} has no handler for {}; taken as success",
            step.name(),
            s.type,
            reply.envelope().type());
      }
    }
    s.pending.set(slot, s.pending.get(slot).withOutcome(SagaState.Slot.SUCCEEDED));
    if (!s.allSlotsSucceeded()) {
      return true;
    }
    if (s.status == SagaStatus.RUNNING) {
      history(s, def, "SUCCEEDED", null);
      emit(s, new SagaStepCompleted(s.id, s.type, s.step, step.name(), clock.instant()));
      enterStep(def, s, s.step + 1);
    } else {
      stepCompensated(def, s);
    }
    return true;
  }

  private <D> void onDeadline(SagaState s) {
    @SuppressWarnings("unchecked")
    SagaDefinition<D> def = (SagaDefinition<D>) definitions.get(s.type);
    if (def == null) {
      log.warn("saga {} has unknown type {}; its deadline is cleared", s.id, s.type);
      s.deadline = null;
      return;
    }
    SagaStep<D> step = def.step(s.step);
    s.updatedAt = clock.instant();
    boolean retryDue = s.pending.stream().anyMatch(SagaState.Slot::retryDue);
    boolean timedOut = !retryDue;
    if (timedOut) {
      history(s, def, "TIMED_OUT", "attempt " + s.attempts + " after " + step.timeout());
      if (s.attempts >= step.retry().maxAttempts()) {
        stepFailed(
            def,
            s,
            "timed out after " + step.timeout() + " (" + s.attempts + " attempt(s))",
            true,
            false);
        return;
      }
    }
    s.attempts++;
    List<SagaCommand> commands = commandsOf(def, s);
    for (int i = 0; i < s.pending.size(); i++) {
      SagaState.Slot slot = s.pending.get(i);
      if (slot.retryDue() || (timedOut && slot.outcome() == null)) {
        UUID messageId = send(s, s.step, commands.get(slot.index()));
        s.pending.set(i, slot.resent(messageId.toString()));
      }
    }
    s.deadline = clock.instant().plus(step.timeout());
    history(s, def, "RETRIED", "attempt " + s.attempts);
  }

  private <D> void stepFailed(
      SagaDefinition<D> def,
      SagaState s,
      String reason,
      boolean timedOut,
      boolean nothingHappened) {
    SagaStep<D> step = def.step(s.step);
    if (s.status == SagaStatus.COMPENSATING) {
      s.status = SagaStatus.FAILED;
      s.failureReason =
          "compensation of step '"
              + step.name()
              + "' failed after "
              + s.attempts
              + " attempt(s): "
              + reason
              + (s.failureReason == null
                  ? ""
                  : "; the saga was compensating because " + s.failureReason);
      s.deadline = null;
      history(s, def, "COMPENSATION_FAILED", reason);
      finish(s);
      emit(s, new SagaFailed(s.id, s.type, s.step, step.name(), s.failureReason, clock.instant()));
      return;
    }
    emit(
        s,
        new SagaStepFailed(s.id, s.type, s.step, step.name(), reason, timedOut, clock.instant()));
    boolean refusedOutright = nothingHappened || (!timedOut && s.allSlotsRefused());
    int last = s.compensations.isEmpty() ? -1 : s.compensations.get(s.compensations.size() - 1);
    if (refusedOutright && last == s.step) {
      // Every participant refused and changed nothing, so there is nothing of this step to undo.
      s.compensations.remove(s.compensations.size() - 1);
    }
    s.failureReason = "step '" + step.name() + "' failed: " + reason;
    s.status = SagaStatus.COMPENSATING;
    history(s, def, "FAILED", reason);
    emit(s, new SagaCompensating(s.id, s.type, s.failureReason, clock.instant()));
    compensateNext(def, s);
  }

  private <D> void stepCompensated(SagaDefinition<D> def, SagaState s) {
    SagaStep<D> step = def.step(s.step);
    s.compensations.remove(s.compensations.size() - 1);
    history(s, def, "COMPENSATED", null);
    emit(s, new SagaStepCompensated(s.id, s.type, s.step, step.name(), clock.instant()));
    compensateNext(def, s);
  }

  private <D> void compensateNext(SagaDefinition<D> def, SagaState s) {
    while (!s.compensations.isEmpty()) {
      int i = s.compensations.get(s.compensations.size() - 1);
      SagaStep<D> step = def.step(i);
      s.step = i;
      s.attempts = 1;
      s.pending = new ArrayList<>();
      s.deadline = null;
      if (step.compensation() instanceof SagaStep.Local<D> local) {
        try {
          s.data = json.writeValueAsString(local.body().apply(read(def, s)));
        } catch (RuntimeException e) {
          stepFailed(def, s, String.valueOf(e.getMessage()), false, false);
          return;
        }
        s.compensations.remove(s.compensations.size() - 1);
        history(s, def, "COMPENSATED", "locally");
        emit(s, new SagaStepCompensated(s.id, s.type, i, step.name(), clock.instant()));
        continue;
      }
      List<SagaCommand> commands =
          ((SagaStep.Remote<D>) step.compensation()).commands().apply(read(def, s));
      if (commands.isEmpty()) {
        s.compensations.remove(s.compensations.size() - 1);
        history(s, def, "COMPENSATED", "nothing to undo");
        emit(s, new SagaStepCompensated(s.id, s.type, i, step.name(), clock.instant()));
        continue;
      }
      sendFirstAttempt(s, def, commands, "COMPENSATION_SENT");
      return;
    }
    s.status = SagaStatus.COMPENSATED;
    s.deadline = null;
    s.pending = new ArrayList<>();
    finish(s);
    emit(s, new SagaCompensated(s.id, s.type, s.failureReason, clock.instant()));
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private <D> List<SagaCommand> commandsOf(SagaDefinition<D> def, SagaState s) {
    SagaStep<D> step = def.step(s.step);
    SagaStep.Action<D> action =
        s.status == SagaStatus.COMPENSATING ? step.compensation() : step.action();
    return ((SagaStep.Remote<D>) action).commands().apply(read(def, s));
  }

  /** Sends a step's commands, one pending slot each, and sets the step's deadline. */
  private <D> void sendFirstAttempt(
      SagaState s, SagaDefinition<D> def, List<SagaCommand> commands, String entry) {
    for (int c = 0; c < commands.size(); c++) {
      UUID messageId = send(s, s.step, commands.get(c));
      s.pending.add(new SagaState.Slot(c, List.of(messageId.toString()), null, false));
    }
    s.deadline = clock.instant().plus(def.step(s.step).timeout());
    history(s, def, entry, "attempt 1, " + commands.size() + " command(s)");
  }

  private UUID send(SagaState s, int step, SagaCommand command) {
    UUID messageId = Ids.next();
    s.outbound.add(
        new OutboundMessage(
            Topics.commands(command.context()),
            command.key(),
            command.command(),
            s.id.toString(),
            s.id + ":" + step,
            Topics.replies(context),
            s.correlationId,
            null,
            s.actor,
            messageId));
    return messageId;
  }

  private void emit(SagaState s, Object event) {
    s.outbound.add(
        new OutboundMessage(
            Topics.events(context),
            s.id.toString(),
            event,
            s.id.toString(),
            null,
            null,
            s.correlationId,
            null,
            s.actor,
            null));
  }

  private <D> void history(SagaState s, SagaDefinition<D> def, String entry, String detail) {
    s.newHistory.add(
        new SagaHistoryEntry(s.step, def.step(s.step).name(), entry, detail, clock.instant()));
  }

  private void finish(SagaState s) {
    s.finishedAt = clock.instant();
  }

  private void recordFinished(SagaState s) {
    meters.counter("easel.saga.finished", "type", s.type, "status", s.status.name()).increment();
    Timer.builder("easel.saga.duration")
        .tag("type", s.type)
        .tag("status", s.status.name())
        .register(meters)
        .record(Duration.between(s.createdAt, s.finishedAt));
  }

  private <D> D read(SagaDefinition<D> def, SagaState s) {
    return json.readValue(s.data, def.dataType());
  }

  private void flush(SagaState s) {
    if (s.status.isTerminal() && !s.statusAtLoad.isTerminal()) {
      recordFinished(s);
    }
    s.statusAtLoad = s.status;
    repository.appendHistory(s.id, s.newHistory);
    outbox.appendAll(s.outbound);
    s.newHistory.clear();
    s.outbound.clear();
  }
}
