package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A backup location's settings or credentials were changed, and the new ones were shown to work.
 * Never its credentials.
 *
 * @param credentialsChanged whether new credentials were given
 */
@Contract(
    value = "dev.easel.compliance.BackupLocationChanged.v1",
    kind = Contract.Kind.EVENT,
    description = "A backup location's settings or credentials changed.")
public record BackupLocationChanged(
    UUID locationId,
    String name,
    String provider,
    String bucket,
    String prefix,
    String region,
    String endpoint,
    boolean credentialsChanged,
    String actor,
    Instant at) {}
