package dev.easel.packs.adapters.out.bundle;

import dev.easel.packs.application.port.Bundles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link Bundles} over the safe readers of this package. */
public final class BundleFormats implements Bundles {

  private final ArchiveLimits limits;

  public BundleFormats() {
    this(ArchiveLimits.defaults());
  }

  public BundleFormats(ArchiveLimits limits) {
    this.limits = limits;
  }

  @Override
  public PackFiles readPackArchive(Path file) throws IOException {
    try {
      return files(PackArchives.read(file, limits));
    } catch (BundleRefused e) {
      throw refused(e);
    }
  }

  @Override
  public PackFiles readPackArchive(InputStream in) throws IOException {
    try {
      return files(PackArchives.read(in, limits));
    } catch (BundleRefused e) {
      throw refused(e);
    }
  }

  @Override
  public Layout extractBundle(InputStream zstdTar, Path dir) throws IOException {
    OciLayouts.Layout layout;
    try {
      layout = OciLayouts.extract(zstdTar, dir, limits);
    } catch (BundleRefused e) {
      throw refused(e);
    }
    List<Artifact> artifacts = new ArrayList<>();
    for (OciLayouts.Artifact a : layout.artifacts()) {
      List<Blob> blobs = new ArrayList<>();
      for (OciLayouts.Blob b : a.blobs()) {
        blobs.add(new Blob(b.digest(), b.size(), b.mediaType(), b.isManifest(), b.file()));
      }
      artifacts.add(
          new Artifact(
              a.repository(),
              a.tag(),
              a.mediaType(),
              a.digest(),
              a.size(),
              a.pack() == null ? null : files(a.pack()),
              blobs));
    }
    return new Layout(artifacts, layout.totalBlobBytes());
  }

  private static PackFiles files(PackContent c) {
    return new PackFiles(
        c.manifest(),
        c.packJson(),
        c.valuesYaml(),
        c.schemaYaml(),
        c.presetsYaml(),
        c.readme(),
        c.hasLogo());
  }

  private static Refused refused(BundleRefused e) {
    return new Refused(e.type(), e.problems());
  }
}
