package dev.easel.common.saga;

import dev.easel.common.inbox.InboundMessage;
import dev.easel.common.outbox.OutboundMessage;
import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.saga.CommandFailed;
import dev.easel.contracts.saga.CommandSucceeded;
import java.util.List;
import java.util.Map;

/**
 * Answers saga commands. A participant handles the command in its inbox transaction and answers
 * there too, so the reply leaves if and only if the effect committed.
 *
 * <pre>{@code
 * handlers.on(ReserveNodes.class, cmd -> replies.answer(cmd, reserving.reserve(cmd.payload())));
 * }</pre>
 */
public final class ParticipantReplies {

  private final Outbox outbox;

  public ParticipantReplies(Outbox outbox) {
    this.outbox = outbox;
  }

  /** What a participant made of a command. */
  public sealed interface Outcome permits Succeeded, Refused, Deferred {}

  /** Done; the reply record goes back, or a plain {@link CommandSucceeded} if it is null. */
  public record Succeeded(Object reply) implements Outcome {}

  /** Refused, with nothing changed. */
  public record Refused(String code, String reason, List<String> details, boolean retryable)
      implements Outcome {}

  /**
   * Accepted, and answered later: the participant kept the command's {@link ReplyAddress} and
   * answers through it when the work it started has finished.
   */
  public record Deferred() implements Outcome {}

  /**
   * Where the answer to a command goes, kept by a participant that answers later.
   *
   * @param replyTo the topic the orchestrator reads its replies from
   * @param sagaId the saga, or null
   * @param requestId the request the reply answers
   * @param commandId the command's message id, the reply's causation
   */
  public record ReplyAddress(String replyTo, String sagaId, String requestId, String commandId) {

    public static ReplyAddress of(InboundMessage<?> command) {
      String replyTo = command.envelope().replyTo();
      if (replyTo == null) {
        throw new IllegalArgumentException(
            "command " + command.envelope().id() + " names no replyto; it is not a saga command");
      }
      return new ReplyAddress(
          replyTo,
          command.envelope().sagaId(),
          command.envelope().requestId(),
          command.envelope().id());
    }
  }

  public static Outcome succeeded(Object reply) {
    return new Succeeded(reply);
  }

  public static Outcome succeeded() {
    return new Succeeded(null);
  }

  public static Outcome refused(String code, String reason, List<String> details) {
    return new Refused(code, reason, details, false);
  }

  public static Outcome retryLater(String code, String reason) {
    return new Refused(code, reason, List.of(), true);
  }

  public static Outcome deferred() {
    return new Deferred();
  }

  /** Sends the reply for an outcome to the command's {@code replyto}; a deferred one sends none. */
  public void answer(InboundMessage<?> command, Outcome outcome) {
    if (outcome instanceof Deferred) {
      return;
    }
    answer(ReplyAddress.of(command), outcome);
  }

  /**
   * Sends the reply for an outcome to a kept address, in the caller's transaction: the answer to a
   * command deferred until its work finished.
   */
  public void answer(ReplyAddress to, Outcome outcome) {
    if (outcome instanceof Deferred) {
      throw new IllegalArgumentException("a kept reply address is answered, not deferred again");
    }
    Object reply;
    if (outcome instanceof Refused r) {
      reply = new CommandFailed(to.requestId(), r.code(), r.reason(), r.details(), r.retryable());
    } else {
      Object given = ((Succeeded) outcome).reply();
      reply = given != null ? given : new CommandSucceeded(to.requestId(), Map.of());
    }
    outbox.append(
        new OutboundMessage(
            to.replyTo(),
            to.sagaId() != null ? to.sagaId() : to.commandId(),
            reply,
            to.sagaId(),
            to.requestId(),
            null,
            null,
            to.commandId(),
            null,
            null,
            null));
  }
}
