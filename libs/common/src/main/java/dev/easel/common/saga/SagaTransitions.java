package dev.easel.common.saga;

import dev.easel.common.saga.SagaSnapshot.Slot;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

/**
 * The saga machine as a pure function: (saga, reply or deadline) → {@link Transition}. It touches
 * no database and no broker, so a saga definition can be tested step by step without either; the
 * {@link SagaEngine} stores what it decides.
 *
 * <p>Rules it keeps: a step's compensation is registered before its action is sent, because after a
 * timeout nobody knows whether the action happened; action and undo share one request id; a reply
 * counts only for the command it answers, by that command's message id; an expired deadline is a
 * failure, retried by the step's policy and then compensated; every transition emits an event.
 */
public final class SagaTransitions {

  private static final Logger log = LoggerFactory.getLogger(SagaTransitions.class);

  private final ObjectMapper json;
  private final Supplier<UUID> messageIds;

  /**
   * @param json reads and writes the saga's data
   * @param messageIds names each command before it is sent
   */
  public SagaTransitions(ObjectMapper json, Supplier<UUID> messageIds) {
    this.json = json;
    this.messageIds = messageIds;
  }

  /** A new saga, run up to its first command (or to its end, if every step is local). */
  public <D> Transition start(
      SagaDefinition<D> def,
      D data,
      UUID id,
      Instant now,
      String correlationId,
      String actor,
      String traceparent) {
    Working w =
        new Working(
            new SagaSnapshot(
                id,
                def.name(),
                SagaStatus.RUNNING,
                0,
                0,
                json.writeValueAsString(data),
                List.of(),
                List.of(),
                0,
                null,
                null,
                correlationId,
                actor,
                traceparent,
                now,
                now,
                null),
            now);
    w.emit(new SagaStarted(id, def.name(), def.steps().size(), now));
    enterStep(def, w, 0);
    return w.result();
  }

  /**
   * A participant's answer to one of the saga's commands.
   *
   * @param answering the message id of the command it answers (its causation id)
   * @param reply the reply record: a {@link CommandFailed}, a {@link CommandSucceeded} or a typed
   *     success reply
   * @return the transition, or empty when the saga is not waiting for this reply (a duplicate, a
   *     late answer to an earlier try, or a saga that has ended)
   */
  public Optional<Transition> onReply(
      SagaDefinition<?> def, SagaSnapshot saga, String answering, Object reply, Instant now) {
    return applyReply(cast(def), saga, answering, reply, now);
  }

  /** The saga's deadline passed: a retry is due, or the current try timed out. */
  public Transition onDeadline(SagaDefinition<?> def, SagaSnapshot saga, Instant now) {
    return deadline(cast(def), saga, now);
  }

  // ---- transitions -------------------------------------------------------------------------

  private <D> Optional<Transition> applyReply(
      SagaDefinition<D> def, SagaSnapshot saga, String answering, Object reply, Instant now) {
    if (saga.status().isTerminal()) {
      log.debug("saga {} is {}; a late reply is ignored", saga.id(), saga.status());
      return Optional.empty();
    }
    Working s = new Working(saga, now);
    int slot = s.slotAnswering(answering);
    if (slot < 0 || s.pending.get(slot).outcome() != null) {
      log.debug("saga {} is not waiting for a reply to {}; ignored", saga.id(), answering);
      return Optional.empty();
    }
    SagaStep<D> step = def.step(s.step);
    if (reply instanceof CommandFailed failed) {
      refused(def, s, step, slot, failed);
      return Optional.of(s.result());
    }
    if (s.status == SagaStatus.RUNNING) {
      BiFunction<D, Object, D> handler = step.replyHandlers().get(reply.getClass());
      if (handler != null) {
        s.data = json.writeValueAsString(handler.apply(read(def, s), reply));
      } else if (!(reply instanceof CommandSucceeded)) {
        log.warn(
            "step {} of saga {} has no handler for {}; taken as success",
            step.name(),
            s.type,
            reply.getClass().getSimpleName());
      }
    }
    slotSucceeded(def, s, step, slot);
    return Optional.of(s.result());
  }

