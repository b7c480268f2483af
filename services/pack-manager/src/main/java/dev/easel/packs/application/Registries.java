package dev.easel.packs.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.packs.PackRemoved;
import dev.easel.contracts.packs.RegistryAdded;
import dev.easel.contracts.packs.RegistryHealthChanged;
import dev.easel.contracts.packs.RegistryRemoved;
import dev.easel.packs.application.port.CatalogueStore;
import dev.easel.packs.application.port.RegistryAccess;
import dev.easel.packs.application.port.RegistryStore;
import dev.easel.packs.application.port.SecretBox;
import dev.easel.packs.application.port.SyncTrigger;
import dev.easel.packs.domain.FieldProblem;
import dev.easel.packs.domain.Registry;
import dev.easel.packs.domain.RegistryKind;
import dev.easel.packs.domain.RegistrySpec;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registries: add, change, remove, and check their health. The password is sealed before it is
 * stored and opened only to connect; it is never returned, logged or put in an event.
 */
@Service
public class Registries {

  private static final Logger log = LoggerFactory.getLogger(Registries.class);

  private final RegistryStore store;
  private final CatalogueStore catalogue;
  private final SecretBox secrets;
  private final RegistryAccess access;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final SyncTrigger syncs;

  public Registries(
      RegistryStore store,
      CatalogueStore catalogue,
      SecretBox secrets,
      RegistryAccess access,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock,
      SyncTrigger syncs) {
    this.syncs = syncs;
    this.store = store;
    this.catalogue = catalogue;
    this.secrets = secrets;
    this.access = access;
    this.outbox = outbox;
    this.tx = tx;
    this.clock = clock;
  }

  /** Adds a registry, checks its health at once, and asks for its first sync. */
  public Registry create(RegistrySpec spec) {
    List<FieldProblem> problems = new ArrayList<>(spec.problems());
    URI endpoint = null;
    if (problems.stream().noneMatch(p -> p.field().equals("endpoint"))) {
      endpoint = RegistrySpec.normalise(spec.endpoint());
      access
          .refusal(endpoint)
          .ifPresent(why -> problems.add(new FieldProblem("endpoint", "forbidden-address", why)));
    }
    if (!problems.isEmpty()) {
      throw RequestRefused.invalid("invalid-registry", problems);
    }
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    String password = emptyToNull(spec.password());
    Registry r =
        new Registry(
            id,
            spec.name(),
            RegistryKind.of(spec.kind()).orElseThrow(),
            endpoint,
            RegistrySpec.normalisePath(spec.baseContentPath()),
            emptyToNull(spec.username()),
            password != null,
            emptyToNull(spec.caCertificate()),
            Boolean.TRUE.equals(spec.insecureSkipTlsVerify()),
            spec.syncIntervalSeconds() == null
                ? RegistrySpec.DEFAULT_SYNC_INTERVAL
                : spec.syncIntervalSeconds(),
            1,
            now,
            now,
            Registry.Health.UNKNOWN,
            new Registry.SyncStatus("NEVER", null, null, 0, 0, 0, List.of()));
    byte[] sealed = password == null ? null : secrets.seal(password, id.toString());
    try {
      tx.executeWithoutResult(
          s -> {
            store.insert(r, sealed);
            outbox.publishEvent(
                id.toString(),
                new RegistryAdded(
                    id,
                    r.name(),
                    r.kind().wire(),
                    r.endpoint().toString(),
                    r.baseContentPath(),
                    now));
          });
    } catch (RegistryStore.DuplicateName e) {
      throw new RequestRefused(RequestRefused.Kind.CONFLICT, "registry-exists", e.getMessage());
    }
    log.info("registry {} added: {} {}", r.name(), r.kind().wire(), r.endpoint());
    checkHealth(id);
    return get(id);
  }

