package dev.easel.clusters.domain.cluster;

import java.util.UUID;

/**
 * Why a cluster failed: the step, the node whose plan failed (when one did), the reason, and that
 * plan step's last lines of output.
 */
public record Failure(String step, UUID node, String reason, String output) {}
