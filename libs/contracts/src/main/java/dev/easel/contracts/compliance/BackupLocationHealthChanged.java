package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A periodic check found a backup location working where it failed before, or failing where it
 * worked.
 *
 * @param available whether it works now
 * @param failure what failed: dns, tls, connection, credentials, bucket-missing, permission or
 *     other; null when available
 * @param message what failed, for people; null when available
 */
@Contract(
    value = "dev.easel.compliance.BackupLocationHealthChanged.v1",
    kind = Contract.Kind.EVENT,
    description = "A backup location became reachable or stopped being reachable.")
public record BackupLocationHealthChanged(
    UUID locationId, String name, boolean available, String failure, String message, Instant at) {}
