package dev.easel.compliance.adapters.in.messaging;

import dev.easel.common.inbox.InboxProcessor;
import dev.easel.compliance.application.ClusterReplication;
import dev.easel.compliance.application.Features;
import dev.easel.compliance.application.ReportIngest;
import dev.easel.compliance.application.Scans;
import dev.easel.contracts.clusters.ClusterDeleted;
import dev.easel.contracts.clusters.ClusterNodeAdded;
import dev.easel.contracts.clusters.ClusterNodeRemoved;
import dev.easel.contracts.clusters.ClusterRunning;
import dev.easel.contracts.nodes.PlanStepArtifactStored;
import dev.easel.contracts.nodes.PlanStepFailed;
import dev.easel.contracts.nodes.PlanStepSucceeded;
import dev.easel.contracts.packs.PackAdded;
import dev.easel.contracts.packs.PackRemoved;
import dev.easel.contracts.packs.ProfilePublished;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Other services' events, through the inbox: pack-manager's packs and profiles (features and
 * Kubernetes versions), cluster-former's clusters (nodes and roles), and node-discovery's plan
 * steps and the files they left. Every other event is skipped.
 */
@Configuration
class EventHandlers {

  @Bean
  Consumer<Message<List<byte[]>>> packEvents(
      InboxProcessor inbox, Features features, ClusterReplication clusters) {
    return inbox.consumer(
        "pack-events",
        h ->
            h.on(PackAdded.class, e -> features.packAdded(e.payload()))
                .on(PackRemoved.class, e -> features.packRemoved(e.payload()))
                .on(ProfilePublished.class, e -> clusters.profilePublished(e.payload())));
  }

  @Bean
  Consumer<Message<List<byte[]>>> clusterEvents(InboxProcessor inbox, ClusterReplication clusters) {
    return inbox.consumer(
        "cluster-events",
        h ->
            h.on(ClusterRunning.class, e -> clusters.running(e.payload()))
                .on(
                    ClusterNodeAdded.class,
                    e ->
                        clusters.nodeAdded(
                            e.payload().clusterId(),
                            e.payload().nodeId(),
                            e.payload().nodeId().toString(),
                            e.payload().role()))
                .on(
                    ClusterNodeRemoved.class,
                    e -> clusters.nodeRemoved(e.payload().clusterId(), e.payload().nodeId()))
                .on(ClusterDeleted.class, e -> clusters.deleted(e.payload().clusterId())));
  }

  @Bean
  Consumer<Message<List<byte[]>>> nodeEvents(
      InboxProcessor inbox, Scans scans, ReportIngest ingest) {
    return inbox.consumer(
        "node-events",
        h ->
            h.on(PlanStepArtifactStored.class, e -> ingest.stored(e.payload()))
                .on(PlanStepSucceeded.class, e -> stepRan(scans, e.payload().planId()))
                .on(PlanStepFailed.class, e -> stepRan(scans, e.payload().planId())));
  }

  private static void stepRan(Scans scans, String planId) {
    if (Scans.owns(planId)) {
      scans.stepRan(planId);
    }
  }
}
