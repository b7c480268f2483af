package dev.easel.compliance.adapters.out.reports;

import dev.easel.compliance.domain.report.ReportRejected;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A report copied to a temporary file, so that it can be read more than once without being held in
 * memory. Grype and Syft write the subject of a report (the image) after the list it describes;
 * when the caller cannot name the subject, the list is read in a second pass.
 *
 * <p>A failure to read the report is the report's fault, a {@link ReportRejected}; a failure to
 * write or read the temporary file is the service's, an {@link UncheckedIOException}. Closing
 * deletes the file.
 */
final class SpooledReport implements AutoCloseable {

  private final Path file;

  private SpooledReport(Path file) {
    this.file = file;
  }

  /** Copies {@code in}, already counted against its limit, to a new temporary file. */
  static SpooledReport copy(InputStream in, String what) throws ReportRejected {
    Path file = createTempFile();
    SpooledReport spooled = new SpooledReport(file);
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = read(in, buffer, what)) != -1) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      spooled.close();
      throw new UncheckedIOException("could not write a report to " + file, e);
    } catch (ReportRejected | RuntimeException e) {
      spooled.close();
      throw e;
    }
    return spooled;
  }

  /** A new stream over the whole copy; the caller closes it. */
  InputStream open() {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read back " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + file, e);
    }
  }

  private static int read(InputStream in, byte[] buffer, String what) throws ReportRejected {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      throw ReportFailures.fromIo(what, e);
    }
  }

  private static Path createTempFile() {
    try {
      return Files.createTempFile("easel-report-", ".tmp");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary file for a report", e);
    }
  }
}
