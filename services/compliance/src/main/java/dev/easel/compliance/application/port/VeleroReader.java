package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.backup.VeleroStatus;

/** Reads Velero's Backup and Restore custom resources as JSON. */
public interface VeleroReader {

  /**
   * @throws IllegalArgumentException when it is not a Velero resource of that kind, with what is
   *     wrong
   */
  VeleroStatus backup(byte[] json);

  VeleroStatus restore(String json);
}
