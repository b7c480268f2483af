package dev.easel.nodes.application.port;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the content of plan step artifacts is kept, addressed by its SHA-256: the same content is
 * kept once however often it is uploaded, and a reader checks what it reads against the digest it
 * was told.
 */
public interface ArtifactStore {

  /**
   * Content as stored.
   *
   * @param digest {@code sha256:} and the SHA-256 in lowercase hex
   * @param location where a reader finds it; its URI scheme says how to read it
   */
  record Blob(String digest, long size, String location) {}

  /** What storing content did. */
  sealed interface Put permits Stored, Mismatch {}

  /** The content matched its digest and is stored (or was already). */
  record Stored(Blob blob) implements Put {}

  /** The content did not match the digest it was sent with; nothing was kept. */
  record Mismatch(String actualDigest, long size) implements Put {}

  /**
   * Streams content into the store, computing its digest on the way; only content that matches
   * {@code expectedDigest} is kept, and nothing partial is ever visible under a digest. An
   * exception from {@code content} (a body cut at its limit, a dropped connection) leaves nothing
   * behind either, and propagates.
   *
   * @param expectedDigest {@code sha256:<64 lowercase hex>}
   */
  Put put(InputStream content, String expectedDigest) throws IOException;
}
