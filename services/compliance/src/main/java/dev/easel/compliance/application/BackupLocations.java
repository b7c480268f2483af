package dev.easel.compliance.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.compliance.application.port.BackupStore;
import dev.easel.compliance.application.port.ObjectStores;
import dev.easel.compliance.application.port.SecretBox;
import dev.easel.compliance.domain.backup.BackupLocation;
import dev.easel.compliance.domain.backup.Credentials;
import dev.easel.compliance.domain.backup.LocationSpec;
import dev.easel.compliance.domain.backup.Provider;
import dev.easel.contracts.compliance.BackupLocationAdded;
import dev.easel.contracts.compliance.BackupLocationChanged;
import dev.easel.contracts.compliance.BackupLocationHealthChanged;
import dev.easel.contracts.compliance.BackupLocationRemoved;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Backup locations: added, changed and removed by operators, each only once a real connection shows
 * it works, and checked again from time to time. Credentials are sealed at rest and never returned;
 * they leave the service only as a plan's secret files.
 */
@Component
public class BackupLocations {

  private static final Logger log = LoggerFactory.getLogger(BackupLocations.class);

  /** The request is wrong; nothing was changed. */
  public static final class Invalid extends RuntimeException {
    private final List<LocationSpec.Problem> problems;

    public Invalid(List<LocationSpec.Problem> problems) {
      super(problems.size() + " problem(s) with the request; nothing was changed");
      this.problems = List.copyOf(problems);
    }

    public List<LocationSpec.Problem> problems() {
      return problems;
    }
  }

  /** The location could not be used: what failed, named. Nothing was changed. */
  public static final class Unreachable extends RuntimeException {
    private final ObjectStores.Probe probe;

    public Unreachable(ObjectStores.Probe probe) {
      super(probe.message());
      this.probe = probe;
    }

    public String failure() {
      return wire(probe.failure());
    }
  }

  public static final class NotFound extends RuntimeException {
    public NotFound(String what) {
      super("no backup location " + what);
    }
  }

  /** Another location has the name, or the location is in use. */
  public static final class Conflict extends RuntimeException {
    private final String code;

