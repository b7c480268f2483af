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
  public sealed interface Outcome permits Succeeded, Refused {}

  /** Done; the reply record goes back, or a plain {@link CommandSucceeded} if it is null. */
  public record Succeeded(Object reply) implements Outcome {}

  /** Refused, with nothing changed. */
  public record Refused(String code, String reason, List<String> details, boolean retryable)
      implements Outcome {}

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

  /** Sends the reply for an outcome to the command's {@code replyto}. */
  public void answer(InboundMessage<?> command, Outcome outcome) {
    String requestId = command.envelope().requestId();
    Object reply;
    if (outcome instanceof Refused r) {
      reply = new CommandFailed(requestId, r.code(), r.reason(), r.details(), r.retryable());
    } else {
      Object given = ((Succeeded) outcome).reply();
      reply = given != null ? given : new CommandSucceeded(requestId, Map.of());
    }
    String replyTo = command.envelope().replyTo();
    if (replyTo == null) {
      throw new IllegalArgumentException(
          "command " + command.envelope().id() + " names no replyto; it is not a saga command");
    }
    String sagaId = command.envelope().sagaId();
    outbox.append(
        new OutboundMessage(
            replyTo,
            sagaId != null ? sagaId : command.envelope().id(),
            reply,
            sagaId,
            requestId,
            null,
            null,
            command.envelope().id(),
            null,
            null,
            null));
  }
}
