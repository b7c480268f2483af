package dev.easel.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.agent.server.ApiException;
import dev.easel.agent.server.ArtifactFile;
import dev.easel.agent.server.ServerApi;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactUploadsTest {

  @TempDir Path dir;

  /** A server that keeps what it is sent, and fails as told. */
  private static final class FakeServer implements ArtifactUploads.Server {
    final Map<String, ServerApi.StoredArtifact> stored = new HashMap<>();
    final List<String> uploads = new ArrayList<>();
    Exception failure;

    @Override
    public Optional<ServerApi.StoredArtifact> stored(String plan, String step, String name)
        throws Exception {
      if (failure != null) {
        throw failure;
      }
      return Optional.ofNullable(stored.get(plan + "/" + step + "/" + name));
    }

    @Override
    public ServerApi.StoredArtifact upload(
        String plan, String step, String name, ArtifactFile file) {
      uploads.add(plan + "/" + step + "/" + name + " " + file.digest() + " " + file.size());
      ServerApi.StoredArtifact kept =
          new ServerApi.StoredArtifact(
              name, file.digest(), file.size(), file.mediaType(), "file:///x");
      stored.put(plan + "/" + step + "/" + name, kept);
      return kept;
    }
  }

  private final FakeServer server = new FakeServer();
  private final ArtifactUploads uploads = new ArtifactUploads(server);

  @Test
  void aSucceededStepUploadsEachDeclaredFileByNameWithItsDigest() throws Exception {
    Path report = write("kube-bench.json", "{\"ok\":true}");
    Path sbom = write("sbom.spdx.json", "{}");

    ServerApi.StepResult result = uploads.afterStep("p", step(report, sbom), succeeded());

    assertThat(result).isEqualTo(succeeded());
    assertThat(server.uploads)
        .containsExactly(
            "p/scan/kube-bench.json " + digest("{\"ok\":true}") + " 11",
            "p/scan/sbom.spdx.json " + digest("{}") + " 2");
    assertThat(ArtifactFile.of(report).mediaType()).isEqualTo("application/json");
  }

  @Test
  void contentTheServerHasAlreadyIsNotSentAgain() throws Exception {
    Path report = write("kube-bench.json", "{}");
    uploads.afterStep("p", step(report), succeeded());

    ServerApi.StepResult again = uploads.afterStep("p", step(report), succeeded());

    assertThat(again).isEqualTo(succeeded());
    assertThat(server.uploads).hasSize(1);
  }

  @Test
  void otherContentUnderAStoredNameFailsTheStep() throws Exception {
    Path report = write("kube-bench.json", "{}");
    uploads.afterStep("p", step(report), succeeded());
    Files.writeString(report, "{\"changed\":true}");

    ServerApi.StepResult result = uploads.afterStep("p", step(report), succeeded());

    assertThat(result.outcome()).isEqualTo("FAILED");
    assertThat(result.reason()).contains("kube-bench.json is stored with the digest");
    assertThat(server.uploads).hasSize(1);
  }

  @Test
  void aMissingArtifactFailsTheStepWithAReasonThatNamesItAndNothingIsSent() throws Exception {
    Path report = write("kube-bench.json", "{}");
    Path missing = dir.resolve("syft.json");

    ServerApi.StepResult result = uploads.afterStep("p", step(report, missing), succeeded());

    assertThat(result.outcome()).isEqualTo("FAILED");
    assertThat(result.reason()).contains(missing.toString()).contains("missing");
    assertThat(result.output()).startsWith("scanned\n").contains("missing");
    assertThat(server.uploads).as("not even the file that is there").isEmpty();
  }

  @Test
  void anArtifactTheServerRefusesFailsTheStep() throws Exception {
    Path report = write("kube-bench.json", "{}");
    server.failure = new ApiException(409, "plan-cancelled", "the plan was cancelled");

    ServerApi.StepResult result = uploads.afterStep("p", step(report), succeeded());

    assertThat(result.outcome()).isEqualTo("FAILED");
    assertThat(result.reason()).contains("kube-bench.json was refused").contains("409");
  }

  @Test
  void aServerThatCannotTakeTheUploadNowFailsTheUploadNotTheStep() throws Exception {
    Path report = write("kube-bench.json", "{}");

    server.failure = new ConnectException("connection refused");
    assertThatThrownBy(() -> uploads.afterStep("p", step(report), succeeded()))
        .isInstanceOf(ConnectException.class);
    server.failure = new ApiException(503, "http-503", "unavailable");
    assertThatThrownBy(() -> uploads.afterStep("p", step(report), succeeded()))
        .isInstanceOf(ApiException.class);
    server.failure = new ApiException(401, "unauthorized", "the node credential is not valid");
    assertThatThrownBy(() -> uploads.afterStep("p", step(report), succeeded()))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void aFailedStepUploadsNothing() throws Exception {
    Path report = write("kube-bench.json", "{}");
    ServerApi.StepResult failed = new ServerApi.StepResult(1, "FAILED", 2, "exit code 2", "x", 5);

    assertThat(uploads.afterStep("p", step(report), failed)).isEqualTo(failed);
    assertThat(server.uploads).isEmpty();
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static ServerApi.Step step(Path... artifacts) {
    List<ServerApi.Artifact> declared = new ArrayList<>();
    for (Path p : artifacts) {
      declared.add(new ServerApi.Artifact(p.getFileName().toString(), p.toString()));
    }
    return new ServerApi.Step(
        "scan", "scan", "kube-bench", null, Map.of(), 30, 0, "PENDING", 1, Map.of(), declared);
  }

  private static ServerApi.StepResult succeeded() {
    return new ServerApi.StepResult(1, "SUCCEEDED", 0, null, "scanned", 5);
  }

  private static String digest(String content) throws Exception {
    return "sha256:"
        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes()));
  }
}
