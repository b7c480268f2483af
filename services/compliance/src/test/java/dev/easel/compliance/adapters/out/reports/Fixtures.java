package dev.easel.compliance.adapters.out.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/** The tools' real outputs under {@code src/test/resources/fixtures}; see PROVENANCE.md there. */
final class Fixtures {

  private Fixtures() {}

  static InputStream open(String path) {
    InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path);
    if (in == null) {
      throw new IllegalArgumentException("no fixture " + path);
    }
    return in;
  }

  static byte[] bytes(String path) {
    try (InputStream in = open(path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture kept gzip-compressed to stay small, as it was before compression. */
  static byte[] gunzipped(String path) {
    try (InputStream in = new GZIPInputStream(open(path))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
