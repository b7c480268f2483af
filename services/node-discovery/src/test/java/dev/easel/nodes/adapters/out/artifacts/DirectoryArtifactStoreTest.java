package dev.easel.nodes.adapters.out.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.nodes.application.port.ArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryArtifactStoreTest {

  @TempDir Path dir;

  @Test
  void contentIsKeptUnderItsDigestAndItsLocationIsAFileUri() throws Exception {
    DirectoryArtifactStore store = store(dir.resolve("artifacts"));
    byte[] report = "{\"checks\":[]}".getBytes(StandardCharsets.UTF_8);

    ArtifactStore.Put put = store.put(new ByteArrayInputStream(report), digest(report));

    ArtifactStore.Blob blob = ((ArtifactStore.Stored) put).blob();
    Path file = Path.of(URI.create(blob.location()));
    assertThat(blob.digest()).isEqualTo(digest(report));
    assertThat(blob.size()).isEqualTo(report.length);
    assertThat(blob.location()).startsWith("file:/");
    assertThat(file).isEqualTo(store.pathOf(digest(report)));
    assertThat(dir.resolve("artifacts").relativize(file).toString())
        .isEqualTo("sha256/" + hex(report).substring(0, 2) + "/" + hex(report));
    assertThat(Files.readAllBytes(file)).isEqualTo(report);
    assertThat(parts()).isZero();
  }

  @Test
  void theSameContentAgainIsKeptOnce() throws Exception {
    DirectoryArtifactStore store = store(dir);
    byte[] report = "same".getBytes(StandardCharsets.UTF_8);

    ArtifactStore.Put first = store.put(new ByteArrayInputStream(report), digest(report));
    ArtifactStore.Put second = store.put(new ByteArrayInputStream(report), digest(report));

    assertThat(second).isEqualTo(first);
    try (Stream<Path> files = Files.walk(dir.resolve("sha256"))) {
      assertThat(files.filter(Files::isRegularFile)).hasSize(1);
    }
  }

  @Test
  void contentThatDoesNotMatchItsDigestIsNotKept() throws Exception {
    DirectoryArtifactStore store = store(dir);
    byte[] sent = "sent".getBytes(StandardCharsets.UTF_8);
    byte[] claimed = "claimed".getBytes(StandardCharsets.UTF_8);

    ArtifactStore.Put put = store.put(new ByteArrayInputStream(sent), digest(claimed));

    assertThat(put).isEqualTo(new ArtifactStore.Mismatch(digest(sent), sent.length));
    assertThat(store.pathOf(digest(sent))).doesNotExist();
    assertThat(store.pathOf(digest(claimed))).doesNotExist();
    assertThat(parts()).isZero();
  }

  @Test
  void aBodyThatBreaksOffLeavesNothingBehind() throws Exception {
    DirectoryArtifactStore store = store(dir);
    InputStream breaking =
        new SequenceInputStream(
            new ByteArrayInputStream(new byte[100_000]),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("connection reset");
              }
            });

    assertThatThrownBy(() -> store.put(breaking, digest(new byte[0])))
        .hasMessageContaining("connection reset");
    assertThat(parts()).isZero();
  }

  @Test
  void nothingIsMadeUntilTheFirstUploadAndAnUnwritablePlaceIsRefusedAtOnce() throws Exception {
    Path later = dir.resolve("not").resolve("yet");
    store(later);
    assertThat(later).doesNotExist();

    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertThatThrownBy(() -> store(file.resolve("artifacts")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("easel.nodes.artifacts.dir");
  }

  @Test
  void uploadsAbandonedByAStoppedProcessAreRemovedAtStart() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path old = Files.writeString(tmp.resolve("upload-1.part"), "half");
    Path recent = Files.writeString(tmp.resolve("upload-2.part"), "in flight elsewhere");
    Instant now = Instant.now();
    Files.setLastModifiedTime(old, FileTime.from(now.minus(Duration.ofDays(2))));

    store(dir);

    assertThat(old).doesNotExist();
    assertThat(recent).as("another instance may still be writing it").exists();
  }

  private static DirectoryArtifactStore store(Path at) throws IOException {
    return new DirectoryArtifactStore(at.toString(), Clock.systemUTC());
  }

  private long parts() throws IOException {
    Path tmp = dir.resolve("tmp");
    if (!Files.isDirectory(tmp)) {
      tmp = dir.resolve("artifacts").resolve("tmp");
    }
    try (Stream<Path> files = Files.list(tmp)) {
      return files.count();
    }
  }

  private static String digest(byte[] content) throws Exception {
    return "sha256:" + hex(content);
  }

  private static String hex(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
