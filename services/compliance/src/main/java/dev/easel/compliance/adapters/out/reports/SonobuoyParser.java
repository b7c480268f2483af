package dev.easel.compliance.adapters.out.reports;

import static dev.easel.compliance.adapters.out.reports.ReportJson.text;
import static dev.easel.compliance.adapters.out.reports.ReportJson.texts;

import dev.easel.compliance.domain.report.ConformanceProgress;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.ReportSink;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;

/**
 * Reads what Sonobuoy leaves of a conformance run: the results tarball of {@code sonobuoy
 * retrieve}, one finding per test, and the {@code sonobuoy status --json} document, as a {@link
 * ConformanceProgress}.
 *
 * <p>In the tarball, each plugin's results are read from its {@code
 * plugins/<plugin>/sonobuoy_results.yaml}; a plugin without one (an older Sonobuoy release, or one
 * whose post-processing failed) is read from the JUnit XML files under its {@code
 * plugins/<plugin>/results/}. A finding's scope is the plugin; its rule and title are the test's
 * full name; its status is PASS for {@code passed}, FAIL for {@code failed} and {@code timeout},
 * SKIPPED for {@code skipped} and INFO for anything else (a manual plugin's own words, which the
 * detail then gives). Its node is the node the results came from for a DaemonSet plugin, and the
 * {@link ReportContext}'s otherwise. Everything else in the tarball (resource dumps, pod logs) is
 * passed over unread.
 *
 * <p>The tarball is read as a stream, entry by entry, and refused when it is larger than {@link
 * ReportLimits#maxBytes()}, decompresses to more than {@link ReportLimits#maxUncompressedBytes()},
 * holds more than {@link ReportLimits#maxEntries()} entries, or holds an entry whose name leaves
 * the archive, a link or a device.
 */
public final class SonobuoyParser {

  private static final String WHAT = "the Sonobuoy results archive";
  private static final String STATUS = "the Sonobuoy status";
  private static final String RESULTS_TREE = "sonobuoy_results.yaml";

  private final ReportLimits limits;
  private final ReportJson json;
  private final SonobuoyResultsYaml resultsTree;
  private final JunitReader junit = new JunitReader();

  public SonobuoyParser() {
    this(ReportLimits.defaults());
  }

  public SonobuoyParser(ReportLimits limits) {
    this.limits = limits;
    this.json = new ReportJson(limits);
    this.resultsTree = new SonobuoyResultsYaml(json);
  }

  /** Reads a results tarball ({@code .tar.gz}) and gives the sink one finding per test. */
  public void parse(InputStream in, ReportContext ctx, ReportSink sink) throws ReportRejected {
    try (JunitSpool spool = new JunitSpool()) {
      InputStream tarStream = decompressed(in);
      TarArchiveInputStream tar = new TarArchiveInputStream(tarStream);
      Set<String> withTree = new HashSet<>();
      int entries = 0;
      for (TarArchiveEntry entry = next(tar); entry != null; entry = next(tar)) {
        if (++entries > limits.maxEntries()) {
          throw new ReportRejected(
              WHAT + " holds more than " + limits.maxEntries() + " entries; refused");
        }
        String path = checkedPath(entry);
        String[] parts = path.split("/");
        if (!entry.isFile() || parts.length < 3 || !"plugins".equals(parts[0])) {
          continue;
        }
        String plugin = parts[1];
        if (parts.length == 3 && RESULTS_TREE.equals(parts[2])) {
          withTree.add(plugin);
          spool.discard(plugin);
          resultsTree.read(
              tar, WHAT + "'s " + path, leaf -> sink.finding(fromLeaf(leaf, plugin, ctx)));
        } else if (isJunit(parts) && !withTree.contains(plugin)) {
          spool.keep(plugin, path, tar, WHAT);
        }
      }
      drain(tarStream);
      for (JunitSpool.Spooled file : spool.files()) {
        readJunit(file, ctx, sink);
      }
    }
  }

  /** Reads {@code sonobuoy status --json}: the run's state and its progress so far. */
  public ConformanceProgress status(InputStream in) throws ReportRejected {
    JsonNode root;
    try (JsonParser p = json.open(in)) {
      if (p.nextToken() == null) {
        throw new ReportRejected(STATUS + " is empty");
      }
      root = p.readValueAsTree();
      ReportJson.expectEnd(p, STATUS);
    } catch (JacksonException e) {
      throw ReportFailures.fromJackson(STATUS, "JSON", e);
    }
    if (!root.isObject()) {
      throw new ReportRejected(STATUS + " is not a JSON object");
    }
    String status = text(root, "status");
    if (status == null) {
      throw new ReportRejected(STATUS + " does not say the run's status");
    }
    long completed = 0;
    long total = 0;
    long passed = 0;
    long failed = 0;
    long skipped = 0;
    List<String> failedTests = new ArrayList<>();
    for (JsonNode plugin : root.path("plugins").values()) {
      JsonNode progress = plugin.path("progress");
      completed += count(progress, "completed");
      total += count(progress, "total");
      failedTests.addAll(texts(progress.path("failures")));
      JsonNode counts = plugin.path("result-counts");
      passed += count(counts, "passed");
      failed += count(counts, "failed") + count(counts, "timeout");
      skipped += count(counts, "skipped");
    }
    return new ConformanceProgress(status, completed, total, failedTests, passed, failed, skipped);
  }

