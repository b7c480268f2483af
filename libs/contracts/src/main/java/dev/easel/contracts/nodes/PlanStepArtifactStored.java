package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A file a plan step declared as an artifact was uploaded by its node's agent and stored. It is
 * announced once per artifact: the same upload again changes nothing and announces nothing.
 *
 * @param name the artifact's name, its file name on the node
 * @param digest {@code sha256:} and the content's SHA-256 in lowercase hex
 * @param size the content's length in bytes
 * @param mediaType what the agent said the content is ({@code application/octet-stream} when it
 *     said nothing)
 * @param location where a reader finds the content: a {@code file:} URI on the artifact volume
 *     today; the scheme says how to read it, so a later store (an OCI registry) changes no reader
 *     that dispatches on it
 */
@Contract(
    value = "dev.easel.nodes.PlanStepArtifactStored.v1",
    kind = Contract.Kind.EVENT,
    description =
        "A file a plan step declared as an artifact was uploaded by its agent and stored;"
            + " location and digest say where to read it and how to check it.")
public record PlanStepArtifactStored(
    UUID nodeId,
    String planId,
    String stepId,
    String name,
    String digest,
    long size,
    String mediaType,
    String location,
    Instant at) {}