    public Conflict(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** The location changed since the version the client read. */
  public static final class Stale extends RuntimeException {
    public Stale(long current) {
      super("the location changed: its version is now " + current + "; read it again");
    }
  }

  /**
   * Changes to a location: a null field keeps what it has.
   *
   * @param credentials new credentials, or null to keep them
   */
  public record Change(
      String bucket,
      String prefix,
      String region,
      String endpoint,
      Boolean pathStyle,
      String caCertificate,
      Credentials credentials) {}

  private final BackupStore store;
  private final ObjectStores objectStores;
  private final SecretBox box;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final Clock clock;

  public BackupLocations(
      BackupStore store,
      ObjectStores objectStores,
      SecretBox box,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock) {
    this.store = store;
    this.objectStores = objectStores;
    this.box = box;
    this.outbox = outbox;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Adds a location once a probe shows it works.
   *
   * @throws Invalid with every problem of the request
   * @throws Conflict when the name is taken
   * @throws Unreachable naming what failed
   */
  public BackupLocation create(LocationSpec spec, String actor) {
    List<LocationSpec.Problem> problems = new ArrayList<>();
    spec.check(true, problems);
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    if (store.locationNamed(spec.name()).isPresent()) {
      throw new Conflict("location-exists", "a backup location is named " + spec.name());
    }
    String prefix = LocationSpec.normalizePrefix(spec.prefix());
    Instant now = clock.instant();
    BackupLocation l =
        new BackupLocation(
            UUID.randomUUID(),
            spec.name(),
            spec.provider(),
            spec.bucket(),
            prefix,
            blank(spec.region()),
            blank(spec.endpoint()),
            spec.pathStyle() || spec.provider() == Provider.MINIO,
            blank(spec.caCertificate()),
            null,
            null,
            now,
            now,
            1);
    ObjectStores.Probe probe = probe(l, spec.credentials());
    if (!probe.ok()) {
      throw new Unreachable(probe);
    }
    BackupLocation saved = l.withHealth(health(probe, now));
    return tx.execute(
        s -> {
          if (store.locationNamed(spec.name()).isPresent()) {
            throw new Conflict("location-exists", "a backup location is named " + spec.name());
          }
          store.insertLocation(saved, box.seal(serialize(spec.credentials()), bound(saved.id())));
          outbox.publishEvent(
              saved.id().toString(),
              new BackupLocationAdded(
                  saved.id(),
                  saved.name(),
                  saved.provider().wireName(),
                  saved.bucket(),
                  saved.prefix(),
                  saved.region(),
                  saved.endpoint(),
                  actor,
                  now));
          log.info("backup location {} added by {}", saved.name(), actor);
          return saved;
        });
  }

  /**
   * Changes a location once a probe shows the changed one works.
   *
   * @param ifMatch the version the client read, or null to change whatever is there
   */
  public BackupLocation change(UUID id, Change c, Long ifMatch, String actor) {
    BackupLocation current = get(id);
    if (ifMatch != null && ifMatch != current.version()) {
      throw new Stale(current.version());
    }
    Credentials credentials = c.credentials() != null ? c.credentials() : credentials(current);
    LocationSpec spec =
        new LocationSpec(
            current.name(),
            current.provider(),
            c.bucket() != null ? c.bucket() : current.bucket(),
            c.prefix() != null ? c.prefix() : current.prefix(),
            c.region() != null ? c.region() : current.region(),
            c.endpoint() != null ? c.endpoint() : current.endpoint(),
            c.pathStyle() != null ? c.pathStyle() : current.pathStyle(),
            c.caCertificate() != null ? c.caCertificate() : current.caCertificate(),
            c.credentials());
    List<LocationSpec.Problem> problems = new ArrayList<>();
    spec.check(false, problems);
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    Instant now = clock.instant();
    BackupLocation changed =
        new BackupLocation(
            id,
            current.name(),
            current.provider(),
            spec.bucket(),
            LocationSpec.normalizePrefix(spec.prefix()),
            blank(spec.region()),
            blank(spec.endpoint()),
            spec.pathStyle() || current.provider() == Provider.MINIO,
            blank(spec.caCertificate()),
            null,
            current.lastSyncedAt(),
            current.createdAt(),
            now,
            current.version() + 1);
    ObjectStores.Probe probe = probe(changed, credentials);
    if (!probe.ok()) {
      throw new Unreachable(probe);
    }
    BackupLocation saved = changed.withHealth(health(probe, now));
    return tx.execute(
        s -> {
          BackupLocation locked = store.lockLocation(id).orElseThrow(() -> new NotFound("" + id));
          if (locked.version() != current.version()) {
            throw new Stale(locked.version());
          }
          store.updateLocation(
              saved,
              c.credentials() == null ? null : box.seal(serialize(c.credentials()), bound(id)));
          outbox.publishEvent(
              id.toString(),
              new BackupLocationChanged(
                  id,
                  saved.name(),
                  saved.provider().wireName(),
                  saved.bucket(),
                  saved.prefix(),
                  saved.region(),
                  saved.endpoint(),
                  c.credentials() != null,
                  actor,
                  now));
          return saved;
        });
  }

  /**
   * Removes a location; what its bucket holds stays there.
   *
   * @throws Conflict while a backup or restore through it is running
   */
  public void delete(UUID id, String actor) {
    tx.executeWithoutResult(
        s -> {
          BackupLocation l = store.lockLocation(id).orElseThrow(() -> new NotFound("" + id));
          store
              .runningThrough(id)
              .ifPresent(
                  what -> {
                    throw new Conflict(
                        "location-in-use",
                        what + " is running through " + l.name() + "; wait for it");
                  });
          store.deleteLocation(id);
          outbox.publishEvent(
              id.toString(), new BackupLocationRemoved(id, l.name(), actor, clock.instant()));
        });
  }

  public BackupLocation get(UUID id) {
    return store.location(id).orElseThrow(() -> new NotFound("" + id));
  }

  /** By id, or by name. */
  public BackupLocation find(String idOrName) {
    if (idOrName == null || idOrName.isBlank()) {
      throw new NotFound("(none named)");
    }
    try {
      return get(UUID.fromString(idOrName));
    } catch (IllegalArgumentException e) {
      return store.locationNamed(idOrName).orElseThrow(() -> new NotFound("named " + idOrName));
    }
  }

  public List<BackupLocation> list() {
    return store.locations();
  }

  /** Checks one location now; publishes when its health changed. */
  public BackupLocation check(UUID id) {
    BackupLocation l = get(id);
    ObjectStores.Probe probe = probe(l, credentials(l));
    Instant now = clock.instant();
    BackupLocation.Health h = health(probe, now);
    return tx.execute(
        s -> {
          BackupLocation locked = store.lockLocation(id).orElseThrow(() -> new NotFound("" + id));
          boolean was = locked.health() != null && locked.health().available();
          boolean changed =
              locked.health() == null
                  || was != h.available()
                  || !Objects.equals(locked.health().failure(), h.failure());
          store.saveHealth(id, h);
          if (changed) {
            outbox.publishEvent(
                id.toString(),
                new BackupLocationHealthChanged(
                    id, l.name(), h.available(), h.failure(), h.message(), now));
            if (!h.available()) {
              log.warn("backup location {} is unavailable: {}", l.name(), h.message());
            }
          }
          return locked.withHealth(h);
        });
  }

  /** Checks every location; one that cannot be checked is logged and the rest go on. */
  public int checkAll() {
    int n = 0;
    for (BackupLocation l : store.locations()) {
      try {
        check(l.id());
        n++;
      } catch (RuntimeException e) {
        log.warn("backup location {} could not be checked: {}", l.name(), e.getMessage());
      }
    }
    return n;
  }

  /** The location's credentials, opened. */
  public Credentials credentials(BackupLocation l) {
    return deserialize(box.open(store.sealedCredentials(l.id()), bound(l.id())));
  }

  /** How to reach the location, with its credentials. */
  public ObjectStores.Access access(BackupLocation l) {
    return access(l, credentials(l));
  }

  static ObjectStores.Access access(BackupLocation l, Credentials c) {
    return new ObjectStores.Access(
        l.provider(),
        l.bucket(),
        l.prefix(),
        l.region(),
        l.endpoint(),
        l.pathStyle(),
        l.caCertificate(),
        c);
  }

  private ObjectStores.Probe probe(BackupLocation l, Credentials c) {
    try (ObjectStores.ObjectStore os = objectStores.open(access(l, c))) {
      return os.probe();
    } catch (RuntimeException e) {
      return new ObjectStores.Probe(ObjectStores.Failure.OTHER, e.getMessage());
    }
  }

  private static BackupLocation.Health health(ObjectStores.Probe p, Instant now) {
    return p.ok()
        ? new BackupLocation.Health(BackupLocation.Health.AVAILABLE, null, null, now)
        : new BackupLocation.Health(
            BackupLocation.Health.UNAVAILABLE, wire(p.failure()), p.message(), now);
  }

  /** dns, tls, connection, credentials, bucket-missing, permission or other. */
  static String wire(ObjectStores.Failure f) {
    return f == null ? null : f.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String bound(UUID id) {
    return "backup-location:" + id;
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** Kind, then fields, NUL-separated: no field of any kind holds a NUL. */
  static String serialize(Credentials c) {
    if (c instanceof Credentials.AccessKeys k) {
      return "access-keys\0" + k.accessKeyId() + "\0" + k.secretAccessKey();
    }
    if (c instanceof Credentials.ServiceAccount s) {
      return "service-account\0" + s.json();
    }
    Credentials.AzureKey a = (Credentials.AzureKey) c;
    return "azure-key\0" + a.accountName() + "\0" + a.accountKey();
  }

  static Credentials deserialize(String s) {
    String[] f = s.split("\0", -1);
    return switch (f[0]) {
      case "access-keys" -> new Credentials.AccessKeys(f[1], f[2]);
      case "service-account" -> new Credentials.ServiceAccount(f[1]);
      case "azure-key" -> new Credentials.AzureKey(f[1], f[2]);
      default -> throw new IllegalStateException("unknown credentials kind " + f[0]);
    };
  }
}