  private <D> void refused(
      SagaDefinition<D> def, Working s, SagaStep<D> step, int slot, CommandFailed failed) {
    String reason = failed.code() + ": " + failed.reason();
    history(s, def, "REFUSED", reason);
    SagaStep.RefusalHandler<D> handler =
        s.status == SagaStatus.RUNNING ? step.refusalHandlers().get(failed.code()) : null;
    boolean retry = failed.retryable();
    if (handler != null) {
      SagaStep.Decision<D> decision = handler.decide(read(def, s), failed);
      if (decision instanceof SagaStep.Proceed<D> p) {
        s.data = json.writeValueAsString(p.data());
        history(s, def, "REFUSAL_ACCEPTED", failed.code());
        slotSucceeded(def, s, step, slot);
        return;
      } else if (decision instanceof SagaStep.Retry<D> r) {
        s.data = json.writeValueAsString(r.data());
        retry = true;
      } else if (decision instanceof SagaStep.Fail<D> f) {
        s.data = json.writeValueAsString(f.data());
        retry = false;
      }
    }
    if (retry && s.attempts < step.retry().maxAttempts()) {
      s.pending.set(slot, s.pending.get(slot).retryScheduled());
      s.deadline = s.now.plus(step.retry().backoffAfter(s.attempts));
      return;
    }
    s.pending.set(slot, s.pending.get(slot).withOutcome(Slot.FAILED));
    stepFailed(def, s, reason, false, false);
  }

  private <D> void slotSucceeded(SagaDefinition<D> def, Working s, SagaStep<D> step, int slot) {
    s.pending.set(slot, s.pending.get(slot).withOutcome(Slot.SUCCEEDED));
    if (!s.allSlotsSucceeded()) {
      return;
    }
    if (s.status == SagaStatus.RUNNING) {
      history(s, def, "SUCCEEDED", null);
      s.emit(new SagaStepCompleted(s.id, s.type, s.step, step.name(), s.now));
      enterStep(def, s, s.step + 1);
    } else {
      stepCompensated(def, s);
    }
  }

