package dev.easel.packs.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.packs.BundleUploaded;
import dev.easel.contracts.packs.PackAdded;
import dev.easel.packs.application.port.BundleSignatures;
import dev.easel.packs.application.port.Bundles;
import dev.easel.packs.application.port.CatalogueStore;
import dev.easel.packs.application.port.RegistryAccess;
import dev.easel.packs.application.port.RegistryFailure;
import dev.easel.packs.application.port.Spool;
import dev.easel.packs.application.port.UploadStore;
import dev.easel.packs.domain.FieldProblem;
import dev.easel.packs.domain.Registry;
import dev.easel.packs.domain.Upload;
import dev.easel.packs.domain.ValuesSchema;
import dev.easel.packs.domain.Yaml;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Bundle uploads: a pack archive ({@code .tar.gz}) or an Easel pack bundle ({@code .tar.zst} of an
 * OCI layout), with an optional detached signature.
 *
 * <p>The body is streamed once: counted against the bundle limit, hashed for the signature, and
 * written only into the upload's own spool directory (a pack archive as is, since it becomes the
 * pack's layer; a bundle's blobs as they are unpacked, each checked against its digest). Everything
 * is checked before the answer: a refused bundle pushes nothing, leaves no file and no record, and
 * gets a problem that names each fault. An accepted one is answered 202 and pushed in the
 * background; its upload resource follows the push.
 *
 * <p>The push skips blobs the registry has ({@code HEAD}), mounts blobs the same upload already put
 * in another repository, sends large blobs in chunks, and retries each blob with backoff. The spool
 * directory is removed on every outcome.
 */
public class Uploads {

  private static final Logger log = LoggerFactory.getLogger(Uploads.class);

  /** The empty JSON object: the config of an artifact that has none (image-spec 1.1). */
  static final byte[] EMPTY_CONFIG = {'{', '}'};

  static final String EMPTY_CONFIG_DIGEST =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
  static final String EMPTY_CONFIG_TYPE = "application/vnd.oci.empty.v1+json";
  static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

  /** The artifact type of an Easel pack. */
  public static final String PACK_ARTIFACT_TYPE = "application/vnd.easel.pack.v1";

  /** Limits and choices of uploads. */
  public record Settings(
      long maxBundleBytes,
      boolean requireSignedBundles,
      int maxConcurrentUploads,
      int blobAttempts,
      Duration retryBackoff) {}

  private final Registries registries;
  private final UploadStore store;
  private final CatalogueStore catalogue;
  private final Bundles bundles;
  private final BundleSignatures signatures;
  private final Spool spool;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final ObjectMapper json;
  private final ExecutorService pushes;
  private final ExecutorService blobs;
  private final Settings settings;
  private final Semaphore receiving;
  private final Map<UUID, AtomicReference<Upload>> inFlight = new ConcurrentHashMap<>();

  public Uploads(
      Registries registries,
      UploadStore store,
      CatalogueStore catalogue,
      Bundles bundles,
      BundleSignatures signatures,
      Spool spool,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock,
      ObjectMapper json,
      ExecutorService pushes,
      ExecutorService blobs,
      Settings settings) {
    this.registries = registries;
    this.store = store;
    this.catalogue = catalogue;
    this.bundles = bundles;
    this.signatures = signatures;
    this.spool = spool;
    this.outbox = outbox;
    this.tx = tx;
    this.clock = clock;
    this.json = json;
    this.pushes = pushes;
    this.blobs = blobs;
    this.settings = settings;
    this.receiving = new Semaphore(settings.maxConcurrentUploads());
  }

