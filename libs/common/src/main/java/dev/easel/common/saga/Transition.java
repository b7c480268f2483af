package dev.easel.common.saga;

import java.util.List;
import java.util.UUID;

/**
 * What one step of the saga machine decided: the saga after it, the commands to send, the events to
 * emit and the history to record. Nothing has happened yet; {@link SagaEngine} stores the state and
 * appends the messages to the outbox in one transaction.
 */
public record Transition(
    SagaSnapshot state,
    List<Command> commands,
    List<Object> events,
    List<SagaHistoryEntry> history) {

  public Transition {
    commands = List.copyOf(commands);
    events = List.copyOf(events);
    history = List.copyOf(history);
  }

  /**
   * A command to send.
   *
   * @param messageId chosen before it is sent, so the reply can be matched to its slot
   * @param requestId shared by the step's action and its undo, for the participant's idempotency
   * @param command where it goes and what it says
   */
  public record Command(UUID messageId, String requestId, SagaCommand command) {}
}
