package dev.easel.packs.domain;

import java.time.Instant;

/**
 * One version of a cluster profile. A draft changes freely; a published version never changes
 * again, and carries the bill of materials resolved when it was published.
 *
 * @param revision incremented by every change of a draft; the ETag of the resource
 * @param publication the bill of materials and the catalogue entries it came from, set when
 *     published
 */
public record ProfileVersion(
    ProfileDefinition definition,
    State state,
    Publication publication,
    long revision,
    Instant createdAt,
    Instant updatedAt,
    Instant publishedAt) {

  /** Draft, or published for good. */
  public enum State {
    DRAFT,
    PUBLISHED
  }

  public String name() {
    return definition.name();
  }

  public String version() {
    return definition.version();
  }

  public static ProfileVersion draft(ProfileDefinition definition, Instant now) {
    return new ProfileVersion(definition, State.DRAFT, null, 1, now, now, null);
  }

  /** This draft with a new definition; a published version refuses. */
  public ProfileVersion changed(ProfileDefinition next, Instant now) {
    requireDraft();
    return new ProfileVersion(next, State.DRAFT, null, revision + 1, createdAt, now, null);
  }

  public ProfileVersion published(Publication publication, Instant now) {
    requireDraft();
    return new ProfileVersion(
        definition, State.PUBLISHED, publication, revision + 1, createdAt, now, now);
  }

  /**
   * What a version was published with: its bill of materials, with variables left as placeholders,
   * and a copy of each catalogue entry it used, so that resolving it later (with a cluster's
   * variable values) gives the same packs even after they leave the catalogue.
   */
  public record Publication(ProfileResolution.Resolved bom, java.util.List<CataloguedPack> packs) {

    /** The catalogue as it was when the version was published. */
    public PackCatalogueView asCatalogue() {
      return (name, version) ->
          packs.stream()
              .filter(
                  p -> p.manifest().name().equals(name) && p.manifest().version().equals(version))
              .toList();
    }
  }

  public boolean isPublished() {
    return state == State.PUBLISHED;
  }

  private void requireDraft() {
    if (state != State.DRAFT) {
      throw new IllegalStateException(
          "profile " + name() + " " + version() + " is published and cannot change");
    }
  }
}
