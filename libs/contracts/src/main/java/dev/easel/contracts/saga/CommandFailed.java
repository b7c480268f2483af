package dev.easel.contracts.saga;

import dev.easel.contracts.Contract;
import java.util.List;

/**
 * A participant refused or could not carry out a saga command, and changed nothing.
 *
 * @param requestId the idempotency key of the command answered
 * @param code a stable, machine-readable reason such as {@code node-busy}
 * @param reason a human explanation
 * @param details per-item reasons, for example one per refused node
 * @param retryable whether the same command may succeed later
 */
@Contract(
    value = "dev.easel.saga.CommandFailed.v1",
    kind = Contract.Kind.REPLY,
    description = "A participant refused a saga command and changed nothing.")
public record CommandFailed(
    String requestId, String code, String reason, List<String> details, boolean retryable) {

  public CommandFailed {
    details = details == null ? List.of() : List.copyOf(details);
  }
}
