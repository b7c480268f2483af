package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.scan.Scan;
import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.scan.ScanPlans;
import dev.easel.compliance.domain.scan.ScanState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Scans, their plans on nodes, and the files those plans leave. */
public interface ScanStore {

  /**
   * One plan of a scan.
   *
   * @param state {@code queued}, {@code done}, {@code failed} or {@code cancelled}
   */
  record PartRow(
      UUID scanId,
      String planId,
      UUID nodeId,
      String hostname,
      String role,
      String state,
      String reason) {

    public static final String QUEUED = "queued";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
  }

  /**
   * A file a plan leaves: expected when the plan is sent, stored when its event arrives, read when
   * its findings are in.
   */
  record ArtifactRow(
      UUID scanId,
      String planId,
      String stepId,
      String name,
      ScanPlans.Reader reader,
      String scope,
      UUID nodeId,
      String hostname,
      String role,
      String digest,
      Long size,
      String mediaType,
      String location,
      boolean read) {}

  void insert(Scan scan);

  void update(Scan scan);

  Optional<Scan> find(UUID id);

  /** The scan, locked until the transaction ends: every change to a scan goes through this. */
  Optional<Scan> lock(UUID id);

  /** A cluster's scans, newest first, optionally of one kind. */
  List<Scan> ofCluster(UUID clusterId, ScanKind kind, int limit);

  /** The latest completed scan of a kind on a cluster before the given one. */
  Optional<Scan> previousCompleted(UUID clusterId, ScanKind kind, Instant before);

  /** Scans in these states, oldest first. */
  List<Scan> inStates(List<ScanState> states, int limit);

  /** Scans of one kind in these states, oldest first. */
  List<Scan> inStates(List<ScanState> states, ScanKind kind, int limit);

  void addPart(ScanPlans.Part part, UUID scanId);

  Optional<PartRow> part(String planId);

  List<PartRow> parts(UUID scanId);

  void partFinished(String planId, String state, String reason);

  /**
   * Records that a file arrived. Empty when no scan expects it (another service's plan, or a name
   * the plan did not declare).
   */
  Optional<ArtifactRow> artifactStored(
      String planId,
      String stepId,
      String name,
      String digest,
      long size,
      String mediaType,
      String location);

  List<ArtifactRow> artifacts(UUID scanId);

  /**
   * The next stored file whose findings are not in yet, locked (skipping those another instance
   * holds) until the transaction ends.
   */
  Optional<ArtifactRow> nextToRead();

  void artifactRead(UUID scanId, String planId, String name);
}
