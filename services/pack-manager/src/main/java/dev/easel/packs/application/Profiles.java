package dev.easel.packs.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.packs.ProfilePublished;
import dev.easel.contracts.packs.ProfileVersionDeleted;
import dev.easel.packs.application.port.CatalogueStore;
import dev.easel.packs.application.port.ProfileStore;
import dev.easel.packs.domain.CataloguedPack;
import dev.easel.packs.domain.FieldProblem;
import dev.easel.packs.domain.PackCatalogueView;
import dev.easel.packs.domain.ProfileDefinition;
import dev.easel.packs.domain.ProfileLayer;
import dev.easel.packs.domain.ProfileResolution;
import dev.easel.packs.domain.ProfileRules;
import dev.easel.packs.domain.ProfileVersion;
import dev.easel.packs.domain.Variable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cluster profiles: drafts validated against the catalogue, new versions made from old ones, and
 * publishing, which freezes a version with its bill of materials and announces it whole in {@link
 * ProfilePublished}, so that cluster-former never asks pack-manager.
 */
@Service
public class Profiles {

  private static final Logger log = LoggerFactory.getLogger(Profiles.class);
  static final String DEFAULT_VERSION = "1.0.0";

  /** What a sensitive variable's default reads as outside the service. */
  public static final String MASK = "********";

  private final ProfileStore store;
  private final CatalogueStore catalogue;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final Clock clock;

  public Profiles(
      ProfileStore store,
      CatalogueStore catalogue,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock) {
    this.store = store;
    this.catalogue = catalogue;
    this.outbox = outbox;
    this.tx = tx;
    this.clock = clock;
  }

  /** The catalogue as profiles see it: every registry's copy of a pack version. */
  PackCatalogueView catalogue() {
    return catalogue::find;
  }

  /** Every problem of a definition, without storing anything. */
  public List<FieldProblem> validate(ProfileDefinition definition) {
    return ProfileRules.validate(withDefaults(definition), catalogue());
  }

  /** Creates a draft version. */
  public ProfileVersion create(ProfileDefinition definition) {
    ProfileDefinition d = withDefaults(definition);
    List<FieldProblem> problems = ProfileRules.validate(d, catalogue());
    if (!problems.isEmpty()) {
      throw RequestRefused.invalid("invalid-profile", problems);
    }
    ProfileVersion v = ProfileVersion.draft(d, clock.instant());
    try {
      store.insert(v);
    } catch (ProfileStore.DuplicateVersion e) {
      throw new RequestRefused(
          RequestRefused.Kind.CONFLICT, "profile-version-exists", e.getMessage());
    }
    log.info("profile {} {} created", d.name(), d.version());
    return v;
  }

  /**
   * A new draft version from an existing one: its definition with the changes applied.
   *
   * @param changes the new version's number and the fields that change (null fields are kept)
   */
  public ProfileVersion newVersion(String name, String from, ProfileDefinition changes) {
    ProfileVersion base = get(name, from);
    ProfileDefinition b = base.definition();
    if (changes.version() == null) {
      throw RequestRefused.invalid(
          "invalid-profile",
          List.of(new FieldProblem("version", "required", "the new version's number is required")));
    }
    ProfileDefinition next =
        new ProfileDefinition(
            name,
            changes.description() != null ? changes.description() : b.description(),
            changes.type() != null ? changes.type() : b.type(),
            changes.cloudType() != null ? changes.cloudType() : b.cloudType(),
            changes.version(),
            changes.layers() != null && !changes.layers().isEmpty() ? changes.layers() : b.layers(),
            changes.variables() != null && !changes.variables().isEmpty()
                ? unmasked(changes.variables(), b.variables())
                : b.variables());
    return create(next);
  }

