package dev.easel.packs.application.port;

import dev.easel.packs.domain.HealthState;
import dev.easel.packs.domain.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The OCI distribution API of the registries pack-manager keeps packs in. */
public interface RegistryAccess {

  /**
   * Why pack-manager must not call this endpoint (a link-local or cloud-metadata address, say), or
   * empty when it may. Names are resolved to check every address they have.
   */
  Optional<String> refusal(URI endpoint);

  /** A connection with the registry's credentials and trust; the password may be null. */
  Connection connect(Registry registry, String password);

  /** What {@code GET /v2/} showed. */
  record Check(HealthState state, String detail) {}

  /** A manifest as stored. */
  record Manifest(String digest, String mediaType, byte[] content) {}

  /** One registry, with its credentials; safe for concurrent use. */
  interface Connection {

    /** Answers the registry's state; never throws. */
    Check check();

    List<String> catalog() throws IOException;

    List<String> tags(String repository) throws IOException;

    /** The digest a tag points at, fetched with HEAD, without the manifest. */
    Optional<String> manifestDigest(String repository, String reference) throws IOException;

    Optional<Manifest> manifest(String repository, String reference) throws IOException;

    /** A blob's content, checked against its digest as it is read. */
    InputStream blob(String repository, String digest) throws IOException;

    boolean hasBlob(String repository, String digest) throws IOException;

    /** Mounts a blob from another repository of the same registry; false when it would not. */
    boolean mount(String repository, String digest, String from) throws IOException;

    void pushBlob(String repository, String digest, Path file) throws IOException;

    void pushBlob(String repository, String digest, byte[] content) throws IOException;

    /** Stores a manifest; answers its digest. */
    String putManifest(String repository, String reference, String mediaType, byte[] content)
        throws IOException;
  }
}
