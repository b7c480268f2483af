package dev.easel.contracts.packs;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An uploaded bundle was pushed to a registry.
 *
 * @param artifacts every reference pushed, {@code <repository>:<tag>}
 * @param blobsPushed blobs sent to the registry
 * @param blobsSkipped blobs the registry had already, or that it mounted from another repository
 * @param signed whether a trusted signature covered the bundle
 */
@Contract(
    value = "dev.easel.packs.BundleUploaded.v1",
    kind = Contract.Kind.EVENT,
    description = "An uploaded bundle was pushed to a registry.")
public record BundleUploaded(
    UUID uploadId,
    UUID registryId,
    String sha256,
    long bytes,
    List<String> artifacts,
    int blobsPushed,
    int blobsSkipped,
    boolean signed,
    Instant at) {}