  /** Replaces a draft's definition; a published version refuses with 409. */
  public ProfileVersion update(
      String name, String version, ProfileDefinition definition, Long expectedRevision) {
    ProfileVersion current = get(name, version);
    if (current.isPublished()) {
      throw published(name, version);
    }
    if (expectedRevision != null && expectedRevision != current.revision()) {
      throw stale(current);
    }
    ProfileDefinition d =
        withDefaults(
            new ProfileDefinition(
                name,
                definition.description(),
                definition.type(),
                definition.cloudType(),
                version,
                definition.layers(),
                unmasked(definition.variables(), current.definition().variables())));
    List<FieldProblem> problems = ProfileRules.validate(d, catalogue());
    if (!problems.isEmpty()) {
      throw RequestRefused.invalid("invalid-profile", problems);
    }
    ProfileVersion next = current.changed(d, clock.instant());
    if (!store.update(next, current.revision())) {
      throw stale(current);
    }
    return next;
  }

  /**
   * Publishes a draft: validated again against today's catalogue, resolved (variables stay as
   * placeholders), frozen, and announced with its whole bill of materials.
   */
  public ProfileVersion publish(String name, String version, Long expectedRevision) {
    ProfileVersion current = get(name, version);
    if (current.isPublished()) {
      throw published(name, version);
    }
    if (expectedRevision != null && expectedRevision != current.revision()) {
      throw stale(current);
    }
    ProfileDefinition d = current.definition();
    ProfileResolution.Resolved bom =
        ProfileResolution.resolve(d, catalogue(), Map.of(), Map.of(), false);
    if (!bom.problems().isEmpty()) {
      throw RequestRefused.invalid("invalid-profile", bom.problems());
    }
    List<CataloguedPack> used = new ArrayList<>();
    for (ProfileResolution.ResolvedLayer l : bom.layers()) {
      if (l.kind().equals("pack")) {
        catalogue.find(l.name(), l.version()).stream()
            .filter(p -> p.registry().equals(l.registry()))
            .findFirst()
            .ifPresent(used::add);
      }
    }
    Instant now = clock.instant();
    ProfileVersion next = current.published(new ProfileVersion.Publication(bom, used), now);
    tx.executeWithoutResult(
        s -> {
          if (!store.update(next, current.revision())) {
            throw stale(current);
          }
          outbox.publishEvent(name, event(next, bom, now));
        });
    log.info("profile {} {} published: {} layers", name, version, bom.layers().size());
    return next;
  }

  /** Deletes a version no cluster uses. */
  public void delete(String name, String version) {
    ProfileVersion current = get(name, version);
    List<UUID> users = store.usedBy(name, version);
    if (!users.isEmpty()) {
      throw new RequestRefused(
          RequestRefused.Kind.CONFLICT,
          "profile-in-use",
          "profile "
              + name
              + " "
              + version
              + " is used by "
              + users.size()
              + " cluster(s): "
              + users);
    }
    tx.executeWithoutResult(
        s -> {
          store.delete(name, version);
          outbox.publishEvent(
              name,
              new ProfileVersionDeleted(name, version, current.isPublished(), clock.instant()));
        });
    log.info("profile {} {} deleted", name, version);
  }

  /**
   * The bill of materials with variable values: each layer's merged values with variables and
   * macros substituted. A published version resolves against the catalogue it was published with; a
   * draft against today's.
   */
  public ProfileResolution.Resolved resolve(
      String name, String version, Map<String, String> variables) {
    ProfileVersion v = get(name, version);
    PackCatalogueView view = v.isPublished() ? v.publication().asCatalogue() : catalogue();
    ProfileResolution.Resolved r =
        ProfileResolution.resolve(v.definition(), view, variables, Map.of(), true);
    if (!r.problems().isEmpty()) {
      throw RequestRefused.invalid("unresolvable-profile", r.problems());
    }
    return r;
  }

  public ProfileVersion get(String name, String version) {
    return store
        .find(name, version)
        .orElseThrow(() -> RequestRefused.notFound("profile " + name + " " + version));
  }

  public List<ProfileVersion> versions(String name) {
    List<ProfileVersion> all = store.versions(name);
    if (all.isEmpty()) {
      throw RequestRefused.notFound("profile " + name);
    }
    return all;
  }

