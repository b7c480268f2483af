package dev.easel.clusters.application;

import dev.easel.clusters.application.port.ProfileReplica;
import dev.easel.clusters.domain.PublishedProfile;
import dev.easel.contracts.packs.ProfilePublished;
import java.time.Instant;
import org.springframework.stereotype.Service;

/** Follows pack-manager's published profile versions into cluster-former's copy. */
@Service
public class ProfileReplication {

  private final ProfileReplica profiles;

  public ProfileReplication(ProfileReplica profiles) {
    this.profiles = profiles;
  }

  public void published(ProfilePublished e) {
    profiles.save(
        new PublishedProfile(
            e.name(),
            e.version(),
            e.type(),
            e.cloudType(),
            e.layers() == null
                ? null
                : e.layers().stream()
                    .map(
                        l ->
                            new PublishedProfile.Layer(
                                l.layer(), l.name(), l.version(), l.digest(), l.values()))
                    .toList(),
            e.variables() == null
                ? null
                : e.variables().stream()
                    .map(
                        v ->
                            new PublishedProfile.Variable(
                                v.name(),
                                v.format(),
                                v.required(),
                                v.defaultValue(),
                                v.regex(),
                                v.sensitive(),
                                v.options()))
                    .toList(),
            e.at() == null ? Instant.EPOCH : e.at()));
  }

  public void deleted(String name, String version) {
    profiles.delete(name, version);
  }
}
