package dev.easel.packs.application.port;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Temporary space for uploads: one directory per upload, removed on every outcome. Nothing of an
 * upload is written anywhere else.
 */
public interface Spool {

  /** A fresh, private directory for an upload. */
  Path create(UUID uploadId) throws IOException;

  /** Removes an upload's directory and all in it; never throws. */
  void delete(UUID uploadId);

  /** Bytes free where uploads are spooled. */
  long usableSpace();
}
