package dev.easel.clusters.adapters.in.messaging;

import dev.easel.clusters.application.NodeReplication;
import dev.easel.common.inbox.InboxProcessor;
import dev.easel.contracts.nodes.NodeBecameUnreachable;
import dev.easel.contracts.nodes.NodeDecommissioned;
import dev.easel.contracts.nodes.NodeInventoryChanged;
import dev.easel.contracts.nodes.NodeJoinedCluster;
import dev.easel.contracts.nodes.NodeLabelsChanged;
import dev.easel.contracts.nodes.NodeLeftCluster;
import dev.easel.contracts.nodes.NodeRecovered;
import dev.easel.contracts.nodes.NodeRegistered;
import dev.easel.contracts.nodes.NodeReleased;
import dev.easel.contracts.nodes.NodeReserved;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * node-discovery's events on {@code easel.nodes.events}, through the inbox, into cluster-former's
 * copy of the nodes. Plan events are skipped here.
 */
@Configuration
class NodeEventHandlers {

  @Bean
  Consumer<Message<List<byte[]>>> nodeEvents(InboxProcessor inbox, NodeReplication nodes) {
    return inbox.consumer(
        "node-events",
        h ->
            h.on(
                    NodeRegistered.class,
                    e -> {
                      NodeRegistered r = e.payload();
                      nodes.registered(r.nodeId(), r.hostname(), r.labels(), r.facts(), r.at());
                    })
                .on(
                    NodeInventoryChanged.class,
                    e -> {
                      NodeInventoryChanged c = e.payload();
                      nodes.inventoryChanged(
                          c.nodeId(), c.hostname(), c.derivedLabels(), c.facts(), c.at());
                    })
                .on(
                    NodeLabelsChanged.class,
                    e ->
                        nodes.labelsChanged(
                            e.payload().nodeId(), e.payload().labels(), e.payload().at()))
                .on(
                    NodeReserved.class,
                    e ->
                        nodes.reserved(
                            e.payload().nodeId(), e.payload().reservationId(), e.payload().at()))
                .on(NodeReleased.class, e -> nodes.released(e.payload().nodeId(), e.payload().at()))
                .on(
                    NodeJoinedCluster.class,
                    e ->
                        nodes.joined(
                            e.payload().nodeId(), e.payload().clusterId(), e.payload().at()))
                .on(NodeLeftCluster.class, e -> nodes.left(e.payload().nodeId(), e.payload().at()))
                .on(
                    NodeBecameUnreachable.class,
                    e -> nodes.unreachable(e.payload().nodeId(), e.payload().at()))
                .on(
                    NodeRecovered.class,
                    e -> nodes.recovered(e.payload().nodeId(), e.payload().at()))
                .on(
                    NodeDecommissioned.class,
                    e -> nodes.decommissioned(e.payload().nodeId(), e.payload().at())));
  }
}