  private InputStream decompressed(InputStream in) throws ReportRejected {
    InputStream compressed =
        new LimitedInputStream(
            in, limits.maxBytes(), "is larger than " + ReportLimits.describe(limits.maxBytes()));
    try {
      GzipCompressorInputStream gzip =
          GzipCompressorInputStream.builder()
              .setInputStream(compressed)
              .setDecompressConcatenated(true)
              .get();
      return new LimitedInputStream(
          gzip,
          limits.maxUncompressedBytes(),
          "decompresses to more than " + ReportLimits.describe(limits.maxUncompressedBytes()));
    } catch (IOException e) {
      throw notAnArchive(e);
    }
  }

  private static TarArchiveEntry next(TarArchiveInputStream tar) throws ReportRejected {
    try {
      return tar.getNextEntry();
    } catch (IOException | RuntimeException e) {
      // commons-compress reports some malformed headers as IllegalArgumentException.
      throw notAnArchive(e);
    }
  }

  /** Reads what follows the tar's end, so the gzip checksum is verified and the rest counted. */
  private static void drain(InputStream tarStream) throws ReportRejected {
    try {
      tarStream.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw notAnArchive(e);
    }
  }

  private static ReportRejected notAnArchive(Exception e) {
    return ReportFailures.limitIn(e)
        .map(limit -> new ReportRejected(WHAT + " " + limit.getMessage(), e))
        .orElseGet(
            () ->
                new ReportRejected(
                    WHAT
                        + " is not a gzip-compressed tar archive: "
                        + ReportFailures.shorten(e.getMessage()),
                    e));
  }

  /**
   * The entry's path without a leading {@code ./}, once it is known not to leave the archive: no
   * links, devices or FIFOs, no absolute path, no {@code ..}.
   */
  private static String checkedPath(TarArchiveEntry entry) throws ReportRejected {
    String name = entry.getName();
    if (entry.isSymbolicLink() || entry.isLink()) {
      throw new ReportRejected(
          WHAT
              + " holds a link, \""
              + name
              + "\" -> \""
              + entry.getLinkName()
              + "\", which could escape the archive; refused");
    }
    if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
      throw new ReportRejected(WHAT + " holds a device or FIFO, \"" + name + "\"; refused");
    }
    String path = name;
    while (path.startsWith("./")) {
      path = path.substring(2);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.startsWith("/")
        || path.indexOf('\\') >= 0
        || path.indexOf('\0') >= 0
        || List.of(path.split("/")).contains("..")) {
      throw new ReportRejected(
          WHAT + " holds \"" + name + "\", which escapes the archive; refused");
    }
    return path;
  }

  /** A JUnit file of a plugin's raw results; not the AppleDouble twin macOS tar adds. */
  private static boolean isJunit(String[] parts) {
    String file = parts[parts.length - 1];
    return parts.length >= 4
        && "results".equals(parts[2])
        && file.toLowerCase(Locale.ROOT).endsWith(".xml")
        && !file.startsWith("._");
  }

  private void readJunit(JunitSpool.Spooled file, ReportContext ctx, ReportSink sink)
      throws ReportRejected {
    String[] parts = file.path().split("/");
    // plugins/<plugin>/results/<node>/...; Job plugins write to results/global.
    String node = parts.length >= 5 && !"global".equals(parts[3]) ? parts[3] : ctx.node();
    try (InputStream xml = file.content().open()) {
      junit.read(
          xml,
          WHAT + "'s " + file.path(),
          test ->
              sink.finding(
                  new Finding(
                      node,
                      ctx.role(),
                      file.plugin(),
                      test.name(),
                      test.name(),
                      test.status(),
                      Severity.NONE,
                      test.detail(),
                      null,
                      null,
                      null)));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read back " + file.path() + " of " + WHAT, e);
    }
  }

  private static Finding fromLeaf(SonobuoyResultsYaml.Leaf leaf, String plugin, ReportContext ctx) {
    Status status = statusOf(leaf.status());
    String detail = leaf.detail();
    if (detail == null && status == Status.INFO && leaf.status() != null) {
      detail = "Sonobuoy status: " + leaf.status();
    }
    return new Finding(
        leaf.node() != null ? leaf.node() : ctx.node(),
        ctx.role(),
        plugin,
        leaf.name(),
        leaf.name(),
        status,
        Severity.NONE,
        detail,
        null,
        null,
        null);
  }

  private static Status statusOf(String status) {
    if (status == null) {
      return Status.INFO;
    }
    return switch (status) {
      case "passed" -> Status.PASS;
      case "failed", "timeout" -> Status.FAIL;
      case "skipped" -> Status.SKIPPED;
      default -> Status.INFO;
    };
  }

  private static long count(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isNumber() ? Math.max(0, value.asLong(0)) : 0;
  }
}