  /**
   * Checks what can be checked before a byte of the body is read: the registry, the declared size,
   * the signature's form, and whether one is required.
   */
  public Registry admit(UUID registryId, long declaredLength, String signature) {
    Registry r = registries.get(registryId);
    if (declaredLength > settings.maxBundleBytes()) {
      throw new RequestRefused(
          RequestRefused.Kind.TOO_LARGE,
          "bundle-too-large",
          "the bundle is "
              + declaredLength
              + " bytes; at most "
              + settings.maxBundleBytes()
              + " are accepted");
    }
    if (signature == null && settings.requireSignedBundles()) {
      throw new RequestRefused(
          RequestRefused.Kind.UNPROCESSABLE,
          "unsigned-bundle",
          "this pack-manager accepts signed bundles only: send the detached signature (the .sig"
              + " file, base64) in the Bundle-Signature header");
    }
    if (signature != null) {
      decodeSignature(signature);
      if (!signatures.hasKeys()) {
        throw new RequestRefused(
            RequestRefused.Kind.UNPROCESSABLE,
            "no-trusted-keys",
            "the bundle is signed, but no trusted key is configured to check it");
      }
    }
    if (declaredLength > 0 && declaredLength > spool.usableSpace()) {
      throw new RequestRefused(
          RequestRefused.Kind.INSUFFICIENT_STORAGE,
          "insufficient-storage",
          "the bundle is "
              + declaredLength
              + " bytes and the spool has "
              + spool.usableSpace()
              + " free");
    }
    return r;
  }

