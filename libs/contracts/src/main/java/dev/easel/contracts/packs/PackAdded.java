package dev.easel.contracts.packs;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A pack version appeared in a registry's catalogue, or its content changed (a new digest under the
 * same tag).
 *
 * @param layer {@code os}, {@code k8s}, {@code cni}, {@code csi} or {@code addon}
 * @param digest the digest of the pack's OCI manifest
 * @param repository where it lives, {@code <base>/spectro-packs/archive/<name>}
 * @param values the pack's {@code values.yaml}, which names what it installs ({@code
 *     pack.content.charts}, {@code pack.content.images}); null in events published before it was
 *     added
 */
@Contract(
    value = "dev.easel.packs.PackAdded.v1",
    kind = Contract.Kind.EVENT,
    description = "A pack version appeared in a registry (or changed digest).")
public record PackAdded(
    UUID registryId,
    String registry,
    String name,
    String version,
    String digest,
    String layer,
    List<String> cloudTypes,
    String repository,
    String values,
    Instant at) {}
