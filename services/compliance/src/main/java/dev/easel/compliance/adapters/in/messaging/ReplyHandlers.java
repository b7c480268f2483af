package dev.easel.compliance.adapters.in.messaging;

import dev.easel.common.inbox.InboxProcessor;
import dev.easel.compliance.application.Backups;
import dev.easel.compliance.application.ConformanceSteps;
import dev.easel.compliance.application.Features;
import dev.easel.compliance.application.Scans;
import dev.easel.contracts.nodes.PlanFinished;
import dev.easel.contracts.saga.CommandFailed;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * node-discovery's answers on {@code easel.compliance.replies}, through the inbox: a plan that
 * finished ({@code PlanFinished}, with its steps' output) or one that failed, was cancelled or was
 * refused ({@code CommandFailed}, whose request id is the plan's id). Other answers, such as a
 * cancellation's, change nothing.
 */
@Configuration
class ReplyHandlers {

  @Bean
  Consumer<Message<List<byte[]>>> replies(
      InboxProcessor inbox,
      Features features,
      Scans scans,
      ConformanceSteps conformance,
      Backups backups) {
    return inbox.consumer(
        "replies",
        h ->
            h.on(
                    PlanFinished.class,
                    e -> {
                      String plan = e.payload().planId();
                      if (Features.owns(plan)) {
                        features.installed(plan);
                      } else if (Scans.owns(plan)) {
                        scans.planFinished(plan, e.payload().outputs(), conformance);
                      } else if (Backups.owns(plan)) {
                        backups.planFinished(plan, e.payload().outputs());
                      }
                    })
                .on(
                    CommandFailed.class,
                    e -> {
                      String plan = e.payload().requestId();
                      String reason =
                          e.payload().reason()
                              + (e.payload().details().isEmpty()
                                  ? ""
                                  : ": " + String.join("; ", e.payload().details()));
                      if (Features.owns(plan)) {
                        features.installFailed(plan, reason);
                      } else if (Scans.owns(plan)) {
                        scans.planFailed(plan, reason);
                      } else if (Backups.owns(plan)) {
                        backups.planFailed(plan, reason);
                      }
                    })
                .onAnyOther(e -> {}));
  }
}
