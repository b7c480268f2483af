package dev.easel.nodes.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.nodes.PlanStepArtifactStored;
import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.application.port.ArtifactStore;
import dev.easel.nodes.application.port.NodeStore;
import dev.easel.nodes.application.port.PlanStore;
import dev.easel.nodes.domain.Plan;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Artifacts: files a plan step declared, uploaded by its node's agent after the step succeeded and
 * before it reports so. The content goes to the {@link ArtifactStore}, a row and {@link
 * PlanStepArtifactStored} to the database in one transaction.
 *
 * <p>Everything that needs no body is checked before a byte of it is read: the plan is the node's,
 * the step declared the name, the step is the one running, and an artifact already stored under the
 * name is answered from its row. The body then streams to the store with no transaction open (an
 * upload may take minutes), and the checks are made again under the node's and the plan's locks
 * before the row is written: the plan may have been cancelled in the meantime.
 */
@Service
public class Artifacts {

  /** What content of an unnamed type is recorded as. */
  public static final String DEFAULT_MEDIA_TYPE = "application/octet-stream";

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final int MAX_MEDIA_TYPE_CHARS = 255;

  private final NodeStore nodes;
  private final PlanStore plans;
  private final ArtifactStore store;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final Clock clock;

  public Artifacts(
      NodeStore nodes,
      PlanStore plans,
      ArtifactStore store,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock) {
    this.nodes = nodes;
    this.plans = plans;
    this.store = store;
    this.outbox = outbox;
    this.tx = tx;
    this.clock = clock;
  }

  /** The request body, opened only once every check that needs none has passed. */
  @FunctionalInterface
  public interface Body {
    InputStream open() throws IOException;
  }

  /**
   * An artifact as stored, as the upload is answered.
   *
   * @param digest {@code sha256:<hex>}
   * @param location where the content is read, a {@code file:} URI today
   */
  public record Stored(String name, String digest, long size, String mediaType, String location) {}

  /**
   * What an upload did.
   *
   * @param created true when this upload stored it; false when it had been stored before with the
   *     same digest, and nothing changed
   */
  public record Upload(boolean created, Stored artifact) {}

  /**
   * Stores one artifact of the step the node's agent is running.
   *
   * @param digest what the agent says the content's digest is: {@code sha256:<hex>}
   * @param mediaType what the agent says the content is; {@value #DEFAULT_MEDIA_TYPE} when null
   * @throws RequestRefused 400 for a malformed digest or media type; 404 for a plan, step or
   *     artifact name the node does not have; 409 when the step is not running, or the name was
   *     stored with another digest; 422 when the content does not match its digest
   */
  public Upload upload(
      UUID nodeId,
      String planId,
      String stepId,
      String name,
      String digest,
      String mediaType,
      Body body)
      throws IOException {
    String expected = digest(digest);
    String type = mediaType == null || mediaType.isBlank() ? DEFAULT_MEDIA_TYPE : mediaType.trim();
    if (type.length() > MAX_MEDIA_TYPE_CHARS) {
      throw new RequestRefused(
          Kind.INVALID,
          "invalid-media-type",
          "the media type is longer than " + MAX_MEDIA_TYPE_CHARS + " characters");
    }
    Optional<Upload> before = tx.execute(s -> admit(nodeId, planId, stepId, name, expected));
    if (before.isPresent()) {
      return before.get();
    }
    ArtifactStore.Put put;
    try (InputStream in = body.open()) {
      put = store.put(in, expected);
    }
    if (put instanceof ArtifactStore.Mismatch m) {
      throw new RequestRefused(
          Kind.UNPROCESSABLE,
          "digest-mismatch",
          "the body ("
              + m.size()
              + " bytes) has the digest "
              + m.actualDigest()
              + ", not "
              + expected
              + "; nothing was stored");
    }
    ArtifactStore.Blob blob = ((ArtifactStore.Stored) put).blob();
    return tx.execute(s -> record(nodeId, planId, stepId, name, type, blob));
  }