  public List<ProfileVersion> latest() {
    return store.latest();
  }

  public List<UUID> usedBy(String name, String version) {
    return store.usedBy(name, version);
  }

  /** A cluster uses a version (from cluster-former's events); idempotent. */
  public void attached(UUID clusterId, String name, String version, Instant at) {
    store.attach(clusterId, name, version, at);
  }

  /** A cluster stopped using a version; idempotent. */
  public void detached(UUID clusterId, String name, String version) {
    store.detach(clusterId, name, version);
  }

  /**
   * Variables as given, where a sensitive default that reads as the mask (a client sending back
   * what it read) keeps the stored default.
   */
  static List<Variable> unmasked(List<Variable> given, List<Variable> stored) {
    if (given == null) {
      return null;
    }
    Map<String, Variable> before = new LinkedHashMap<>();
    for (Variable v : stored) {
      before.put(v.name(), v);
    }
    List<Variable> out = new ArrayList<>();
    for (Variable v : given) {
      Variable old = before.get(v.name());
      if (v.sensitive() && MASK.equals(v.defaultValue()) && old != null) {
        out.add(
            new Variable(
                v.name(),
                v.displayName(),
                v.description(),
                v.format(),
                v.required(),
                old.defaultValue(),
                v.regex(),
                v.hidden(),
                v.immutable(),
                v.sensitive(),
                v.options()));
      } else {
        out.add(v);
      }
    }
    return out;
  }

  private static ProfileDefinition withDefaults(ProfileDefinition d) {
    return new ProfileDefinition(
        d.name(),
        d.description(),
        d.type(),
        d.cloudType(),
        d.version() == null || d.version().isBlank() ? DEFAULT_VERSION : d.version(),
        d.layers() == null ? List.<ProfileLayer>of() : d.layers(),
        d.variables() == null ? List.<Variable>of() : d.variables());
  }

  private static RequestRefused published(String name, String version) {
    return new RequestRefused(
        RequestRefused.Kind.CONFLICT,
        "profile-published",
        "profile "
            + name
            + " "
            + version
            + " is published and never changes; make a new version from it");
  }

  private static RequestRefused stale(ProfileVersion current) {
    return new RequestRefused(
        RequestRefused.Kind.PRECONDITION_FAILED,
        "stale-revision",
        "profile "
            + current.name()
            + " "
            + current.version()
            + " changed (revision "
            + current.revision()
            + "); read it again");
  }

  private static ProfilePublished event(
      ProfileVersion v, ProfileResolution.Resolved bom, Instant at) {
    ProfileDefinition d = v.definition();
    List<ProfilePublished.ResolvedLayer> layers = new ArrayList<>();
    for (ProfileResolution.ResolvedLayer l : bom.layers()) {
      layers.add(
          new ProfilePublished.ResolvedLayer(
              l.kind(),
              l.layer(),
              l.name(),
              l.version(),
              l.registry(),
              l.repository(),
              l.digest(),
              l.values(),
              l.images(),
              l.charts(),
              l.manifests().stream()
                  .map(m -> new ProfilePublished.Manifest(m.name(), m.content()))
                  .toList()));
    }
    Map<String, Variable> byName = new LinkedHashMap<>();
    for (Variable var : d.variables()) {
      byName.put(var.name(), var);
    }
    List<ProfilePublished.ProfileVariable> variables = new ArrayList<>();
    for (Variable var : byName.values()) {
      variables.add(
          new ProfilePublished.ProfileVariable(
              var.name(),
              var.displayName(),
              var.description(),
              var.format() == null ? "string" : var.format(),
              var.required(),
              var.sensitive() ? null : var.defaultValue(),
              var.regex(),
              var.hidden(),
              var.immutable(),
              var.sensitive(),
              var.options() == null
                  ? List.of()
                  : var.options().stream().map(Variable.Option::value).toList()));
    }
    return new ProfilePublished(
        d.name(), d.version(), d.description(), d.type(), d.cloudType(), layers, variables, at);
  }
}