  private <D> Transition deadline(SagaDefinition<D> def, SagaSnapshot saga, Instant now) {
    Working s = new Working(saga, now);
    SagaStep<D> step = def.step(s.step);
    boolean retryDue = s.pending.stream().anyMatch(Slot::retryDue);
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
        return s.result();
      }
    }
    s.attempts++;
    List<SagaCommand> commands = commandsOf(def, s);
    for (int i = 0; i < s.pending.size(); i++) {
      Slot slot = s.pending.get(i);
      if (slot.retryDue() || (timedOut && slot.outcome() == null)) {
        UUID messageId = send(s, commands.get(slot.index()));
        s.pending.set(i, slot.resent(messageId.toString()));
      }
    }
    s.deadline = now.plus(step.timeout());
    history(s, def, "RETRIED", "attempt " + s.attempts);
    return s.result();
  }

  private <D> void enterStep(SagaDefinition<D> def, Working s, int index) {
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
        s.emit(new SagaStepCompleted(s.id, s.type, i, step.name(), s.now));
        i++;
        continue;
      }
      SagaStep.Remote<D> remote = (SagaStep.Remote<D>) step.action();
      if (step.hasCompensation()) {
        // Registered before the action leaves: a timeout cannot tell whether it happened.
        s.compensations.add(i);
        history(s, def, "COMPENSATION_REGISTERED", null);
      }
      List<SagaCommand> commands = remote.commands().apply(read(def, s));
      if (commands.isEmpty()) {
        history(s, def, "NOTHING_TO_SEND", null);
        s.emit(new SagaStepCompleted(s.id, s.type, i, step.name(), s.now));
        i++;
        continue;
      }
      sendFirstAttempt(def, s, commands, "ACTION_SENT");
      return;
    }
    s.status = SagaStatus.COMPLETED;
    s.deadline = null;
    s.pending = new ArrayList<>();
    s.finishedAt = s.now;
    s.emit(new SagaCompleted(s.id, s.type, s.now));
  }

  private <D> void stepFailed(
      SagaDefinition<D> def, Working s, String reason, boolean timedOut, boolean nothingHappened) {
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
      s.finishedAt = s.now;
      s.emit(new SagaFailed(s.id, s.type, s.step, step.name(), s.failureReason, s.now));
      return;
    }
    s.emit(new SagaStepFailed(s.id, s.type, s.step, step.name(), reason, timedOut, s.now));
    boolean refusedOutright = nothingHappened || (!timedOut && s.allSlotsRefused());
    int last = s.compensations.isEmpty() ? -1 : s.compensations.get(s.compensations.size() - 1);
    if (refusedOutright && last == s.step && !step.undoRefused()) {
      // Every participant refused and changed nothing, so there is nothing of this step to undo.
      s.compensations.remove(s.compensations.size() - 1);
    }
    s.failureReason = "step '" + step.name() + "' failed: " + reason;
    s.status = SagaStatus.COMPENSATING;
    history(s, def, "FAILED", reason);
    s.emit(new SagaCompensating(s.id, s.type, s.failureReason, s.now));
    compensateNext(def, s);
  }

  private <D> void stepCompensated(SagaDefinition<D> def, Working s) {
    SagaStep<D> step = def.step(s.step);
    s.compensations.remove(s.compensations.size() - 1);
    history(s, def, "COMPENSATED", null);
    s.emit(new SagaStepCompensated(s.id, s.type, s.step, step.name(), s.now));
    compensateNext(def, s);
  }

  private <D> void compensateNext(SagaDefinition<D> def, Working s) {
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
        s.emit(new SagaStepCompensated(s.id, s.type, i, step.name(), s.now));
        continue;
      }
      List<SagaCommand> commands =
          ((SagaStep.Remote<D>) step.compensation()).commands().apply(read(def, s));
      if (commands.isEmpty()) {
        s.compensations.remove(s.compensations.size() - 1);
        history(s, def, "COMPENSATED", "nothing to undo");
        s.emit(new SagaStepCompensated(s.id, s.type, i, step.name(), s.now));
        continue;
      }
      sendFirstAttempt(def, s, commands, "COMPENSATION_SENT");
      return;
    }
    s.status = SagaStatus.COMPENSATED;
    s.deadline = null;
    s.pending = new ArrayList<>();
    s.finishedAt = s.now;
    s.emit(new SagaCompensated(s.id, s.type, s.failureReason, s.now));
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private <D> List<SagaCommand> commandsOf(SagaDefinition<D> def, Working s) {
    SagaStep<D> step = def.step(s.step);
    SagaStep.Action<D> action =
        s.status == SagaStatus.COMPENSATING ? step.compensation() : step.action();
    return ((SagaStep.Remote<D>) action).commands().apply(read(def, s));
  }

  /** Sends a step's commands, one pending slot each, and sets the step's deadline. */
  private <D> void sendFirstAttempt(
      SagaDefinition<D> def, Working s, List<SagaCommand> commands, String entry) {
    for (int c = 0; c < commands.size(); c++) {
      UUID messageId = send(s, commands.get(c));
      s.pending.add(new Slot(c, List.of(messageId.toString()), null, false));
    }
    s.deadline = s.now.plus(def.step(s.step).timeout());
    history(s, def, entry, "attempt 1, " + commands.size() + " command(s)");
  }

  private UUID send(Working s, SagaCommand command) {
    UUID messageId = messageIds.get();
    s.commands.add(new Transition.Command(messageId, s.id + ":" + s.step, command));
    return messageId;
  }

  private <D> void history(Working s, SagaDefinition<D> def, String entry, String detail) {
    s.history.add(new SagaHistoryEntry(s.step, def.step(s.step).name(), entry, detail, s.now));
  }

  private <D> D read(SagaDefinition<D> def, Working s) {
    return json.readValue(s.data, def.dataType());
  }

  @SuppressWarnings("unchecked")
  private static <D> SagaDefinition<D> cast(SagaDefinition<?> def) {
    return (SagaDefinition<D>) def;
  }

  /** A saga being changed by one transition, and what that transition sends and records. */
  private static final class Working {
    final UUID id;
    final String type;
    final SagaSnapshot from;
    final Instant now;
    SagaStatus status;
    int step;
    int attempts;
    String data;
    List<Slot> pending;
    List<Integer> compensations;
    Instant deadline;
    String failureReason;
    Instant finishedAt;
    final List<Transition.Command> commands = new ArrayList<>();
    final List<Object> events = new ArrayList<>();
    final List<SagaHistoryEntry> history = new ArrayList<>();

    Working(SagaSnapshot from, Instant now) {
      this.from = from;
      this.now = now;
      this.id = from.id();
      this.type = from.type();
      this.status = from.status();
      this.step = from.step();
      this.attempts = from.attempts();
      this.data = from.data();
      this.pending = new ArrayList<>(from.pending());
      this.compensations = new ArrayList<>(from.compensations());
      this.deadline = from.deadline();
      this.failureReason = from.failureReason();
      this.finishedAt = from.finishedAt();
    }

    void emit(Object event) {
      events.add(event);
    }

    int slotAnswering(String commandMessageId) {
      if (commandMessageId == null) {
        return -1;
      }
      for (int i = 0; i < pending.size(); i++) {
        if (pending.get(i).messageIds().contains(commandMessageId)) {
          return i;
        }
      }
      return -1;
    }

    boolean allSlotsSucceeded() {
      return pending.stream().allMatch(s -> Slot.SUCCEEDED.equals(s.outcome()));
    }

    boolean allSlotsRefused() {
      return !pending.isEmpty() && pending.stream().allMatch(s -> Slot.FAILED.equals(s.outcome()));
    }

    Transition result() {
      SagaSnapshot next =
          new SagaSnapshot(
              id,
              type,
              status,
              step,
              attempts,
              data,
              pending,
              compensations,
              from.version(),
              deadline,
              failureReason,
              from.correlationId(),
              from.actor(),
              from.traceparent(),
              from.createdAt(),
              now,
              finishedAt);
      return new Transition(next, commands, events, history);
    }
  }
}
