package dev.easel.packs.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A bundle upload and its push to a registry. States: {@code RECEIVING} while the body arrives and
 * is checked, {@code PUSHING} once it is accepted, then {@code COMPLETED} or {@code FAILED}. A
 * refused body leaves a {@code FAILED} upload with the reason, and nothing pushed.
 *
 * @param format {@code pack-archive} (a {@code .tar.gz} pack directory) or {@code oci-bundle} (a
 *     {@code .tar.zst} OCI image layout)
 * @param artifacts every reference pushed, {@code <repository>:<tag>}
 */
public record Upload(
    UUID id,
    UUID registryId,
    String filename,
    String format,
    State state,
    long bytesReceived,
    String sha256,
    boolean signed,
    String signatureKey,
    int blobsTotal,
    int blobsPushed,
    int blobsSkipped,
    long bytesPushed,
    List<String> artifacts,
    List<String> errors,
    Instant createdAt,
    Instant updatedAt,
    Instant finishedAt) {

  /** Where an upload is. */
  public enum State {
    RECEIVING,
    PUSHING,
    COMPLETED,
    FAILED;

    public boolean finished() {
      return this == COMPLETED || this == FAILED;
    }
  }

  public Upload {
    artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public static Upload receiving(UUID id, UUID registryId, String filename, Instant now) {
    return new Upload(
        id,
        registryId,
        filename,
        null,
        State.RECEIVING,
        0,
        null,
        false,
        null,
        0,
        0,
        0,
        0,
        List.of(),
        List.of(),
        now,
        now,
        null);
  }

  public Upload received(long bytes, Instant now) {
    return new Upload(
        id,
        registryId,
        filename,
        format,
        state,
        bytes,
        sha256,
        signed,
        signatureKey,
        blobsTotal,
        blobsPushed,
        blobsSkipped,
        bytesPushed,
        artifacts,
        errors,
        createdAt,
        now,
        finishedAt);
  }

  /** The body is in and checked: what was found, and the push begins. */
  public Upload accepted(
      String acceptedFormat,
      long bytes,
      String digest,
      String keyName,
      int blobs,
      List<String> references,
      Instant now) {
    requireState(State.RECEIVING);
    return new Upload(
        id,
        registryId,
        filename,
        acceptedFormat,
        State.PUSHING,
        bytes,
        digest,
        keyName != null,
        keyName,
        blobs,
        0,
        0,
        0,
        references,
        errors,
        createdAt,
        now,
        null);
  }

  public Upload blobDone(boolean skipped, long bytes, Instant now) {
    return new Upload(
        id,
        registryId,
        filename,
        format,
        state,
        bytesReceived,
        sha256,
        signed,
        signatureKey,
        blobsTotal,
        blobsPushed + (skipped ? 0 : 1),
        blobsSkipped + (skipped ? 1 : 0),
        bytesPushed + (skipped ? 0 : bytes),
        artifacts,
        errors,
        createdAt,
        now,
        finishedAt);
  }

  public Upload completed(Instant now) {
    requireState(State.PUSHING);
    return new Upload(
        id,
        registryId,
        filename,
        format,
        State.COMPLETED,
        bytesReceived,
        sha256,
        signed,
        signatureKey,
        blobsTotal,
        blobsPushed,
        blobsSkipped,
        bytesPushed,
        artifacts,
        errors,
        createdAt,
        now,
        now);
  }

  /** Failed, from any unfinished state, with the reasons. */
  public Upload failed(List<String> reasons, Instant now) {
    if (state.finished()) {
      throw new IllegalStateException("upload " + id + " is already " + state);
    }
    List<String> all = new ArrayList<>(errors);
    all.addAll(reasons);
    return new Upload(
        id,
        registryId,
        filename,
        format,
        State.FAILED,
        bytesReceived,
        sha256,
        signed,
        signatureKey,
        blobsTotal,
        blobsPushed,
        blobsSkipped,
        bytesPushed,
        artifacts,
        all,
        createdAt,
        now,
        now);
  }

  private void requireState(State expected) {
    if (state != expected) {
      throw new IllegalStateException("upload " + id + " is " + state + ", not " + expected);
    }
  }
}
