package dev.easel.compliance.adapters.out.reports;

import dev.easel.compliance.application.port.ReportReaders;
import dev.easel.compliance.domain.report.ConformanceProgress;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.ReportSink;
import dev.easel.compliance.domain.scan.ScanPlans;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.springframework.stereotype.Component;

/**
 * Reads each file a scan's plan leaves with the parser for its tool. The SBOM step packs one file
 * per image in a tar whose first entry, {@code index.tsv}, names each file's image; each file is
 * read with the image as its source, within the same limits as any report.
 */
@Component
public class ToolReports implements ReportReaders {

  private static final Pattern ENTRY = Pattern.compile("[0-9]{1,6}\\.json");

  private final ReportLimits limits;
  private final KubeBenchParser kubeBench;
  private final KubeHunterParser kubeHunter;
  private final SonobuoyParser sonobuoy;
  private final SbomParser sbom;
  private final GrypeParser grype;

  public ToolReports() {
    this(ReportLimits.defaults());
  }

  public ToolReports(ReportLimits limits) {
    this.limits = limits;
    this.kubeBench = new KubeBenchParser(limits);
    this.kubeHunter = new KubeHunterParser(limits);
    this.sonobuoy = new SonobuoyParser(limits);
    this.sbom = new SbomParser(limits);
    this.grype = new GrypeParser(limits);
  }

  @Override
  public void read(ScanPlans.Reader reader, InputStream in, Context c, ReportSink sink)
      throws ReportRejected {
    ReportContext ctx = new ReportContext(c.node(), c.role(), c.scope());
    switch (reader) {
      case KUBE_BENCH -> kubeBench.parse(in, ctx, sink);
      case KUBE_HUNTER -> kubeHunter.parse(in, ctx, sink);
      case SONOBUOY_RESULTS -> sonobuoy.parse(in, ctx, sink);
      case SBOM_TAR -> perImage(in, c, sink, true);
      case GRYPE_TAR -> perImage(in, c, sink, false);
    }
  }

  @Override
  public Progress status(String json) throws ReportRejected {
    ConformanceProgress p =
        sonobuoy.status(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    return new Progress(p.status(), p.completed(), p.total(), p.failedTests(), p.finished());
  }

  private void perImage(InputStream raw, Context c, ReportSink sink, boolean sboms)
      throws ReportRejected {
    String what = sboms ? "the SBOM archive" : "the vulnerability archive";
    LimitedInputStream limited =
        new LimitedInputStream(
            raw,
            limits.maxUncompressedBytes(),
            "is larger than " + (limits.maxUncompressedBytes() >> 20) + " MiB");
    Map<String, String> images = null;
    int entries = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(limited)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (++entries > limits.maxEntries()) {
          throw new ReportRejected(what + " has more than " + limits.maxEntries() + " entries");
        }
        String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        if (e.isDirectory() && (name.isEmpty() || name.equals("."))) {
          continue;
        }
        if (!e.isFile()) {
          throw new ReportRejected(what + " holds " + name + ", which is not a plain file");
        }
        if (images == null) {
          if (!name.equals("index.tsv")) {
            throw new ReportRejected(what + " does not start with index.tsv");
          }
          images = index(tar, what);
          continue;
        }
        if (!ENTRY.matcher(name).matches()) {
          throw new ReportRejected(what + " holds " + name + ", which the SBOM step never writes");
        }
        String image = images.get(name);
        if (image == null) {
          throw new ReportRejected(what + " holds " + name + ", which its index does not name");
        }
        ReportContext ctx = new ReportContext(c.node(), c.role(), image);
        InputStream entry = new Shielded(tar);
        if (sboms) {
          sbom.parse(entry, c.sbomFormat(), ctx, sink);
        } else {
          grype.parse(entry, ctx, sink);
        }
      }
    } catch (IOException e) {
      throw ReportFailures.fromIo(what, e);
    }
    if (images == null) {
      throw new ReportRejected(what + " is empty");
    }
  }

  private static Map<String, String> index(InputStream in, String what)
      throws IOException, ReportRejected {
    Map<String, String> out = new HashMap<>();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(new Shielded(in), StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      int tab = line.indexOf('\t');
      if (tab <= 0 || line.length() > 4096) {
        throw new ReportRejected(what + " has an index line that is not <file>\\t<image>");
      }
      out.put(line.substring(0, tab), line.substring(tab + 1));
    }
    return out;
  }

  /** A tar entry for a parser that closes what it reads: the archive stays open. */
  private static final class Shielded extends FilterInputStream {
    Shielded(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // the archive is closed by its reader
    }
  }
}