  private Upload record(
      UUID nodeId,
      String planId,
      String stepId,
      String name,
      String mediaType,
      ArtifactStore.Blob blob) {
    nodes.lock(List.of(nodeId));
    Optional<Upload> again = admit(nodeId, planId, stepId, name, blob.digest());
    if (again.isPresent()) {
      return again.get(); // a concurrent upload of the same content recorded it first
    }
    Instant now = clock.instant();
    PlanStore.StoredArtifact row =
        new PlanStore.StoredArtifact(
            stepId, name, blob.digest(), blob.size(), mediaType, blob.location(), now);
    if (!plans.insertArtifact(planId, row)) {
      // Every writer holds the plan's lock, so this is not expected; it is answered, not trusted.
      throw new RequestRefused(
          Kind.CONFLICT, "artifact-conflict", "artifact '" + name + "' was stored meanwhile");
    }
    outbox.publishEvent(
        nodeId.toString(),
        new PlanStepArtifactStored(
            nodeId,
            planId,
            stepId,
            name,
            blob.digest(),
            blob.size(),
            mediaType,
            blob.location(),
            now));
    return new Upload(true, stored(row));
  }

  /**
   * Checks, under the plan's lock, that the upload may proceed.
   *
   * @return the earlier upload when the artifact is stored with this digest already; empty when the
   *     content is wanted
   */
  private Optional<Upload> admit(
      UUID nodeId, String planId, String stepId, String name, String digest) {
    return check(nodeId, planId, stepId, name)
        .map(
            stored -> {
              if (!stored.digest().equals(digest)) {
                throw new RequestRefused(
                    Kind.CONFLICT,
                    "artifact-conflict",
                    "artifact '"
                        + name
                        + "' of step '"
                        + stepId
                        + "' is stored with the digest "
                        + stored.digest()
                        + "; an artifact is not replaced");
              }
              return new Upload(false, stored(stored));
            });
  }

  /**
   * What is stored for an artifact of a step of the node's plan, as its agent asks before it
   * uploads: an upload the server would refuse, or content it has already, is then never sent.
   *
   * @throws RequestRefused 404 {@code artifact-not-stored} when nothing is stored and an upload
   *     would be taken; otherwise the refusal the upload would get
   */
  public Stored find(UUID nodeId, String planId, String stepId, String name) {
    return tx.execute(s -> check(nodeId, planId, stepId, name))
        .map(Artifacts::stored)
        .orElseThrow(
            () ->
                new RequestRefused(
                    Kind.NOT_FOUND,
                    "artifact-not-stored",
                    "artifact '" + name + "' of step '" + stepId + "' is not stored yet"));
  }

  /**
   * Checks, under the plan's lock, that the plan is the node's, the step declared the name, and
   * either the artifact is stored or the step is running.
   *
   * @return what is stored; empty when nothing is, and an upload would be taken
   */
  private Optional<PlanStore.StoredArtifact> check(
      UUID nodeId, String planId, String stepId, String name) {
    PlanStore.Locked plan =
        plans
            .lock(planId)
            .filter(p -> p.nodeId().equals(nodeId))
            .orElseThrow(
                () ->
                    new RequestRefused(
                        Kind.NOT_FOUND, "not-found", "node " + nodeId + " has no plan " + planId));
    if (plan.plan().steps().stream().noneMatch(st -> st.id().equals(stepId))) {
      throw new RequestRefused(
          Kind.NOT_FOUND, "step-not-found", "the plan has no step '" + stepId + "'");
    }
    boolean declared =
        plans.artifactPaths(planId, stepId).stream()
            .anyMatch(path -> Plan.artifactName(path).equals(name));
    if (!declared) {
      throw new RequestRefused(
          Kind.NOT_FOUND,
          "artifact-not-declared",
          "step '" + stepId + "' declared no artifact named '" + name + "'");
    }
    Optional<PlanStore.StoredArtifact> stored = plans.artifact(planId, stepId, name);
    if (stored.isPresent()) {
      // Before the step's state: an agent that lost the answer to its upload asks again, and is
      // told it is there, whatever has happened to the step since.
      return stored;
    }
    Optional<Plan.Refused> notRunning = plan.plan().running(stepId);
    if (notRunning.isPresent()) {
      Plan.Refused r = notRunning.get();
      throw new RequestRefused(
          Kind.CONFLICT,
          r.code(),
          r.reason() + "; artifacts are taken only for the step that is running");
    }
    return Optional.empty();
  }

  private static Stored stored(PlanStore.StoredArtifact a) {
    return new Stored(a.name(), a.digest(), a.size(), a.mediaType(), a.location());
  }

  /** The digest an agent sent, in the one form stored: {@code sha256:} and lowercase hex. */
  private static String digest(String sent) {
    String d = sent == null ? "" : sent.trim().toLowerCase(Locale.ROOT);
    if (!DIGEST.matcher(d).matches()) {
      throw new RequestRefused(
          Kind.INVALID,
          "invalid-digest",
          "an artifact is sent with its digest, sha256:<64 hex digits>");
    }
    return d;
  }
}
