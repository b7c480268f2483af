package dev.easel.packs.adapters.in.web;

import dev.easel.packs.application.port.CatalogueStore;
import dev.easel.packs.domain.ProfileDefinition;
import dev.easel.packs.domain.ProfileVersion;
import dev.easel.packs.domain.Registry;
import dev.easel.packs.domain.Upload;
import dev.easel.packs.domain.Variable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the API answers: views that never carry a password or a sensitive default. */
final class Views {

  private Views() {}

  static final String MASK = dev.easel.packs.application.Profiles.MASK;

  record RegistryView(
      UUID id,
      String name,
      String kind,
      String endpoint,
      String baseContentPath,
      String username,
      boolean passwordSet,
      String caCertificate,
      boolean insecureSkipTlsVerify,
      int syncIntervalSeconds,
      long revision,
      Instant createdAt,
      Instant updatedAt,
      Registry.Health health,
      Registry.SyncStatus sync) {

    static RegistryView of(Registry r) {
      return new RegistryView(
          r.id(),
          r.name(),
          r.kind().wire(),
          r.endpoint().toString(),
          r.baseContentPath(),
          r.username(),
          r.passwordSet(),
          r.caCertificate(),
          r.insecureSkipTlsVerify(),
          r.syncIntervalSeconds(),
          r.revision(),
          r.createdAt(),
          r.updatedAt(),
          r.health(),
          r.sync());
    }
  }

  record UploadView(
      UUID id,
      UUID registryId,
      String filename,
      String format,
      String state,
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

    static UploadView of(Upload u) {
      return new UploadView(
          u.id(),
          u.registryId(),
          u.filename(),
          u.format(),
          u.state().name(),
          u.bytesReceived(),
          u.sha256(),
          u.signed(),
          u.signatureKey(),
          u.blobsTotal(),
          u.blobsPushed(),
          u.blobsSkipped(),
          u.bytesPushed(),
          u.artifacts(),
          u.errors(),
          u.createdAt(),
          u.updatedAt(),
          u.finishedAt());
    }
  }

  record PackPage(List<CatalogueStore.Summary> items, String next) {}

  record ProfileView(
      String name,
      String version,
      String description,
      String type,
      String cloudType,
      String state,
      long revision,
      Object layers,
      List<Variable> variables,
      Instant createdAt,
      Instant updatedAt,
      Instant publishedAt,
      List<UUID> usedBy) {

    static ProfileView of(ProfileVersion v, List<UUID> usedBy) {
      ProfileDefinition d = masked(v.definition());
      return new ProfileView(
          d.name(),
          d.version(),
          d.description(),
          d.type(),
          d.cloudType(),
          v.state().name(),
          v.revision(),
          d.layers(),
          d.variables(),
          v.createdAt(),
          v.updatedAt(),
          v.publishedAt(),
          usedBy);
    }
  }

  /** A definition whose sensitive variables show no default. */
  static ProfileDefinition masked(ProfileDefinition d) {
    return new ProfileDefinition(
        d.name(),
        d.description(),
        d.type(),
        d.cloudType(),
        d.version(),
        d.layers(),
        d.variables().stream()
            .map(
                v ->
                    v.sensitive() && v.defaultValue() != null
                        ? new Variable(
                            v.name(),
                            v.displayName(),
                            v.description(),
                            v.format(),
                            v.required(),
                            MASK,
                            v.regex(),
                            v.hidden(),
                            v.immutable(),
                            v.sensitive(),
                            v.options())
                        : v)
            .toList());
  }
}
