package dev.easel.clusters.application.port;

import dev.easel.clusters.domain.PublishedProfile;
import java.util.Optional;

/** The published profile versions, kept from pack-manager's events. */
public interface ProfileReplica {

  /** Keeps a published version; publishing the same version again changes nothing. */
  void save(PublishedProfile profile);

  void delete(String name, String version);

  Optional<PublishedProfile> find(String name, String version);
}
