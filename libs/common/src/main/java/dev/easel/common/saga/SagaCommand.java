package dev.easel.common.saga;

import java.util.Objects;

/**
 * A command a saga step sends to a participant.
 *
 * @param context the participant's context; the command goes to {@code easel.<context>.commands}
 * @param key the Kafka key, the aggregate the command is about
 * @param command a registered command record
 */
public record SagaCommand(String context, String key, Object command) {

  public SagaCommand {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(command, "command");
  }

  public static SagaCommand to(String context, String key, Object command) {
    return new SagaCommand(context, key, command);
  }
}