  /**
   * Receives and checks a bundle, then starts its push.
   *
   * @param signature the detached signature, base64, or null
   * @return the accepted upload, in state PUSHING
   */
  public Upload receive(
      UUID registryId, String filename, long declaredLength, String signature, InputStream body)
      throws IOException {
    Registry registry = admit(registryId, declaredLength, signature);
    byte[] sig = signature == null ? null : decodeSignature(signature);
    if (!receiving.tryAcquire()) {
      throw new RequestRefused(
          RequestRefused.Kind.TOO_MANY_REQUESTS,
          "too-many-uploads",
          settings.maxConcurrentUploads() + " uploads are being received; try again shortly");
    }
    UUID id = UUID.randomUUID();
    AtomicReference<Upload> current =
        new AtomicReference<>(
            Upload.receiving(id, registryId, safeName(filename), clock.instant()));
    inFlight.put(id, current);
    boolean accepted = false;
    try {
      Path dir = spool.create(id);
      Measured in = new Measured(body, settings.maxBundleBytes(), current, clock);
      BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
      buffered.mark(4);
      byte[] magic = buffered.readNBytes(4);
      buffered.reset();
      Plan plan;
      String format;
      if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
        format = "pack-archive";
        Path file = dir.resolve("pack.tar.gz");
        try (OutputStream out = Files.newOutputStream(file)) {
          buffered.transferTo(out);
        }
        Bundles.PackFiles pack = bundles.readPackArchive(file);
        checkPackFiles(pack);
        plan = packArchivePlan(registry, pack, file, in.digestHex(), in.count());
      } else if (magic.length == 4
          && (magic[0] & 0xff) == 0x28
          && (magic[1] & 0xff) == 0xb5
          && (magic[2] & 0xff) == 0x2f
          && (magic[3] & 0xff) == 0xfd) {
        format = "oci-bundle";
        Bundles.Layout layout = bundles.extractBundle(buffered, dir);
        buffered.transferTo(OutputStream.nullOutputStream());
        for (Bundles.Artifact a : layout.artifacts()) {
          if (a.pack() != null) {
            checkPackFiles(a.pack());
          }
        }
        plan = layoutPlan(registry, layout);
      } else {
        throw new RequestRefused(
            RequestRefused.Kind.UNSUPPORTED_MEDIA_TYPE,
            "unsupported-bundle",
            "the body is neither a pack archive (.tar.gz) nor an Easel pack bundle (.tar.zst)");
      }
      String keyName = null;
      if (sig != null) {
        keyName =
            signatures
                .verify(in.digest(), sig)
                .orElseThrow(
                    () ->
                        new RequestRefused(
                            RequestRefused.Kind.UNPROCESSABLE,
                            "bad-signature",
                            "the signature does not verify against any trusted key for this"
                                + " bundle's SHA-256 "
                                + in.digestHex()));
      }
      Upload ready =
          current
              .get()
              .accepted(
                  format,
                  in.count(),
                  "sha256:" + in.digestHex(),
                  keyName,
                  plan.blobCount(),
                  plan.references(),
                  clock.instant());
      current.set(ready);
      store.insert(ready);
      accepted = true;
      log.info(
          "upload {} accepted: {} {} bytes, {} artifacts, {} blobs, for registry {}",
          id,
          format,
          in.count(),
          plan.artifacts().size(),
          plan.blobCount(),
          registry.name());
      pushes.submit(() -> push(current, registry, plan));
      return ready;
    } catch (Bundles.Refused e) {
      List<FieldProblem> errors = new ArrayList<>();
      for (String p : e.problems()) {
        errors.add(new FieldProblem("bundle", e.type(), p));
      }
      throw new RequestRefused(RequestRefused.Kind.UNPROCESSABLE, e.type(), e.getMessage(), errors);
    } catch (Measured.TooLarge e) {
      throw new RequestRefused(
          RequestRefused.Kind.TOO_LARGE,
          "bundle-too-large",
          "the bundle is larger than " + settings.maxBundleBytes() + " bytes, the most accepted");
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("No space left")) {
        throw new RequestRefused(
            RequestRefused.Kind.INSUFFICIENT_STORAGE,
            "insufficient-storage",
            "the spool ran out of space while receiving the bundle");
      }
      throw e;
    } finally {
      if (!accepted) {
        spool.delete(id);
        inFlight.remove(id);
      }
      receiving.release();
    }
  }

  /** An upload being received here, or any upload stored. */
  public Upload get(UUID id) {
    AtomicReference<Upload> live = inFlight.get(id);
    if (live != null) {
      return live.get();
    }
    return store.find(id).orElseThrow(() -> RequestRefused.notFound("upload " + id));
  }

  /** The latest uploads to a registry, those still being received first. */
  public List<Upload> recent(UUID registryId, int limit) {
    List<Upload> out = new ArrayList<>();
    for (AtomicReference<Upload> u : inFlight.values()) {
      if (u.get().registryId().equals(registryId) && u.get().state() == Upload.State.RECEIVING) {
        out.add(u.get());
      }
    }
    out.addAll(store.recent(registryId, limit));
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  /** Uploads a stopped process left unfinished failed with it; their spool was removed. */
  public void recover() {
    for (Upload u : store.unfinished()) {
      store.update(
          u.failed(
              List.of("pack-manager stopped during the push; upload the bundle again"),
              clock.instant()));
    }
  }

  // ---- checks --------------------------------------------------------------------------------

  private static void checkPackFiles(Bundles.PackFiles pack) {
    List<String> problems = new ArrayList<>();
    String at = pack.manifest().name() + " " + pack.manifest().version() + ": ";
    try {
      Yaml.parseMapping(pack.valuesYaml());
    } catch (IllegalArgumentException e) {
      problems.add(at + "values.yaml: " + e.getMessage());
    }
    if (pack.schemaYaml() != null) {
      try {
        ValuesSchema.parse(pack.schemaYaml());
      } catch (IllegalArgumentException e) {
        problems.add(at + "schema.yaml: " + e.getMessage());
      }
    }
    if (pack.presetsYaml() != null) {
      try {
        Yaml.parseMapping(pack.presetsYaml());
      } catch (IllegalArgumentException e) {
        problems.add(at + "presets.yaml: " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new Bundles.Refused("invalid-pack", problems);
    }
  }

  private static byte[] decodeSignature(String signature) {
    try {
      byte[] sig = Base64.getDecoder().decode(signature.trim());
      if (sig.length < 8 || sig.length > 512) {
        throw new IllegalArgumentException("length");
      }
      return sig;
    } catch (IllegalArgumentException e) {
      throw new RequestRefused(
          RequestRefused.Kind.INVALID,
          "malformed-signature",
          "Bundle-Signature must be the detached signature file, base64-encoded");
    }
  }

  private static String safeName(String filename) {
    if (filename == null) {
      return null;
    }
    String n = filename.replaceAll("[^A-Za-z0-9._+-]", "_");
    return n.length() > 200 ? n.substring(0, 200) : n;
  }

  // ---- plans ---------------------------------------------------------------------------------

  /** A blob to push: from a file, or a few bytes in memory. */
  record BlobToPush(
      String digest, long size, String mediaType, boolean isManifest, Path file, byte[] bytes) {}

  /**
   * One artifact to push.
   *
   * @param pack its pack files, or null when it is not a pack
   */
  record ArtifactToPush(
      String repository,
      String tag,
      String mediaType,
      List<BlobToPush> blobs,
      BlobToPush manifest,
      Bundles.PackFiles pack) {

    String reference() {
      return repository + ":" + tag;
    }
  }

  record Plan(List<ArtifactToPush> artifacts) {
    /** Blobs to push: layers and configs; manifests are not counted. */
    int blobCount() {
      int n = 0;
      for (ArtifactToPush a : artifacts) {
        n += (int) a.blobs().stream().filter(b -> !b.isManifest()).count();
      }
      return n;
    }

    List<String> references() {
      return artifacts.stream().map(ArtifactToPush::reference).toList();
    }
  }

  private Plan packArchivePlan(
      Registry registry, Bundles.PackFiles pack, Path file, String sha256, long size) {
    String name = pack.manifest().name();
    String version = pack.manifest().version();
    String layerDigest = "sha256:" + sha256;
    Map<String, Object> layer = new LinkedHashMap<>();
    layer.put("mediaType", LAYER_TYPE);
    layer.put("digest", layerDigest);
    layer.put("size", size);
    layer.put(
        "annotations", Map.of("org.opencontainers.image.title", name + "-" + version + ".tar.gz"));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("mediaType", EMPTY_CONFIG_TYPE);
    config.put("digest", EMPTY_CONFIG_DIGEST);
    config.put("size", EMPTY_CONFIG.length);
    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put("dev.easel.pack.name", name);
    annotations.put("dev.easel.pack.version", version);
    annotations.put("dev.easel.pack.layer", pack.manifest().layer());
    annotations.put("org.opencontainers.image.title", pack.manifest().displayName());
    annotations.put("org.opencontainers.image.version", version);
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_TYPE);
    manifest.put("artifactType", PACK_ARTIFACT_TYPE);
    manifest.put("config", config);
    manifest.put("layers", List.of(layer));
    manifest.put("annotations", annotations);
    byte[] bytes = json.writeValueAsBytes(manifest);
    BlobToPush manifestBlob =
        new BlobToPush(digest(bytes), bytes.length, MANIFEST_TYPE, true, null, bytes);
    return new Plan(
        List.of(
            new ArtifactToPush(
                registry.packRepository(name),
                version,
                MANIFEST_TYPE,
                List.of(
                    new BlobToPush(
                        EMPTY_CONFIG_DIGEST,
                        EMPTY_CONFIG.length,
                        EMPTY_CONFIG_TYPE,
                        false,
                        null,
                        EMPTY_CONFIG),
                    new BlobToPush(layerDigest, size, LAYER_TYPE, false, file, null)),
                manifestBlob,
                pack)));
  }

  private static Plan layoutPlan(Registry registry, Bundles.Layout layout) {
    List<ArtifactToPush> out = new ArrayList<>();
    for (Bundles.Artifact a : layout.artifacts()) {
      List<BlobToPush> blobs = new ArrayList<>();
      BlobToPush top = null;
      for (Bundles.Blob b : a.blobs()) {
        BlobToPush p =
            new BlobToPush(b.digest(), b.size(), b.mediaType(), b.isManifest(), b.file(), null);
        if (b.digest().equals(a.digest())) {
          top = p;
        } else {
          blobs.add(p);
        }
      }
      if (top == null) {
        throw new Bundles.Refused(
            "invalid-layout",
            List.of(a.repository() + ":" + a.tag() + ": its manifest is missing"));
      }
      out.add(
          new ArtifactToPush(
              registry.repository(a.repository()), a.tag(), a.mediaType(), blobs, top, a.pack()));
    }
    return new Plan(out);
  }

  // ---- push ----------------------------------------------------------------------------------

  private void push(AtomicReference<Upload> current, Registry registry, Plan plan) {
    UUID id = current.get().id();
    List<CatalogueStore.Entry> packs = new ArrayList<>();
    try {
      RegistryAccess.Connection c = registries.connect(registry);
      Map<String, String> placed = new ConcurrentHashMap<>();
      for (ArtifactToPush a : plan.artifacts()) {
        List<Future<?>> running = new ArrayList<>();
        for (BlobToPush b : a.blobs()) {
          if (!b.isManifest()) {
            running.add(blobs.submit(() -> pushBlob(c, a.repository(), b, placed, current)));
          }
        }
        for (Future<?> f : running) {
          f.get();
        }
        for (BlobToPush b : a.blobs()) {
          if (b.isManifest()) {
            putManifest(c, a.repository(), b.digest(), b);
          }
        }
        String digest = putManifest(c, a.repository(), a.tag(), a.manifest());
        if (a.pack() != null) {
          packs.add(catalogueEntry(registry, a, digest));
        }
      }
      finish(current, registry, packs);
    } catch (ExecutionException e) {
      fail(current, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(current, e);
    } catch (Exception e) {
      fail(current, e);
    } finally {
      spool.delete(id);
      inFlight.remove(id);
    }
  }

  private Void pushBlob(
      RegistryAccess.Connection c,
      String repository,
      BlobToPush b,
      Map<String, String> placed,
      AtomicReference<Upload> current)
      throws Exception {
    boolean skipped =
        withRetries(
            "blob " + b.digest() + " to " + repository,
            () -> {
              if (c.hasBlob(repository, b.digest())) {
                return true;
              }
              String from = placed.get(b.digest());
              if (from != null
                  && !from.equals(repository)
                  && c.mount(repository, b.digest(), from)) {
                return true;
              }
              if (b.file() != null) {
                c.pushBlob(repository, b.digest(), b.file());
              } else {
                c.pushBlob(repository, b.digest(), b.bytes());
              }
              return false;
            });
    placed.put(b.digest(), repository);
    progress(current, skipped, b.size());
    return null;
  }

  private String putManifest(
      RegistryAccess.Connection c, String repository, String reference, BlobToPush b)
      throws Exception {
    byte[] bytes = b.bytes() != null ? b.bytes() : Files.readAllBytes(b.file());
    // Manifests are not blobs: they are sent every time (a few KB) and not counted as pushed.
    return withRetries(
        "manifest " + repository + ":" + reference,
        () -> c.putManifest(repository, reference, b.mediaType(), bytes));
  }

  private synchronized void progress(AtomicReference<Upload> current, boolean skipped, long bytes) {
    Upload next = current.get().blobDone(skipped, bytes, clock.instant());
    current.set(next);
    store.update(next);
  }

  private interface Attempt<T> {
    T run() throws IOException;
  }

  /** Runs an attempt, again after a growing, jittered pause when the failure may pass. */
  private <T> T withRetries(String what, Attempt<T> attempt)
      throws IOException, InterruptedException {
    for (int n = 1; ; n++) {
      try {
        return attempt.run();
      } catch (RegistryFailure e) {
        if (!e.transientFailure() || n >= settings.blobAttempts()) {
          throw e;
        }
        long pause = settings.retryBackoff().toMillis() << (n - 1);
        pause += ThreadLocalRandom.current().nextLong(pause / 2 + 1);
        log.info("{}: attempt {} failed ({}); again in {} ms", what, n, e.getMessage(), pause);
        Thread.sleep(pause);
      }
    }
  }

  private CatalogueStore.Entry catalogueEntry(Registry registry, ArtifactToPush a, String digest) {
    Bundles.PackFiles p = a.pack();
    String layerDigest =
        a.blobs().stream()
            .filter(b -> !b.isManifest() && !b.digest().equals(EMPTY_CONFIG_DIGEST))
            .map(BlobToPush::digest)
            .reduce((x, y) -> y)
            .orElse("");
    return new CatalogueStore.Entry(
        registry.id(),
        a.repository(),
        digest,
        layerDigest,
        p.manifest(),
        p.packJson(),
        p.valuesYaml(),
        p.schemaYaml(),
        p.presetsYaml(),
        p.readme(),
        p.hasLogo(),
        clock.instant());
  }

  private void finish(
      AtomicReference<Upload> current, Registry registry, Collection<CatalogueStore.Entry> packs) {
    Upload done = current.get().completed(clock.instant());
    current.set(done);
    tx.executeWithoutResult(
        s -> {
          store.update(done);
          // The packs are in the catalogue at once; the next sync finds their digests known.
          catalogue.upsert(packs);
          for (CatalogueStore.Entry e : packs) {
            outbox.publishEvent(
                registry.id().toString(),
                new PackAdded(
                    registry.id(),
                    registry.name(),
                    e.manifest().name(),
                    e.manifest().version(),
                    e.digest(),
                    e.manifest().layer(),
                    e.manifest().cloudTypes(),
                    e.repository(),
                    e.valuesYaml(),
                    e.addedAt()));
          }
          outbox.publishEvent(
              registry.id().toString(),
              new BundleUploaded(
                  done.id(),
                  registry.id(),
                  done.sha256(),
                  done.bytesReceived(),
                  done.artifacts(),
                  done.blobsPushed(),
                  done.blobsSkipped(),
                  done.signed(),
                  done.finishedAt()));
        });
    log.info(
        "upload {} pushed to {}: {} blobs sent ({} bytes), {} skipped",
        done.id(),
        registry.name(),
        done.blobsPushed(),
        done.bytesPushed(),
        done.blobsSkipped());
  }

  private void fail(AtomicReference<Upload> current, Throwable e) {
    log.warn("upload {} failed", current.get().id(), e);
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    try {
      Upload failed = current.get().failed(List.of(reason), clock.instant());
      current.set(failed);
      store.update(failed);
    } catch (RuntimeException again) {
      log.error("could not record the failure of upload {}", current.get().id(), again);
    }
  }

  static String digest(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The body: counted against the limit, hashed, and its progress shown about once a second. */
  static final class Measured extends FilterInputStream {
    private final long limit;
    private final AtomicReference<Upload> upload;
    private final Clock clock;
    private final MessageDigest sha;
    private long count;
    private long shown;
    private byte[] digest;

    /** Thrown when the body passes the limit. */
    static final class TooLarge extends IOException {
      TooLarge() {
        super("too large");
      }
    }

    Measured(InputStream in, long limit, AtomicReference<Upload> upload, Clock clock) {
      super(in);
      this.limit = limit;
      this.upload = upload;
      this.clock = clock;
      try {
        this.sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        sha.update((byte) b);
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0) {
        sha.update(buf, off, n);
        counted(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void counted(int n) throws TooLarge {
      count += n;
      if (count > limit) {
        throw new TooLarge();
      }
      if (count - shown >= (8 << 20)) {
        shown = count;
        upload.set(upload.get().received(count, clock.instant()));
      }
    }

    long count() {
      return count;
    }

    byte[] digest() {
      if (digest == null) {
        digest = sha.digest();
      }
      return digest;
    }

    String digestHex() {
      return HexFormat.of().formatHex(digest());
    }
  }

  /** Whether an upload is still being received or pushed by this instance. */
  public Optional<Upload> live(UUID id) {
    AtomicReference<Upload> u = inFlight.get(id);
    return u == null ? Optional.empty() : Optional.of(u.get());
  }
}
