package dev.easel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A benchmark's scratch directory (broker and database data, logs), removed when it ends. */
final class WorkDir implements AutoCloseable {

  final Path path;

  WorkDir(String prefix) throws IOException {
    this.path = Files.createTempDirectory(prefix);
  }

  Path resolve(String name) {
    return path.resolve(name);
  }

  @Override
  public void close() throws IOException {
    if (Boolean.getBoolean("easel.bench.keep")) {
      System.out.println("kept " + path + " (-Deasel.bench.keep=true)");
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
