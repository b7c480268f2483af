package dev.easel.nodes.adapters.in.messaging;

import dev.easel.common.inbox.InboundMessage;
import dev.easel.common.saga.ParticipantReplies;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may have node-discovery run or cancel a plan, by the CloudEvent {@code source} of the command
 * ({@code /easel/<service>}). A plan runs commands as root on a node, so only the services whose
 * work that is (cluster-former, compliance) are obeyed, as set in {@code
 * easel.nodes.plans.allowed-senders}; a command from anyone else changes nothing and is refused.
 */
final class PlanSenders {

  /** The sources obeyed unless configured otherwise. */
  static final String DEFAULT = "/easel/cluster-former,/easel/compliance";

  private static final Logger log = LoggerFactory.getLogger(PlanSenders.class);

  private final Set<String> allowed;

  PlanSenders(Collection<String> allowed) {
    this.allowed =
        allowed.stream()
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  boolean allows(InboundMessage<?> command) {
    return allowed.contains(command.envelope().source());
  }

  /**
   * Refuses a command from a sender not allowed: a warning, and the refusal {@code
   * sender-not-allowed} to its {@code replyto} when it names one.
   */
  void refuse(InboundMessage<?> command, ParticipantReplies replies) {
    String source = command.envelope().source();
    log.warn(
        "refused {} {} from {}: only {} may run or cancel plans (easel.nodes.plans.allowed-senders)",
        command.envelope().type(),
        command.envelope().id(),
        source,
        allowed);
    if (command.envelope().replyTo() != null) {
      replies.answer(
          command,
          ParticipantReplies.refused(
              "sender-not-allowed",
              source + " may not run or cancel plans; nothing was queued or cancelled",
              List.of()));
    }
  }
}
