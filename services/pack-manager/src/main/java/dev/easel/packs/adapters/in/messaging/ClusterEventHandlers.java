package dev.easel.packs.adapters.in.messaging;

import dev.easel.common.inbox.InboxProcessor;
import dev.easel.contracts.clusters.ClusterProfileAttached;
import dev.easel.contracts.clusters.ClusterProfileDetached;
import dev.easel.packs.application.Profiles;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * cluster-former's events on {@code easel.clusters.events}, through the inbox: which clusters use
 * which profile versions, so that a version in use is never deleted. Other cluster events are
 * skipped.
 */
@Configuration
class ClusterEventHandlers {

  @Bean
  Consumer<Message<List<byte[]>>> clusterEvents(InboxProcessor inbox, Profiles profiles) {
    return inbox.consumer(
        "cluster-events",
        h ->
            h.on(
                    ClusterProfileAttached.class,
                    e ->
                        profiles.attached(
                            e.payload().clusterId(),
                            e.payload().profileName(),
                            e.payload().profileVersion(),
                            e.payload().at()))
                .on(
                    ClusterProfileDetached.class,
                    e ->
                        profiles.detached(
                            e.payload().clusterId(),
                            e.payload().profileName(),
                            e.payload().profileVersion())));
  }
}
