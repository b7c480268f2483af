package dev.easel.common.saga;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A saga as it is stored: what {@link SagaTransitions} reads and returns, and what a {@link
 * SagaStore} keeps.
 *
 * @param id the saga id
 * @param type the definition's name
 * @param status where it stands
 * @param step the step being run or compensated
 * @param attempts tries of that step's action or compensation
 * @param data the saga's data as JSON
 * @param pending the commands the step sent and waits on
 * @param compensations steps to undo on failure, most recent last; a step is listed before its
 *     action is sent
 * @param version raised by every stored transition, for optimistic locking
 * @param deadline when the current try expires, or a retry is due
 * @param failureReason why it is compensating, compensated or failed
 * @param correlationId shared by everything the saga sends
 * @param actor who started it
 * @param traceparent the saga's trace; every message it sends is a span of it, a retry fired by a
 *     deadline included
 * @param createdAt when it started
 * @param updatedAt its last transition
 * @param finishedAt when it reached a terminal state
 */
public record SagaSnapshot(
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
    String traceparent,
    Instant createdAt,
    Instant updatedAt,
    Instant finishedAt) {

  public SagaSnapshot {
    pending = List.copyOf(pending);
    compensations = List.copyOf(compensations);
  }

  /**
   * One command a step sent and is waiting on.
   *
   * @param index the command's position in the step's command list
   * @param messageIds the message id of every try, so a late reply to an earlier try still counts
   * @param outcome null while waiting, then {@link #SUCCEEDED} or {@link #FAILED}
   * @param retryDue whether the command is to be sent again when the deadline passes
   */
  public record Slot(int index, List<String> messageIds, String outcome, boolean retryDue) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    public Slot {
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
