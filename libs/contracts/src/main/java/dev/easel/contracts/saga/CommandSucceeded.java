package dev.easel.contracts.saga;

import dev.easel.contracts.Contract;
import java.util.Map;

/**
 * A participant's generic success reply, for commands whose outcome carries no typed result.
 *
 * @param requestId the idempotency key of the command answered
 * @param result optional facts the orchestrator may keep
 */
@Contract(
    value = "dev.easel.saga.CommandSucceeded.v1",
    kind = Contract.Kind.REPLY,
    description = "A participant carried out a saga command.")
public record CommandSucceeded(String requestId, Map<String, String> result) {

  public CommandSucceeded {
    result = result == null ? Map.of() : Map.copyOf(result);
  }
}
