package dev.easel.packs.application.port;

import dev.easel.packs.domain.PackManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads what operators upload and registries hold: pack archives (a gzip tar of a pack directory)
 * and Easel pack bundles (a zstd tar of an OCI image layout), safely and as streams.
 */
public interface Bundles {

  /** A pack's files, read from its archive; the rest of the archive is only counted. */
  record PackFiles(
      PackManifest manifest,
      String packJson,
      String valuesYaml,
      String schemaYaml,
      String presetsYaml,
      String readme,
      boolean hasLogo) {}

  /** A blob of a layout, on disk, its digest checked. */
  record Blob(String digest, long size, String mediaType, boolean isManifest, Path file) {}

  /**
   * One artifact of a layout: a pack, an image, a chart.
   *
   * @param repository relative to the registry's base content path
   * @param pack the pack's files, or null when the artifact is not a pack
   * @param blobs every blob it needs, in push order, the artifact's own manifest last
   */
  record Artifact(
      String repository,
      String tag,
      String mediaType,
      String digest,
      long size,
      PackFiles pack,
      List<Blob> blobs) {}

  /** An extracted layout. */
  record Layout(List<Artifact> artifacts, long totalBlobBytes) {}

  /** A refused archive; nothing of it is kept. */
  final class Refused extends RuntimeException {
    private final String type;
    private final List<String> problems;

    public Refused(String type, List<String> problems) {
      super(
          problems.isEmpty()
              ? type
              : problems.get(0)
                  + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
      this.type = type;
      this.problems = List.copyOf(problems);
    }

    /** A stable problem type, such as {@code unsafe-path} or {@code digest-mismatch}. */
    public String type() {
      return type;
    }

    public List<String> problems() {
      return problems;
    }
  }

  /** Reads a pack archive from a file. @throws Refused when it is not a safe, valid pack */
  PackFiles readPackArchive(Path file) throws IOException;

  /** Reads a pack archive from a stream (a registry's layer). */
  PackFiles readPackArchive(InputStream in) throws IOException;

  /**
   * Extracts the blobs of a bundle into {@code dir}, checking every digest, size and media type and
   * every pack on the way; on refusal nothing is left in {@code dir}.
   */
  Layout extractBundle(InputStream zstdTar, Path dir) throws IOException;
}
