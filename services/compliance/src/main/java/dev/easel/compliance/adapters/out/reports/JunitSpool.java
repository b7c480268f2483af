package dev.easel.compliance.adapters.out.reports;

import dev.easel.compliance.domain.report.ReportRejected;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The JUnit files of a results archive, kept aside in temporary files until the archive has been
 * read: a plugin's results tree ({@code sonobuoy_results.yaml}) comes after its raw results in the
 * tarballs Sonobuoy writes, and when it comes the plugin's JUnit files are not needed. Closing
 * deletes what is left.
 */
final class JunitSpool implements AutoCloseable {

  /** One JUnit file of a plugin, at its path in the archive. */
  record Spooled(String plugin, String path, SpooledReport content) {}

  private final List<Spooled> files = new ArrayList<>();

  /** Keeps a copy of the entry {@code content} reads. */
  void keep(String plugin, String path, InputStream content, String what) throws ReportRejected {
    files.add(new Spooled(plugin, path, SpooledReport.copy(content, what)));
  }

  /** Drops the plugin's files: its results tree has arrived. */
  void discard(String plugin) {
    for (Iterator<Spooled> i = files.iterator(); i.hasNext(); ) {
      Spooled file = i.next();
      if (file.plugin().equals(plugin)) {
        file.content().close();
        i.remove();
      }
    }
  }

  /** The files kept, in archive order. */
  List<Spooled> files() {
    return List.copyOf(files);
  }

  @Override
  public void close() {
    files.forEach(file -> file.content().close());
    files.clear();
  }
}
