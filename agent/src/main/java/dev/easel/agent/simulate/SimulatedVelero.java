package dev.easel.agent.simulate;

import dev.easel.agent.Daemons;
import dev.easel.agent.Json;
import dev.easel.agent.server.ServerApi;
import dev.easel.agent.simulate.SimulatedOutputs.Exit;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Velero on the simulated clusters, driven as a plan drives it on a cluster's init node.
 *
 * <ul>
 *   <li>A {@code write-file} under {@value #DIR} leaves a BackupStorageLocation manifest on the
 *       node; {@code kubectl ... create secret generic ... | kubectl apply -f - && kubectl apply -f
 *       <manifest>} applies the credentials, from the step's secret file, and the location.
 *   <li>{@code velero backup create} starts a backup, InProgress at once, whose items backed up
 *       grow over the configured duration; then it writes Velero's object layout into the
 *       location's bucket ({@code backups/<name>/velero-backup.json}, the contents tarball, logs,
 *       resource list, results and volume snapshots) and ends Completed, PartiallyFailed (a
 *       namespace {@value #PARTIAL}) or Failed (a namespace {@value #FAIL}, or a bucket that cannot
 *       be reached or written, with the object store's error as its reason).
 *   <li>{@code velero backup get NAME -o json} prints the Backup as the cluster has it, or as
 *       Velero's sync would bring it in from the bucket of any location configured here; an unknown
 *       backup exits 1, as the CLI does. {@code until velero backup get NAME ...} waits for the
 *       same, and is killed at its timeout when it never comes.
 *   <li>{@code velero restore create} restores a backup the cluster knows, reading its {@code
 *       velero-backup.json} from the bucket (without it, the restore fails validation), over the
 *       same duration, then writes {@code restores/<name>/restore-<name>-{logs,results}.gz}; {@code
 *       velero restore get NAME -o json} prints the Restore.
 * </ul>
 *
 * <p>State is per cluster (the control-plane host its nodes joined at), or per node for a node of
 * no cluster, and safe for the steps of many nodes at once. Nothing printed holds a credential.
 */
final class SimulatedVelero {

  /** Where a plan keeps a location's manifest and credentials on the node. */
  static final String DIR = "/var/lib/easel/velero/";

  /** A namespace whose backup or restore ends PartiallyFailed, with one error. */
  static final String PARTIAL = "easel-sim-partial";

  /** A namespace whose backup or restore ends Failed. */
  static final String FAIL = "easel-sim-fail";

  private static final String NAMESPACE = "velero";
  private static final String LOCATION_LABEL = "velero.io/storage-location";
  private static final String DEFAULT_TTL = "720h0m0s";

  /** {@code nonRestorableResources} of Velero's restore controller, added to every Restore. */
  private static final List<String> NON_RESTORABLE =
      List.of(
          "nodes",
          "events",
          "events.events.k8s.io",
          "backups.velero.io",
          "restores.velero.io",
          "resticrepositories.velero.io",
          "csinodes.storage.k8s.io",
          "volumeattachments.storage.k8s.io",
          "backuprepositories.velero.io");

  /** The fields of a Backup's and a Restore's status, in the order of their Go structs. */
  private static final List<String> BACKUP_STATUS =
      List.of(
          "phase",
          "validationErrors",
          "startTimestamp",
          "completionTimestamp",
          "failureReason",
          "warnings",
          "errors",
          "progress");

  private static final List<String> RESTORE_STATUS =
      List.of(
          "phase",
          "validationErrors",
          "warnings",
          "errors",
          "failureReason",
          "startTimestamp",
          "completionTimestamp",
          "progress");

  private static final Pattern CREDENTIALS =
      Pattern.compile(
          "kubectl -n velero create secret generic (\\S+) --from-file=([^=\\s]+)=(\\S+)"
              + " --dry-run=client -o yaml \\| kubectl apply -f - && kubectl apply -f (\\S+)");
  private static final Pattern SYNCED =
      Pattern.compile("until velero backup get (\\S+) >/dev/null 2>&1; do sleep \\d+; done");
  private static final Pattern GO_DURATION =
      Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
  private static final DateTimeFormatter RESTORE_SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  /**
   * Ends backups and restores when they are due, whether or not anyone reads them, as Velero runs
   * them in the background; a read of one that is due ends it first.
   */
  private static final class Timer {
    static final ScheduledExecutorService EXECUTOR =
        Executors.newScheduledThreadPool(2, Daemons.named("easel-sim-velero"));
  }

  private final Duration duration;
  private final Clock clock;

  /** The files plans wrote under {@link #DIR}, per node. */
  private final Map<String, Map<String, String>> files = new ConcurrentHashMap<>();

  /** Velero in each cluster. */
  private final Map<String, Install> installs = new ConcurrentHashMap<>();

  SimulatedVelero(Duration duration) {
    this(duration, Clock.systemUTC());
  }

  /**
   * @param duration how long a backup or restore runs; zero ends it before its request returns
   * @param clock what the progress of a running one is measured by
   */
  SimulatedVelero(Duration duration, Clock clock) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a Velero backup cannot take " + duration);
    }
    this.duration = duration;
    this.clock = clock;
  }

  /** How the step ends if it is one of Velero's; null for any other step. */
  Exit run(ServerApi.Step step, SimulatedNode node) {
    if (step.command() == null) {
      return "write-file".equals(step.action()) ? wrote(step, node) : null;
    }
    String command = step.command().strip();
    Matcher m = CREDENTIALS.matcher(command);
    if (m.matches()) {
      return applied(step, node, m.group(1), m.group(2), m.group(3), m.group(4));
    }
    m = SYNCED.matcher(command);
    if (m.matches()) {
      return known(install(node), m.group(1)) != null
          ? Exit.succeeded("")
          : Exit.timedOut(step, "");
    }
    if (!command.startsWith("velero ")) {
      return null;
    }
    Args args = Args.parse(command);
    return switch (args.word(0) + " " + args.word(1)) {
      case "backup create" -> backupCreate(node, args);
      case "backup get" -> backupGet(node, args);
      case "restore create" -> restoreCreate(node, args);
      case "restore get" -> restoreGet(node, args);
      default -> null;
    };
  }

  // ---- locations ----------------------------------------------------------------------------

  private Exit wrote(ServerApi.Step step, SimulatedNode node) {
    Map<String, String> args = step.args() == null ? Map.of() : step.args();
    String path = args.get("path");
    if (path == null || !path.startsWith(DIR)) {
      return null;
    }
    String content = args.getOrDefault("content", "");
    files.computeIfAbsent(nodeKey(node), k -> new ConcurrentHashMap<>()).put(path, content);
    return Exit.succeeded(
        "wrote "
            + content.length()
            + " characters to "
            + path
            + " with mode "
            + args.getOrDefault("mode", "0644"));
  }

  private Exit applied(
      ServerApi.Step step,
      SimulatedNode node,
      String secretName,
      String key,
      String secretFile,
      String manifestFile) {
    String credentials = step.secretFiles().get(secretFile);
    if (credentials == null) {
      return Exit.failed(1, "error: error reading " + secretFile + ": no such file or directory\n");
    }
    Install in = install(node);
    StringBuilder out = new StringBuilder();
    Map<String, String> secret = Map.of(key, credentials);
    synchronized (in) {
      out.append("secret/")
          .append(secretName)
          .append(' ')
          .append(applied(in.secrets.put(secretName, secret), secret))
          .append('\n');
    }
    String manifest = files.getOrDefault(nodeKey(node), Map.of()).get(manifestFile);
    if (manifest == null) {
      return Exit.failed(1, out + "error: the path \"" + manifestFile + "\" does not exist\n");
    }
    VeleroLocation location;
    try {
      location = VeleroLocation.parse(manifest);
    } catch (IllegalArgumentException e) {
      return Exit.failed(
          1, out + "error: error validating \"" + manifestFile + "\": " + e.getMessage() + "\n");
    }
    synchronized (in) {
      out.append("backupstoragelocation.velero.io/")
          .append(location.name())
          .append(' ')
          .append(applied(in.locations.put(location.name(), location), location))
          .append('\n');
    }
    return Exit.succeeded(out.toString());
  }

  /**
   * What {@code kubectl apply} says of an object that was {@code before} and is now {@code now}.
   */
  private static String applied(Object before, Object now) {
    return before == null ? "created" : before.equals(now) ? "unchanged" : "configured";
  }

  // ---- backups ------------------------------------------------------------------------------

  private Exit backupCreate(SimulatedNode node, Args args) {
    String name = args.word(2);
    if (name == null) {
      return error("a backup name is required, unless you are creating based on a schedule");
    }
    String ttlText = args.flags().getOrDefault("ttl", DEFAULT_TTL);
    Duration ttl = goDuration(ttlText);
    if (ttl == null) {
      return Exit.failed(
          1,
          "Error: invalid argument \""
              + ttlText
              + "\" for \"--ttl\" flag: time: invalid duration \""
              + ttlText
              + "\"\n");
    }
    Install in = install(node);
    Backup backup;
    synchronized (in) {
      if (in.backups.containsKey(name)) {
        return error("backups.velero.io \"" + name + "\" already exists");
      }
      String location = args.flags().get("storage-location");
      if (location != null && !in.locations.containsKey(location)) {
        return error("backupstoragelocations.velero.io \"" + location + "\" not found");
      }
      List<String> invalid = new ArrayList<>();
      if (location == null) {
        location = "default";
        if (!in.locations.containsKey(location)) {
          invalid.add(
              "an existing backup storage location was not specified at backup creation time and"
                  + " the default default was not found. Please address this issue (see `velero"
                  + " backup-location -h` for options) and create a new backup. Error:"
                  + " backupstoragelocations.velero.io \"default\" not found");
        }
      } else if (in.locations.get(location).readOnly()) {
        invalid.add(
            "backup can't be created because backup storage location "
                + location
                + " is currently in read-only mode");
      }
      List<String> included = args.list("include-namespaces");
      backup =
          new Backup(
              in,
              name,
              location,
              included.isEmpty() ? List.of("*") : included,
              args.list("exclude-namespaces"),
              args.bool("include-cluster-resources"),
              args.bool("snapshot-volumes"),
              ttl,
              args.map("labels", '='),
              invalid);
      in.backups.put(name, backup);
    }
    backup.begin();
    return Exit.succeeded(
        "Backup request \""
            + name
            + "\" submitted successfully.\n"
            + "Run `velero backup describe "
            + name
            + "` or `velero backup logs "
            + name
            + "` for more details.\n");
  }

  private Exit backupGet(SimulatedNode node, Args args) {
    String name = args.word(2);
    if (name == null) {
      return null; // a listing of every backup is not simulated
    }
    KnownBackup backup = known(install(node), name);
    if (backup == null) {
      return error("backups.velero.io \"" + name + "\" not found");
    }
    ObjectNode cr = backup.cr();
    return Exit.succeeded(args.json() ? VeleroFiles.json(cr) : table(cr));
  }

  /**
   * The backup as the cluster has it, else as Velero's sync brings it in from the bucket of the
   * first location configured here that has it: with that location as its own. Null when neither
   * has it; a bucket that cannot be read is passed over, as the sync logs and goes on.
   */
  private KnownBackup known(Install in, String name) {
    List<VeleroLocation> locations;
    synchronized (in) {
      KnownBackup known = in.backups.get(name);
      if (known != null) {
        return known;
      }
      locations = List.copyOf(in.locations.values());
    }
    for (VeleroLocation location : locations) {
      Optional<byte[]> json;
      try {
        json = bucket(in, location).get(location.key("backups/" + name + "/velero-backup.json"));
      } catch (VeleroBucket.Failure e) {
        continue;
      }
      if (json.isEmpty()) {
        continue;
      }
      ObjectNode cr;
      try {
        cr = (ObjectNode) Json.MAPPER.readTree(json.get());
        ((ObjectNode) cr.get("spec")).put("storageLocation", location.name());
        ((ObjectNode) cr.get("metadata"))
            .withObjectProperty("labels")
            .put(LOCATION_LABEL, location.name());
      } catch (JacksonException | ClassCastException | NullPointerException e) {
        continue; // not a Backup: the sync skips it
      }
      synchronized (in) {
        return in.backups.computeIfAbsent(name, n -> new Synced(location.name(), cr));
      }
    }
    return null;
  }

  /** What {@code velero backup get NAME} prints without {@code -o json}. */
  private String table(ObjectNode cr) {
    JsonNode status = cr.path("status");
    String[] header = {
      "NAME", "STATUS", "ERRORS", "WARNINGS", "CREATED", "EXPIRES", "STORAGE LOCATION", "SELECTOR"
    };
    String created = cr.path("metadata").path("creationTimestamp").asString("");
    String expiration = status.path("expiration").asString("");
    String expires =
        expiration.isEmpty()
            ? "n/a"
            : Duration.between(clock.instant(), Instant.parse(expiration)).toDays() + "d";
    String[] row = {
      cr.path("metadata").path("name").asString(""),
      status.path("phase").asString("New"),
      String.valueOf(status.path("errors").asInt(0)),
      String.valueOf(status.path("warnings").asInt(0)),
      created.isEmpty() ? "<nil>" : created.replace('T', ' ').replace("Z", " +0000 UTC"),
      expires,
      cr.path("spec").path("storageLocation").asString(""),
      "<none>"
    };
    StringBuilder out = new StringBuilder();
    for (String[] line : List.of(header, row)) {
      for (int i = 0; i < line.length; i++) {
        int width = Math.max(header[i].length(), row[i].length()) + 3;
        out.append(i == line.length - 1 ? line[i] : String.format("%-" + width + "s", line[i]));
      }
      out.append('\n');
    }
    return out.toString();
  }

  // ---- restores -----------------------------------------------------------------------------

  private Exit restoreCreate(SimulatedNode node, Args args) {
    String backupName = args.flags().get("from-backup");
    if (backupName == null) {
      return error("either a backup or schedule must be specified, but not both");
    }
    String name = args.word(2);
    if (name == null) {
      name = backupName + "-" + RESTORE_SUFFIX.format(clock.instant());
    }
    Install in = install(node);
    synchronized (in) {
      if (in.restores.containsKey(name)) {
        return error("restores.velero.io \"" + name + "\" already exists");
      }
    }
    KnownBackup backup = known(in, backupName);
    if (backup == null) {
      return error("backups.velero.io \"" + backupName + "\" not found");
    }
    List<String> included = args.list("include-namespaces");
    Restore restore =
        new Restore(
            in,
            name,
            backupName,
            backup.location(),
            included.isEmpty() ? List.of("*") : included,
            args.map("namespace-mappings", ':'),
            args.bool("include-cluster-resources"),
            args.bool("restore-volumes"),
            args.map("labels", '='));
    synchronized (in) {
      if (in.restores.putIfAbsent(name, restore) != null) {
        return error("restores.velero.io \"" + name + "\" already exists");
      }
    }
    restore.begin();
    return Exit.succeeded(
        "Restore request \""
            + name
            + "\" submitted successfully.\n"
            + "Run `velero restore describe "
            + name
            + "` or `velero restore logs "
            + name
            + "` for more details.\n");
  }

  private Exit restoreGet(SimulatedNode node, Args args) {
    String name = args.word(2);
    if (name == null) {
      return null; // a listing of every restore is not simulated
    }
    Install in = install(node);
    Restore restore;
    synchronized (in) {
      restore = in.restores.get(name);
    }
    if (restore == null) {
      return error("restores.velero.io \"" + name + "\" not found");
    }
    ObjectNode cr = restore.cr();
    return Exit.succeeded(
        args.json()
            ? VeleroFiles.json(cr)
            : cr.path("status").path("phase").asString("New") + "\n");
  }

  // ---- state --------------------------------------------------------------------------------

  /** Velero in one cluster: the objects in its namespace. Guarded by itself. */
  private static final class Install {
    final Map<String, Map<String, String>> secrets = new HashMap<>();
    final Map<String, VeleroLocation> locations = new TreeMap<>();
    final Map<String, KnownBackup> backups = new HashMap<>();
    final Map<String, Restore> restores = new HashMap<>();
  }

  /** Velero of the node's cluster; a node of no cluster has one of its own. */
  private Install install(SimulatedNode node) {
    String key =
        SimulatedCluster.SHARED
            .membership(node.nodeId())
            .map(m -> "cluster " + m.vip())
            .orElse(nodeKey(node));
    return installs.computeIfAbsent(key, k -> new Install());
  }

  private static String nodeKey(SimulatedNode node) {
    return "node " + node.nodeId() + "/" + node.index();
  }

  /** The bucket of a location of this cluster, with the credentials its secret holds. */
  private static VeleroBucket bucket(Install in, VeleroLocation location)
      throws VeleroBucket.Failure {
    if (location.credentialName() == null) {
      return VeleroBucket.of(location, null);
    }
    Map<String, String> secret;
    synchronized (in) {
      secret = in.secrets.get(location.credentialName());
    }
    if (secret == null) {
      throw new VeleroBucket.Failure(
          "rpc error: code = Unknown desc = unable to get credentials: secrets \""
              + location.credentialName()
              + "\" not found");
    }
    String credentials = secret.get(location.credentialKey());
    if (credentials == null) {
      throw new VeleroBucket.Failure(
          "rpc error: code = Unknown desc = unable to get credentials: secret velero/"
              + location.credentialName()
              + " has no key "
              + location.credentialKey());
    }
    return VeleroBucket.of(location, credentials);
  }

  /** A backup the cluster has: its own, or one synced from a bucket. */
  private interface KnownBackup {

    /** The location it is stored in. */
    String location();

    /** Its custom resource, as {@code velero backup get -o json} prints it. */
    ObjectNode cr();
  }

  /** A backup another cluster made, as Velero's sync brought it in: as it was written. */
  private record Synced(String location, ObjectNode json) implements KnownBackup {

    @Override
    public ObjectNode cr() {
      return json.deepCopy();
    }
  }

  /**
   * How a backup or restore ended.
   *
   * @param completed null for FailedValidation, which never started
   * @param done the items it got through
   */
  private record Ending(String phase, Instant completed, int done, int errors, String reason) {

    static Ending invalid() {
      return new Ending("FailedValidation", null, 0, 0, null);
    }
  }

  /** What a backup or a restore is called in its messages. */
  private record Words(String kind, String doing, String done) {}

  private static final Words BACKUP_WORDS = new Words("backup", "backing up", "backed up");
  private static final Words RESTORE_WORDS = new Words("restore", "restoring", "restored");

  private static String capitalized(String words) {
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  /** A backup or restore: started when requested, running for {@link #duration}, ended once. */
  private abstract class Job {

    final Install in;
    final String name;
    final Instant created = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    final UUID uid = UUID.randomUUID();

    /** Guarded by this, as are {@link #total} and {@link #ending}: set as it begins. */
    final List<String> validationErrors = new ArrayList<>();

    /** Items it goes through: from the backup's name, so stable across runs of the simulator. */
    int total;

    private Ending ending;

    Job(Install in, String name, String backupName) {
      this.in = in;
      this.name = name;
      this.total = 150 + Math.floorMod(backupName.hashCode(), 1_351);
    }

    /** What must hold before it runs; adds to {@link #validationErrors} or ends it, if not. */
    abstract void validate();

    /** Ends it at {@code at}: writes its files to the bucket, and says how it went. */
    abstract Ending end(Instant at);

    /** Validates it, and runs it unless that ended it: to its end now, or in the background. */
    final void begin() {
      synchronized (this) {
        validate();
        if (!validationErrors.isEmpty()) {
          ending = Ending.invalid();
        }
        if (ending != null) {
          return;
        }
      }
      if (duration.isZero()) {
        settle();
      } else {
        Timer.EXECUTOR.schedule(this::settle, duration.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    /** Ends it at {@code at} before it ran, as Velero does when its start fails. */
    final void failAtStart(String reason) {
      ending = new Ending("Failed", created, 0, 0, reason);
    }

    /** Ends it if it is due and has not ended; returns how it ended, or null while it runs. */
    final synchronized Ending settle() {
      Instant due = created.plus(duration);
      if (ending == null && !clock.instant().isBefore(due)) {
        try {
          ending = end(due);
        } catch (RuntimeException e) {
          ending = new Ending("Failed", due, 0, 0, String.valueOf(e.getMessage()));
        }
      }
      return ending;
    }

    /** The items it has gone through by now, while it runs. */
    final int progressed() {
      long length = duration.toMillis();
      long elapsed = Duration.between(created, clock.instant()).toMillis();
      long done = length == 0 ? total : total * Math.max(0, elapsed) / length;
      return (int) Math.min(total - 1L, done);
    }

    /** The namespaces its selection names outright, for the simulated failures. */
    abstract List<String> named();

    /** The phase, error count and reason its namespaces call for, if it reaches its end. */
    final Ending planned(Instant at) {
      List<String> named = named();
      if (named.contains(FAIL)) {
        return new Ending(
            "Failed",
            at,
            total / 2,
            0,
            "simulated failure: namespace " + FAIL + " cannot be " + words().done());
      }
      if (named.contains(PARTIAL)) {
        return new Ending("PartiallyFailed", at, total, 1, null);
      }
      return new Ending("Completed", at, total, 0, null);
    }

    /** What it is called in its messages. */
    abstract Words words();

    /** The error a namespace {@value #PARTIAL} is reported with. */
    final Map<String, List<String>> errors(Ending e) {
      return e.errors() == 0
          ? Map.of()
          : Map.of(
              PARTIAL,
              List.of(
                  "error "
                      + words().doing()
                      + " deployments.apps/"
                      + PARTIAL
                      + "/web: simulated failure"));
    }

    /** {@code metadata}: name, namespace, uid, creation time, labels. */
    final ObjectNode metadata(ObjectNode cr, Map<String, String> labels) {
      ObjectNode metadata = cr.putObject("metadata");
      metadata.put("name", name);
      metadata.put("namespace", NAMESPACE);
      metadata.put("uid", uid.toString());
      metadata.put("creationTimestamp", timestamp(created));
      if (!labels.isEmpty()) {
        ObjectNode l = metadata.putObject("labels");
        labels.forEach(l::put);
      }
      return metadata;
    }

    /** The log file Velero uploads with it. */
    final byte[] log(Ending e, String subject, List<String> namespaces) {
      Words w = words();
      StringBuilder log = new StringBuilder();
      log.append(VeleroFiles.logLine(created, "info", "Setting up " + w.kind() + " log", subject));
      for (String ns : namespaces) {
        log.append(
            VeleroFiles.logLine(
                created, "info", capitalized(w.doing()) + " namespace " + ns, subject));
      }
      for (List<String> errors : errors(e).values()) {
        for (String error : errors) {
          log.append(VeleroFiles.logLine(e.completed(), "error", error, subject));
        }
      }
      if (e.reason() != null) {
        log.append(VeleroFiles.logLine(e.completed(), "error", e.reason(), subject));
      }
      log.append(
          VeleroFiles.logLine(
              e.completed(),
              "info",
              capitalized(w.done()) + " a total of " + e.done() + " items",
              subject));
      return VeleroFiles.gzip(log.toString());
    }

    /**
     * {@code status} as it is with {@code e} (null while it runs), its fields in the order of the
     * CRD's Go struct and, as there, left out when unset.
     */
    final synchronized void status(
        ObjectNode status, Ending e, String itemsField, List<String> order) {
      ObjectNode fields = Json.MAPPER.createObjectNode();
      fields.put("phase", e == null ? "InProgress" : e.phase());
      strings(fields, "validationErrors", validationErrors);
      if (e == null || e.completed() != null) {
        fields.put("startTimestamp", timestamp(created));
      }
      if (e != null && e.completed() != null) {
        fields.put("completionTimestamp", timestamp(e.completed()));
      }
      if (e != null && e.reason() != null) {
        fields.put("failureReason", e.reason());
      }
      if (e != null && e.errors() > 0) {
        fields.put("errors", e.errors());
      }
      int done = e == null ? progressed() : e.done();
      if (e == null || e.done() > 0) {
        ObjectNode progress = fields.putObject("progress");
        progress.put("totalItems", total);
        if (done > 0) {
          progress.put(itemsField, done);
        }
      }
      for (String field : order) {
        if (fields.has(field)) {
          status.set(field, fields.get(field));
        }
      }
    }
  }

  private final class Backup extends Job implements KnownBackup {

    private final String location;
    private final List<String> included;
    private final List<String> excluded;
    private final Boolean clusterResources;
    private final Boolean snapshotVolumes;
    private final Duration ttl;
    private final Map<String, String> labels;

    Backup(
        Install in,
        String name,
        String location,
        List<String> included,
        List<String> excluded,
        Boolean clusterResources,
        Boolean snapshotVolumes,
        Duration ttl,
        Map<String, String> labels,
        List<String> invalid) {
      super(in, name, name);
      this.location = location;
      this.included = List.copyOf(included);
      this.excluded = List.copyOf(excluded);
      this.clusterResources = clusterResources;
      this.snapshotVolumes = snapshotVolumes;
      this.ttl = ttl;
      Map<String, String> all = new LinkedHashMap<>(labels);
      all.put(LOCATION_LABEL, location);
      this.labels = all;
      validationErrors.addAll(invalid);
    }

    @Override
    public String location() {
      return location;
    }

    /**
     * As the backup controller starts a backup: one whose name is in the bucket already, or whose
     * bucket cannot be listed, fails at once.
     */
    @Override
    void validate() {
      if (!validationErrors.isEmpty()) {
        return;
      }
      try {
        VeleroLocation l = locationOf(in, location);
        if (bucket(in, l).exists(l.key("backups/" + name + "/"))) {
          failAtStart("backup already exists in object storage");
        }
      } catch (VeleroBucket.Failure e) {
        failAtStart("error checking if backup already exists in object storage: " + e.getMessage());
      }
    }

    @Override
    List<String> named() {
      return included;
    }

    @Override
    Words words() {
      return BACKUP_WORDS;
    }

    @Override
    Ending end(Instant at) {
      Ending planned = planned(at);
      List<String> namespaces = VeleroFiles.namespaces(included, excluded);
      String dir = "backups/" + name + "/" + name;
      try {
        VeleroLocation l = locationOf(in, location);
        VeleroBucket bucket = bucket(in, l);
        bucket.put(l.key(dir + "-logs.gz"), log(planned, "backup=velero/" + name, namespaces));
        bucket.put(
            l.key("backups/" + name + "/velero-backup.json"),
            VeleroFiles.json(cr(planned)).getBytes(StandardCharsets.UTF_8));
        bucket.put(
            l.key(dir + ".tar.gz"), VeleroFiles.contents(namespaces, clusterResources, created));
        bucket.put(l.key(dir + "-volumesnapshots.json.gz"), VeleroFiles.gzip("[]"));
        bucket.put(
            l.key(dir + "-resource-list.json.gz"),
            VeleroFiles.resourceList(namespaces, clusterResources));
        bucket.put(l.key(dir + "-results.gz"), VeleroFiles.results(errors(planned)));
        return planned;
      } catch (VeleroBucket.Failure e) {
        return new Ending("Failed", at, planned.done(), planned.errors(), e.getMessage());
      }
    }

    @Override
    public ObjectNode cr() {
      return cr(settle());
    }

    /** The Backup as it is with {@code ending} (null while it runs). */
    private ObjectNode cr(Ending ending) {
      ObjectNode cr = Json.MAPPER.createObjectNode();
      cr.put("apiVersion", "velero.io/v1");
      cr.put("kind", "Backup");
      ObjectNode metadata = metadata(cr, labels);
      ObjectNode annotations = metadata.putObject("annotations");
      annotations.put("velero.io/resource-timeout", "10m0s");
      String version = SimulatedCluster.KUBELET_VERSION;
      annotations.put("velero.io/source-cluster-k8s-gitversion", version);
      String[] parts = version.substring(1).split("\\.");
      annotations.put("velero.io/source-cluster-k8s-major-version", parts[0]);
      annotations.put("velero.io/source-cluster-k8s-minor-version", parts[1]);
      ObjectNode spec = cr.putObject("spec");
      spec.putObject("metadata");
      strings(spec, "includedNamespaces", included);
      strings(spec, "excludedNamespaces", excluded);
      if (snapshotVolumes != null) {
        spec.put("snapshotVolumes", snapshotVolumes);
      }
      spec.put("ttl", goDuration(ttl));
      spec.put("volumeGroupSnapshotLabelKey", "velero.io/volume-group");
      if (clusterResources != null) {
        spec.put("includeClusterResources", clusterResources);
      }
      spec.putObject("hooks");
      spec.put("storageLocation", location);
      spec.put("defaultVolumesToFsBackup", false);
      spec.put("csiSnapshotTimeout", "10m0s");
      spec.put("itemOperationTimeout", "4h0m0s");
      ObjectNode status = cr.putObject("status");
      status.put("version", 1);
      status.put("formatVersion", VeleroFiles.FORMAT_VERSION);
      status.put("expiration", timestamp(created.plus(ttl)));
      status(status, ending, "itemsBackedUp", BACKUP_STATUS);
      return cr;
    }
  }

  private final class Restore extends Job {

    private final String backup;
    private final String location;
    private final List<String> included;
    private final Map<String, String> mappings;
    private final Boolean clusterResources;
    private final Boolean restoreVolumes;
    private final Map<String, String> labels;

    Restore(
        Install in,
        String name,
        String backup,
        String location,
        List<String> included,
        Map<String, String> mappings,
        Boolean clusterResources,
        Boolean restoreVolumes,
        Map<String, String> labels) {
      super(in, name, backup);
      this.backup = backup;
      this.location = location;
      this.included = List.copyOf(included);
      this.mappings = mappings;
      this.clusterResources = clusterResources;
      this.restoreVolumes = restoreVolumes;
      this.labels = labels;
    }

    /**
     * As the restore controller validates a restore: the backup's location must be here and
     * readable, and the backup in it; its item count is the backup's.
     */
    @Override
    void validate() {
      VeleroLocation l;
      try {
        l = locationOf(in, location);
      } catch (VeleroBucket.Failure e) {
        validationErrors.add("Error retrieving backup: " + e.getMessage());
        return;
      }
      Optional<byte[]> json;
      try {
        json = bucket(in, l).get(l.key("backups/" + backup + "/velero-backup.json"));
      } catch (VeleroBucket.Failure e) {
        validationErrors.add("The BSL " + location + " is unavailable, cannot retrieve the backup");
        return;
      }
      if (json.isEmpty()) {
        validationErrors.add(
            "Error retrieving backup: can't find backup "
                + NAMESPACE
                + "/"
                + backup
                + ": backups.velero.io \""
                + backup
                + "\" not found");
        return;
      }
      try {
        int items =
            Json.MAPPER
                .readTree(json.get())
                .path("status")
                .path("progress")
                .path("totalItems")
                .asInt(0);
        if (items > 0) {
          total = items;
        }
      } catch (JacksonException e) {
        validationErrors.add(
            "Error retrieving backup: error decoding backup metadata: " + e.getOriginalMessage());
      }
    }

    @Override
    List<String> named() {
      return included;
    }

    @Override
    Words words() {
      return RESTORE_WORDS;
    }

    @Override
    Ending end(Instant at) {
      Ending planned = planned(at);
      String dir = "restores/" + name + "/restore-" + name;
      try {
        VeleroLocation l = locationOf(in, location);
        VeleroBucket bucket = bucket(in, l);
        bucket.put(
            l.key(dir + "-logs.gz"),
            log(
                planned,
                "restore=velero/" + name,
                included.contains("*") ? VeleroFiles.NAMESPACES : included));
        bucket.put(l.key(dir + "-results.gz"), VeleroFiles.results(errors(planned)));
        return planned;
      } catch (VeleroBucket.Failure e) {
        return new Ending("Failed", at, planned.done(), planned.errors(), e.getMessage());
      }
    }

    ObjectNode cr() {
      ObjectNode cr = Json.MAPPER.createObjectNode();
      cr.put("apiVersion", "velero.io/v1");
      cr.put("kind", "Restore");
      metadata(cr, labels);
      ObjectNode spec = cr.putObject("spec");
      spec.put("backupName", backup);
      strings(spec, "includedNamespaces", included);
      strings(spec, "excludedResources", NON_RESTORABLE);
      if (!mappings.isEmpty()) {
        ObjectNode m = spec.putObject("namespaceMapping");
        mappings.forEach(m::put);
      }
      if (restoreVolumes != null) {
        spec.put("restorePVs", restoreVolumes);
      }
      if (clusterResources != null) {
        spec.put("includeClusterResources", clusterResources);
      }
      spec.putObject("hooks");
      spec.put("itemOperationTimeout", "4h0m0s");
      spec.putObject("uploaderConfig");
      status(cr.putObject("status"), settle(), "itemsRestored", RESTORE_STATUS);
      return cr;
    }
  }

  private static VeleroLocation locationOf(Install in, String name) throws VeleroBucket.Failure {
    synchronized (in) {
      VeleroLocation l = in.locations.get(name);
      if (l == null) {
        throw new VeleroBucket.Failure(
            "backupstoragelocations.velero.io \"" + name + "\" not found");
      }
      return l;
    }
  }

  // ---- formats ------------------------------------------------------------------------------

  /** RFC 3339 to the second, as Kubernetes writes times. */
  static String timestamp(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A Go duration of hours, minutes and seconds, as {@code 720h0m0s}; null if it is not one. */
  static Duration goDuration(String text) {
    Matcher m = GO_DURATION.matcher(text);
    if (text.isEmpty() || !m.matches()) {
      return null;
    }
    long seconds = 0;
    seconds += m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 3600;
    seconds += m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 60;
    seconds += m.group(3) == null ? 0 : Long.parseLong(m.group(3));
    return Duration.ofSeconds(seconds);
  }

  /** As Go's {@code Duration.String()}: {@code 720h0m0s}, {@code 5m0s}, {@code 10s}. */
  static String goDuration(Duration d) {
    long s = d.getSeconds();
    if (s >= 3600) {
      return s / 3600 + "h" + s % 3600 / 60 + "m" + s % 60 + "s";
    }
    return s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
  }

  private static void strings(ObjectNode parent, String field, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode array = parent.putArray(field);
      values.forEach(array::add);
    }
  }

  /** The CLI's report of an error: {@code An error occurred: ...}, exit code 1. */
  private static Exit error(String message) {
    return Exit.failed(1, "An error occurred: " + message + "\n");
  }

  /** A velero command line: its words, and its flags by name (the last of a repeated one). */
  private record Args(List<String> words, Map<String, String> flags) {

    static Args parse(String command) {
      String[] tokens = command.strip().split("\\s+");
      List<String> words = new ArrayList<>();
      Map<String, String> flags = new LinkedHashMap<>();
      for (int i = 1; i < tokens.length; i++) {
        String t = tokens[i];
        if (!t.startsWith("-")) {
          words.add(t);
          continue;
        }
        String flag = t.replaceFirst("^-+", "");
        int eq = flag.indexOf('=');
        if (eq >= 0) {
          flags.put(flag.substring(0, eq), flag.substring(eq + 1));
        } else if (i + 1 < tokens.length && !tokens[i + 1].startsWith("-")) {
          flags.put(flag, tokens[++i]);
        } else {
          flags.put(flag, "true");
        }
      }
      return new Args(words, flags);
    }

    String word(int i) {
      return i < words.size() ? words.get(i) : null;
    }

    List<String> list(String flag) {
      String value = flags.get(flag);
      if (value == null || value.isBlank()) {
        return List.of();
      }
      return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A {@code k=v,k2=v2} flag (or {@code a:b,c:d}, split at {@code separator}). */
    Map<String, String> map(String flag, char separator) {
      Map<String, String> out = new LinkedHashMap<>();
      for (String pair : list(flag)) {
        int at = pair.indexOf(separator);
        if (at > 0) {
          out.put(pair.substring(0, at), pair.substring(at + 1));
        }
      }
      return out;
    }

    Boolean bool(String flag) {
      String value = flags.get(flag);
      return value == null ? null : Boolean.valueOf(value);
    }

    boolean json() {
      return "json".equals(flags.get("o")) || "json".equals(flags.get("output"));
    }
  }
}
