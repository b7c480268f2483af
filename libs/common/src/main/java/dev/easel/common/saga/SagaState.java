package dev.easel.common.saga;

import dev.easel.common.outbox.OutboundMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The persisted state of one saga, as a working copy inside one transaction. What a transition
 * emits (history rows, commands, events) is collected here and written only once the
 * version-checked update has succeeded, so a lost race leaves nothing behind.
 */
final class SagaState {

  final UUID id;
  final String type;
  SagaStatus status;
  int step;
  int attempts;
  String data;
  List<Slot> pending;
  List<Integer> compensations;
  long version;
  Instant deadline;
  String failureReason;
  final String correlationId;
  final String actor;
  final Instant createdAt;
  Instant updatedAt;
  Instant finishedAt;

  final List<SagaHistoryEntry> newHistory = new ArrayList<>();
  final List<OutboundMessage> outbound = new ArrayList<>();
  SagaStatus statusAtLoad;

  SagaState(
      UUID id,
      String type,
      SagaStatus status,
      int step,
      int attempts,
      String data,
      List<Slot> pending,
      List<Integer> compensations,
      long version,
      Instant deadline,
      String failureReason,
      String correlationId,
      String actor,
      Instant createdAt,
      Instant updatedAt,
      Instant finishedAt) {
    this.id = id;
    this.type = type;
    this.status = status;
    this.step = step;
    this.attempts = attempts;
    this.data = data;
    this.pending = new ArrayList<>(pending);
    this.compensations = new ArrayList<>(compensations);
    this.version = version;
    this.deadline = deadline;
    this.failureReason = failureReason;
    this.correlationId = correlationId;
    this.actor = actor;
    this.createdAt = createdAt;
    this.updatedAt = updatedAt;
    this.finishedAt = finishedAt;
    this.statusAtLoad = status;
  }

  Optional<Integer> slotAnswering(String commandMessageId) {
    if (commandMessageId == null) {
      return Optional.empty();
    }
    for (int i = 0; i < pending.size(); i++) {
      if (pending.get(i).messageIds().contains(commandMessageId)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  boolean allSlotsSucceeded() {
    return pending.stream().allMatch(s -> Slot.SUCCEEDED.equals(s.outcome()));
  }

  boolean allSlotsRefused() {
    return !pending.isEmpty() && pending.stream().allMatch(s -> Slot.FAILED.equals(s.outcome()));
  }

  /**
   * One command a step sent and is waiting on.
   *
   * @param index the command's position in the step's command list
   * @param messageIds the message id of every try, so a late reply to an earlier try still counts
   * @param outcome null while waiting, then {@link #SUCCEEDED} or {@link #FAILED}
   * @param retryDue whether the command is to be sent again when the deadline passes
   */
  record Slot(int index, List<String> messageIds, String outcome, boolean retryDue) {

    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";

    Slot {
      messageIds = List.copyOf(messageIds);
    }

    Slot withOutcome(String o) {
      return new Slot(index, messageIds, o, false);
    }

    Slot retryScheduled() {
      return new Slot(index, messageIds, null, true);
    }

    Slot resent(String messageId) {
      List<String> ids = new ArrayList<>(messageIds);
      ids.add(messageId);
      return new Slot(index, ids, null, false);
    }
  }
}