  /**
   * Changes some settings; absent fields keep their values. The kind never changes.
   *
   * @param spec the new settings, null fields meaning "unchanged"
   * @param passwordGiven whether the request set the password (to a value, or to nothing)
   * @param expectedRevision the revision the caller saw ({@code If-Match}), or null
   */
  public Registry update(UUID id, RegistrySpec spec, boolean passwordGiven, Long expectedRevision) {
    Registry current = get(id);
    if (spec.kind() != null && !spec.kind().equals(current.kind().wire())) {
      throw RequestRefused.invalid(
          "invalid-registry",
          List.of(new FieldProblem("kind", "immutable", "the kind of a registry never changes")));
    }
    if (expectedRevision != null && expectedRevision != current.revision()) {
      throw new RequestRefused(
          RequestRefused.Kind.PRECONDITION_FAILED,
          "stale-revision",
          "the registry is at revision " + current.revision() + ", not " + expectedRevision);
    }
    String password = passwordGiven ? emptyToNull(spec.password()) : null;
    String username = spec.username() != null ? emptyToNull(spec.username()) : current.username();
    RegistrySpec merged =
        new RegistrySpec(
            spec.name() != null ? spec.name() : current.name(),
            current.kind().wire(),
            spec.endpoint() != null ? spec.endpoint() : current.endpoint().toString(),
            spec.baseContentPath() != null ? spec.baseContentPath() : current.baseContentPath(),
            username,
            password,
            spec.caCertificate() != null ? spec.caCertificate() : current.caCertificate(),
            spec.insecureSkipTlsVerify() != null
                ? spec.insecureSkipTlsVerify()
                : current.insecureSkipTlsVerify(),
            spec.syncIntervalSeconds() != null
                ? spec.syncIntervalSeconds()
                : current.syncIntervalSeconds());
    List<FieldProblem> problems = new ArrayList<>(merged.problems());
    boolean keepsPassword = !passwordGiven && current.passwordSet();
    if (keepsPassword && username == null) {
      problems.add(new FieldProblem("username", "required", "a password needs a username"));
    }
    URI endpoint = null;
    if (problems.stream().noneMatch(p -> p.field().equals("endpoint"))) {
      endpoint = RegistrySpec.normalise(merged.endpoint());
      access
          .refusal(endpoint)
          .ifPresent(why -> problems.add(new FieldProblem("endpoint", "forbidden-address", why)));
    }
    if (!problems.isEmpty()) {
      throw RequestRefused.invalid("invalid-registry", problems);
    }
    Instant now = clock.instant();
    Registry next =
        new Registry(
            id,
            merged.name(),
            current.kind(),
            endpoint,
            RegistrySpec.normalisePath(merged.baseContentPath()),
            username,
            passwordGiven ? password != null : current.passwordSet(),
            emptyToNull(merged.caCertificate()),
            merged.insecureSkipTlsVerify(),
            merged.syncIntervalSeconds(),
            current.revision() + 1,
            current.createdAt(),
            now,
            current.health(),
            current.sync());
    byte[] sealed = password == null ? null : secrets.seal(password, id.toString());
    boolean stored;
    try {
      stored = store.update(next, current.revision(), sealed, passwordGiven && password == null);
    } catch (RegistryStore.DuplicateName e) {
      throw new RequestRefused(RequestRefused.Kind.CONFLICT, "registry-exists", e.getMessage());
    }
    if (!stored) {
      throw new RequestRefused(
          RequestRefused.Kind.PRECONDITION_FAILED,
          "stale-revision",
          "the registry changed while it was being updated; read it again");
    }
    log.info("registry {} changed", next.name());
    checkHealth(id);
    return get(id);
  }

  /** Removes a registry and its packs from the catalogue, each pack with its event. */
  public void delete(UUID id) {
    Registry r = get(id);
    Instant now = clock.instant();
    tx.executeWithoutResult(
        s -> {
          for (CatalogueStore.Summary p : catalogue.ofRegistry(id)) {
            outbox.publishEvent(
                id.toString(),
                new PackRemoved(id, r.name(), p.name(), p.version(), p.digest(), p.layer(), now));
          }
          store.delete(id);
          outbox.publishEvent(id.toString(), new RegistryRemoved(id, r.name(), now));
        });
    log.info("registry {} removed", r.name());
  }

  public Registry get(UUID id) {
    return store.find(id).orElseThrow(() -> RequestRefused.notFound("registry " + id));
  }

  public List<Registry> list() {
    return store.list();
  }

  /** Checks a registry now; records the health, and an event when it changed. */
  public Registry.Health checkHealth(UUID id) {
    Optional<Registry> found = store.find(id);
    if (found.isEmpty()) {
      return Registry.Health.UNKNOWN;
    }
    Registry r = found.get();
    RegistryAccess.Check check;
    try {
      check = connect(r).check();
    } catch (IllegalStateException e) {
      // The password does not open (the key changed) or the CA does not load.
      check =
          new RegistryAccess.Check(dev.easel.packs.domain.HealthState.UNAUTHORIZED, e.getMessage());
    }
    Registry.Health before = r.health();
    Registry.Health after = before.observe(check.state(), check.detail(), clock.instant());
    tx.executeWithoutResult(
        s -> {
          store.recordHealth(id, after);
          if (after.changedFrom(before)) {
            outbox.publishEvent(
                id.toString(),
                new RegistryHealthChanged(
                    id,
                    r.name(),
                    after.state().name(),
                    before.state() == null ? null : before.state().name(),
                    after.detail(),
                    after.checkedAt()));
          }
        });
    if (after.changedFrom(before)) {
      log.info("registry {} is {}: {}", r.name(), after.state(), after.detail());
    }
    return after;
  }

  /** Asks for a sync of the registry soon, by whichever instance gets to it first. */
  public void requestSync(UUID id) {
    store.requestSync(id);
    syncs.wake();
  }

  /** A connection with the registry's own credentials. */
  public RegistryAccess.Connection connect(Registry r) {
    String password =
        store.sealedPassword(r.id()).map(b -> secrets.open(b, r.id().toString())).orElse(null);
    return access.connect(r, password);
  }

  /**
   * Registers the internal registry from configuration, once: on the first start of a devstack or a
   * compose deployment. An existing internal registry is left as it is.
   */
  public Optional<Registry> ensureInternal(RegistrySpec spec) {
    if (store.internal().isPresent()) {
      return Optional.empty();
    }
    try {
      return Optional.of(create(spec));
    } catch (RequestRefused e) {
      if (e.type().equals("registry-exists")) {
        return Optional.empty(); // another instance registered it first
      }
      throw e;
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
