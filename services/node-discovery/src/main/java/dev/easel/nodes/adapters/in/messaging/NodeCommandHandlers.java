package dev.easel.nodes.adapters.in.messaging;

import dev.easel.common.inbox.InboxProcessor;
import dev.easel.common.saga.ParticipantReplies;
import dev.easel.contracts.nodes.CancelPlan;
import dev.easel.contracts.nodes.JoinCluster;
import dev.easel.contracts.nodes.LeaveCluster;
import dev.easel.contracts.nodes.ReleaseNodes;
import dev.easel.contracts.nodes.ReserveNodes;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.nodes.application.Membership;
import dev.easel.nodes.application.Plans;
import dev.easel.nodes.application.Reserving;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** Commands on {@code easel.nodes.commands}, through the inbox, answered as a saga participant. */
@Configuration
class NodeCommandHandlers {

  @Bean
  Consumer<Message<List<byte[]>>> nodeCommands(
      InboxProcessor inbox,
      ParticipantReplies replies,
      Reserving reserving,
      Membership membership,
      Plans plans,
      @Value("${easel.nodes.plans.allowed-senders:" + PlanSenders.DEFAULT + "}")
          List<String> allowedSenders) {
    PlanSenders senders = new PlanSenders(allowedSenders);
    return inbox.consumer(
        "node-commands",
        h ->
            h.on(ReserveNodes.class, cmd -> replies.answer(cmd, reserving.reserve(cmd.payload())))
                .on(
                    ReleaseNodes.class,
                    cmd -> replies.answer(cmd, reserving.release(cmd.payload())))
                .on(
                    RunPlan.class,
                    cmd -> {
                      if (!senders.allows(cmd)) {
                        senders.refuse(cmd, replies);
                        return;
                      }
                      replies.answer(
                          cmd, plans.run(cmd.payload(), ParticipantReplies.ReplyAddress.of(cmd)));
                    })
                .on(
                    CancelPlan.class,
                    cmd -> {
                      if (!senders.allows(cmd)) {
                        senders.refuse(cmd, replies);
                        return;
                      }
                      replies.answer(cmd, plans.cancel(cmd.payload()));
                    })
                .on(JoinCluster.class, cmd -> replies.answer(cmd, membership.join(cmd.payload())))
                .on(
                    LeaveCluster.class,
                    cmd -> replies.answer(cmd, membership.leave(cmd.payload()))));
  }
}
