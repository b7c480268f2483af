package dev.easel.compliance.application.port;

import java.io.IOException;
import java.io.InputStream;

/** Opens a file a plan left, by the location node-discovery's event gave. */
public interface ArtifactSource {

  /**
   * The file's bytes, checked against its digest as they are read: a stream whose end does not
   * match throws {@link IOException}.
   *
   * @throws IOException when it cannot be opened
   */
  InputStream open(String location, String digest) throws IOException;
}
