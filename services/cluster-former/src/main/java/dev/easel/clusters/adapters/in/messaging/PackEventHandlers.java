package dev.easel.clusters.adapters.in.messaging;

import dev.easel.clusters.application.ProfileReplication;
import dev.easel.common.inbox.InboxProcessor;
import dev.easel.contracts.packs.ProfilePublished;
import dev.easel.contracts.packs.ProfileVersionDeleted;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * pack-manager's events on {@code easel.packs.events}, through the inbox: the published profile
 * versions clusters are formed from. Registry and pack events are skipped here.
 */
@Configuration
class PackEventHandlers {

  @Bean
  Consumer<Message<List<byte[]>>> packEvents(InboxProcessor inbox, ProfileReplication profiles) {
    return inbox.consumer(
        "pack-events",
        h ->
            h.on(ProfilePublished.class, e -> profiles.published(e.payload()))
                .on(
                    ProfileVersionDeleted.class,
                    e -> profiles.deleted(e.payload().name(), e.payload().version())));
  }
}
